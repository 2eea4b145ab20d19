"""Hints for the curator (`archive entities --candidates`): entities that are probably one actor, and
discovered entities that are probably not names at all. Hints only: nothing here changes the site; the curator
decides with `archive entities merge`, `ignore` and `type`, which write entities.yml."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..extract.names import rules
from .variants import fold

SUGGEST_FROM = 80  # rapidfuzz ratio of folded names: from here worth a look (variants.MIN_SCORE merges by itself)
MAX_WORDS = 6


@dataclass(frozen=True)
class Suggestion:
    action: str  # merge | ignore
    name: str
    target: str | None  # merge: the entity it probably is
    reason: str
    mentions: int


def suggestions(entities: dict, mentions: dict[str, int], common_words: frozenset[str]) -> list[Suggestion]:
    """`entities`: id → Entity (registry and discovered); `mentions`: id → how many mentions it has."""
    found: list[Suggestion] = []
    discovered = [e for e in entities.values() if e.origin == "discovered" and mentions.get(e.id)]
    never = rules().never_names
    for e in discovered:
        words = e.name.split()
        reason = ("has digits" if any(c.isdigit() for c in e.name)
                  else "a common word" if len(words) == 1 and e.name.lower() in common_words
                  else "only common words" if e.type != "organisation" and all(w.lower() in common_words for w in words)
                  else f"contains {next(w for w in words if w in never)!r}" if any(w in never for w in words)
                  else "too long for a name" if len(words) > MAX_WORDS else None)
        if reason:
            found.append(Suggestion("ignore", e.name, None, reason, mentions[e.id]))
    # Per kind, the names by mentions, most first: an entity is compared with those at least as frequent, a
    # prefix of that list (one C call per entity, not a Python loop over every pair).
    by_kind: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for e in entities.values():
        if mentions.get(e.id) and len(fold(e.name)) >= 5:
            by_kind[e.type].append((-mentions[e.id], fold(e.name), e.id))
    for ranked in by_kind.values():
        ranked.sort()
    negated = {kind: [m for m, _, _ in ranked] for kind, ranked in by_kind.items()}  # -mentions, ascending
    names = {kind: [n for _, n, _ in ranked] for kind, ranked in by_kind.items()}
    surnames: dict[str, list[str]] = defaultdict(list)  # a person's last name → full names that end with it
    for x in entities.values():
        if x.type == "person" and mentions.get(x.id) and " " in x.name:
            surnames[x.name.lower().split()[-1]].append(x.name)
    for e in discovered:
        ranked = by_kind.get(e.type, [])
        frequent = bisect.bisect_right(negated.get(e.type, []), -mentions[e.id])  # how many have at least as many
        best = None
        for name, score, i in process.extract(fold(e.name), names[e.type][:frequent], scorer=fuzz.ratio,
                                              score_cutoff=SUGGEST_FROM, limit=2) if frequent else ():
            if ranked[i][2] != e.id:
                best = (ranked[i][2], score)
                break
        if best is not None:
            found.append(Suggestion("merge", e.name, entities[best[0]].name, f"spelt alike ({best[1]:.0f}/100)", mentions[e.id]))
        if e.type == "person" and " " not in e.name:
            fuller = [n for n in surnames.get(e.name.lower(), []) if n != e.name]
            if len(fuller) > 1:
                found.append(Suggestion("merge", e.name, " or ".join(sorted(fuller)[:3]), "a surname several people share",
                                        mentions[e.id]))
    return sorted(found, key=lambda s: (s.action, -s.mentions, s.name.lower()))
