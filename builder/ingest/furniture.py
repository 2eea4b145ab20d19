"""Page furniture glued into pasted text: tag lists, related-news lists, footers, stamps, tweet credits.

The rules are data (builder/data/furniture.yml, which explains each kind); this module applies them to
the body paragraphs. What is removed is returned, never dropped silently, and the outlet a footer or
credit line names is returned as a hint for the article's source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

import yaml

from . import sources

PARAGRAPH_CHARS = 300  # a `paragraph` rule only judges paragraphs this short
MAX_TAIL_CUTS = 20  # tail rules are retried after each cut; a page has a handful of footer blocks
TITLE = "<TITLE>"
# Prose: six lower-case words in a row ("as the shelling went on for a third day"). Footers, share buttons and
# tag lists are names and Title Case links; a rule marked `unless_prose` never takes text holding such a run.
PROSE = re.compile(r"(?<![\w'-])[a-z][a-z'-]{0,30},?(?: [a-z][a-z'-]{0,30},?){5}(?![\w'-])")


@dataclass(frozen=True)
class Rule:
    name: str
    where: str  # paragraph | head | tail | inline
    pattern: re.Pattern[str]
    within: int = 0
    source: str | None = None
    outlet: str | None = None  # publisher | credit: the removed text names the site, or the story's supplier
    unless_prose: bool = False  # no cut when the text it would take beyond the match holds a sentence (PROSE)
    # The pattern as written when it holds <TITLE>: compiled per article (_with_title), `pattern` then unused.
    template: str | None = None


@dataclass
class Removed:
    """What furniture cleaning took out, and the outlet it names (if any)."""

    texts: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # the rule names, one per text
    publisher: str | None = None  # the site that printed the page: its footer, its own furniture (Sputnik's comment box)
    credit: str | None = None  # named by a credit line ("Source TRTWorld and agencies", "-REUTERS")

    @property
    def outlet(self) -> str | None:
        return self.publisher or self.credit

    def add(self, rule: Rule, text: str, match: re.Match[str]) -> None:
        self.texts.append(text.strip())
        self.kinds.append(rule.name)
        self.note(rule, match, text)

    def note(self, rule: Rule, match: re.Match[str], text: str) -> None:
        """Take the outlet a removed piece of `text` names (the first one named wins)."""
        if rule.source and not self.publisher:
            self.publisher = rule.source
        elif rule.outlet == "publisher" and not self.publisher:
            self.publisher = sources.known_source(_outlet_group(match) or text)
        elif rule.outlet == "credit" and not self.credit:
            self.credit = sources.known_source(_outlet_group(match) or text)


@cache
def rules() -> tuple[Rule, ...]:
    data = yaml.safe_load(resources.files("builder").joinpath("data/furniture.yml").read_text("utf-8"))
    out = []
    for entry in data["rules"]:
        if entry["where"] not in ("paragraph", "head", "tail", "inline"):
            raise ValueError(f"furniture.yml: rule {entry['name']!r}: unknown where {entry['where']!r}")
        # A pattern may name the article's own title as <TITLE> (a heading repeated above the story);
        # it is compiled per article with the title escaped (see _with_title).
        template = entry["pattern"] if TITLE in entry["pattern"] else None
        out.append(Rule(name=entry["name"], where=entry["where"], pattern=re.compile(entry["pattern"]), template=template,
                        within=int(entry.get("within", 0)), source=entry.get("source"), outlet=entry.get("outlet"),
                        unless_prose=bool(entry.get("unless_prose", False))))
        if out[-1].unless_prose and out[-1].where not in ("paragraph", "tail"):
            raise ValueError(f"furniture.yml: rule {entry['name']!r}: unless_prose is for paragraph and tail rules")
        if out[-1].outlet not in (None, "publisher", "credit"):
            raise ValueError(f"furniture.yml: rule {entry['name']!r}: outlet must be publisher or credit")
    return tuple(out)


def _outlet_group(match: re.Match[str]) -> str | None:
    """The text of the rule's `outlet…` group that matched, if the rule has one."""
    return next((match[g] for g in match.re.groupindex if g.startswith("outlet") and match[g]), None)


def _acceptable(rule: Rule, match: re.Match[str], taken: str = "") -> bool:
    """A rule with an `outlet` group cuts only a name sources.yml knows ("Source AA" yes, "Source close to …" no);
    an `unless_prose` rule cuts nothing when `taken`, the text it would cut besides its match, holds prose."""
    named = _outlet_group(match)
    if named is not None and sources.known_source(named) is None:
        return False
    return not (rule.unless_prose and PROSE.search(taken))


def _with_title(rule: Rule, title: str | None) -> Rule | None:
    if rule.template is None:
        return rule
    if not title:
        return None
    return replace(rule, pattern=re.compile(rule.template.replace(TITLE, re.escape(title))), template=None)


def strip(paragraphs: list[str], removed: Removed, title: str | None = None) -> list[str]:
    """The paragraphs without furniture; `removed` collects what went. `title` fills <TITLE> in the rules."""
    table = [r for r in (_with_title(rule, title) for rule in rules()) if r is not None]
    by_where = {w: [r for r in table if r.where == w] for w in ("paragraph", "head", "tail", "inline")}
    kept = []
    for para in paragraphs:
        hit = next(((r, m) for r in by_where["paragraph"] if len(para) <= PARAGRAPH_CHARS and (m := r.pattern.fullmatch(para))
                    and _acceptable(r, m, para)), None)
        if hit is not None:
            removed.add(hit[0], para, hit[1])
        else:
            kept.append(para)
    kept = _strip_tail(kept, by_where["tail"], removed)
    if kept:
        kept[0] = _strip_head(kept[0], by_where["head"], removed)
    kept = [_strip_inline(p, by_where["inline"], removed) for p in kept]
    return [p for p in kept if p]


def _strip_tail(paragraphs: list[str], tail_rules: list[Rule], removed: Removed) -> list[str]:
    paragraphs = list(paragraphs)
    for _ in range(MAX_TAIL_CUTS):
        if not paragraphs:
            break
        last = paragraphs[-1]
        found = []  # each rule's first acceptable match; the earliest is cut with everything after it
        for rule in tail_rules:
            offset = max(0, len(last) - rule.within)
            # the match and everything after it go: "everything after" must be the rest of the page, not prose
            m = next((m for m in rule.pattern.finditer(last, offset) if _acceptable(rule, m, last[m.end():])), None)
            if m is not None:
                found.append((m.start(), rule, m))
        if not found:
            break
        found.sort(key=lambda f: f[0])
        _, rule, m = found[0]
        removed.add(rule, last[m.start():], m)
        for _, inner_rule, inner in found[1:]:  # a copyright line inside a related-news block still names the outlet
            removed.note(inner_rule, inner, last[inner.start():])
        rest = last[: m.start()].rstrip()
        if rest:
            paragraphs[-1] = rest
        else:
            paragraphs.pop()
    return paragraphs


def _strip_head(first: str, head_rules: list[Rule], removed: Removed) -> str:
    for rule in head_rules:
        if (m := rule.pattern.match(first)) and _acceptable(rule, m):
            removed.add(rule, m[0], m)
            first = first[m.end():].lstrip()
    return first


def _strip_inline(para: str, inline_rules: list[Rule], removed: Removed) -> str:
    for rule in inline_rules:
        if not rule.pattern.search(para):
            continue
        pieces, last = [], 0
        for m in rule.pattern.finditer(para):
            if not _acceptable(rule, m):
                continue
            removed.add(rule, m[0], m)
            pieces.append(para[last:m.start()])
            last = m.end()
        pieces.append(para[last:])
        para = re.sub(r"  +", " ", " ".join(pieces)).strip()
    return para
