"""Finding names no registry knows yet, with rules instead of model weights.

A candidate is a run of capitalised words ("Syrian Observatory for Human Rights", "Benny Gantz",
"Liwa al-Quds"); rules then trim what is not part of the name (sentence starters, demonyms,
titles such as "Defense Minister"), type it by cue words, and pair names with the acronym or
translation given in brackets after them. Every candidate carries the rule that produced it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml


def _word_lists(*names: str) -> tuple[frozenset[str], ...]:
    """Word lists of builder/data/discovery_words.yml (data, not code), by name."""
    data = yaml.safe_load(resources.files("builder").joinpath("data/discovery_words.yml").read_text("utf-8"))
    return tuple(frozenset(data[name]) for name in names)


CONNECTORS, ORG_CUES, EVENT_CUES, FACILITY_CUES, PERSON_TITLES, NEVER_NAMES = _word_lists(
    "connectors", "org_cues", "event_cues", "facility_cues", "person_titles", "never_names")
MAX_CONNECTORS = 2

# "I'm", "We've", "They'd": contractions start sentences and look capitalised.
CONTRACTION = re.compile(r"^(?:I|We|You|They|He|She|It|That|There|What|Who|Let)'(?:m|ve|ll|d|re|s)$")
BACKED = re.compile(r"^[A-Z][a-z]+-(?:backed|led|controlled|held|based|owned|allied|linked|run|affiliated|born|made)$")


@dataclass(frozen=True)
class Candidate:
    """A discovered name in one article body."""

    text: str  # the name as written, trimmed
    start: int
    end: int
    type: str  # person | organisation | facility | other
    rule: str  # why it was kept: "capitalised", "title:President", "cue:Brigade", "acronym-of:…", …
    at_sentence_start: bool
    alias_of: str | None = None  # "CERS" → "Scientific Studies and Research Center"


_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_CAP = rf"(?:[{_UPPER}](?:\.[{_UPPER}])+\.?|[{_UPPER}][\w]*(?:[-'][\w]+)*|(?:al|el|ad|as|ash|az|ar|an|at|bin|ibn|abu|a|da|de|di|du|van|von|der|le|la)-[{_UPPER}][\w]*(?:[-'][\w]+)*)"
# A run of capitalised words, with at most two lower-case connectors between two of them ("Studies and
# Research", "Observatory for Human", "Commander of the Quds"). One regex pass: the scan runs in C.
NAME_RUN = re.compile(rf"(?<![\w'-]){_CAP}(?: (?:(?:{'|'.join(sorted(CONNECTORS))}) ){{0,{MAX_CONNECTORS}}}{_CAP})*(?![\w])")
_TOKEN = re.compile(r"\S+")
MAX_RUN_TOKENS = 12  # a run of capitalised words is cut into parts of at most this many words


def candidates(body: str, sentence_start, demonyms: AbstractSet[str], common_words: AbstractSet[str]) -> list[Candidate]:
    """Capitalised-name candidates in `body`. `sentence_start(offset)` tells whether an offset opens a sentence."""
    found: list[Candidate] = []
    for run in NAME_RUN.finditer(body):
        text = run.group()
        if " " not in text:  # most runs are one word: "The", "But", "He" at a sentence start, settled here
            lower = text.lower()
            if lower in NEVER_NAMES or CONTRACTION.match(text) or (lower in common_words and sentence_start(run.start())):
                continue
        base = run.start()
        span = [_Token(m.group(), base + m.start(), base + m.end()) for m in _TOKEN.finditer(run.group())]
        for at in range(0, len(span), MAX_RUN_TOKENS):  # no name is longer; a longer run costs quadratic time
            found.extend(_trim(body, span[at: at + MAX_RUN_TOKENS], sentence_start, demonyms, common_words))
    return _with_bracketed_aliases(body, found)


class _Token(tuple):
    """(text, start, end), with the accessors the trimming rules use."""

    def __new__(cls, text: str, start: int, end: int):
        return super().__new__(cls, (text, start, end))

    def group(self) -> str:
        return self[0]

    def start(self) -> int:
        return self[1]

    def end(self) -> int:
        return self[2]


def _trim(body, span, sentence_start, demonyms, common_words) -> list[Candidate]:
    # A possessive ends the name: "Iran's elite Quds Force" → "Iran". (A loop: thousands of possessives in a
    # row once overflowed the recursion this was.)
    found, first = [], 0
    for n, token in enumerate(span):
        if n == len(span) - 1 or token.group().endswith("'s"):
            found.extend(_trim_one(body, span[first: n + 1], sentence_start, demonyms, common_words))
            first = n + 1
    return found


def _trim_one(body, span, sentence_start, demonyms, common_words) -> list[Candidate]:
    tokens = [(m.group(), m.start(), m.end()) for m in span]
    if tokens[-1][0].endswith("'s"):
        text, s, e = tokens[-1]
        tokens[-1] = (text[:-2], s, e - 2)
    # "Iraq and Syria" is two names; "Scientific Studies and Research Center" is one.
    words = [t[0] for t in tokens]
    if "and" in words and words[-1].lower() not in ORG_CUES:
        cut = words.index("and")
        parts = [tokens[:cut], tokens[cut + 1:]]
    else:
        parts = [tokens]
    found = []
    for part in parts:
        found.extend(_strip_and_type(body, part, sentence_start, demonyms, common_words))
    return found


def _strip_and_type(body, tokens, sentence_start, demonyms, common_words) -> list[Candidate]:
    if not tokens:
        return []
    at_start = sentence_start(tokens[0][1])
    rule, kind = "capitalised", None
    first = True
    before_titles = tokens
    while tokens:  # leading words that are not part of the name
        word = tokens[0][0]
        lower = word.lower().rstrip(".")
        if lower in PERSON_TITLES:
            rule, kind = f"title:{word}", "person"
        elif not (word in demonyms or BACKED.match(word) or lower in NEVER_NAMES or lower in CONNECTORS
                  or (first and at_start and _is_common(lower, common_words))):
            break
        tokens, first = tokens[1:], False
    if kind == "person" and (any(t[0] in CONNECTORS for t in tokens)
                             or (len(tokens) > 1 and not is_first_name(tokens[0][0]))):
        # A title makes a person of a first name or a lone surname ("Mr Blair", "President Bashar al-Assad");
        # "General Motors Europe", "Chief Executive of AOL" name an organisation or an office.
        tokens, rule, kind = [t for t in before_titles if t[0].lower() not in NEVER_NAMES or t[0] in CONNECTORS], "capitalised", None
    while tokens and (tokens[-1][0].lower() in CONNECTORS or tokens[-1][0] in demonyms):
        tokens = tokens[:-1]
    if not tokens:
        return []
    start, end = tokens[0][1], tokens[-1][2]
    text = body[start:end]
    words = text.split()
    lower = text.lower()
    if len(text) < 2 or text in demonyms or BACKED.match(text) or CONTRACTION.match(text.split()[0]):
        return []
    if not text.isupper() and all(w.lower() in NEVER_NAMES or w.lower() in common_words or w.lower() in CONNECTORS for w in words):
        return []
    last = words[-1].lower()
    if last in EVENT_CUES and len(words) > 1:
        kind, rule = "other", f"cue:{words[-1]}"
    elif last in ORG_CUES:
        kind, rule = "organisation", f"cue:{words[-1]}"
    elif last in FACILITY_CUES:
        kind, rule = "facility", f"cue:{words[-1]}"
    elif kind is None:
        if text.isupper() and len(words) == 1 and 2 <= len(text) <= 8:
            kind, rule = "organisation", "acronym"
        elif 2 <= len(words) <= 4 and is_first_name(words[0]) and all(w[:1].isupper() for w in words[1:]):
            kind, rule = "person", f"first-name:{words[0]}"
        else:
            kind = "other"
    return [Candidate(text, start, end, kind, rule, at_start and start == tokens[0][1] and first)]


def _is_common(lower: str, common_words) -> bool:
    """'further', or a compound of common words such as 'non-residents'."""
    return lower in common_words or ("-" in lower and all(part in common_words for part in lower.split("-")))


FIRST_NAMES_PATH = Path(__file__).resolve().parent.parent / "data" / "first_names.txt"


@cache
def _first_names() -> frozenset[str]:
    """~54,000 given names from many countries, lower-case and accent-folded (builder/data/first_names.txt,
    derived from nomquamgender's MIT-licensed data by scripts/make_first_names.py; see NOTICE)."""
    with FIRST_NAMES_PATH.open(encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _fold(word: str) -> str:
    """'Şükrü' → 'sukru', 'José' → 'jose': the table's keys are plain a-z."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th"})


def is_first_name(word: str) -> bool:
    """A given name in the first-names table ("Benny", "Qassem", "Recep"; "FA", "UK", "Syria", "Jordan": no)."""
    return word[:1].isupper() and not word.isupper() and word.isalpha() and _fold(word) in _first_names()


_INITIAL = re.compile(r"[A-Z]\.(?:[A-Z]\.)*")


def is_given_name(word: str) -> bool:
    """A known given name ("Peter"), or an initial standing for one ("N." of "N. Lenham")."""
    return is_first_name(word) or _INITIAL.fullmatch(word) is not None


_BRACKET = re.compile(r" \(([^()]{2,80})\)")


def _with_bracketed_aliases(body: str, found: list[Candidate]) -> list[Candidate]:
    """'Scientific Studies and Research Center (CERS)', 'Liwa al-Quds (Jerusalem Brigade)': one entity, two names."""
    by_end = {c.end: c for c in found}
    by_start = {c.start: c for c in found}
    result = list(found)
    for m in _BRACKET.finditer(body):
        outer = by_end.get(m.start())
        inner = by_start.get(m.start(1))
        if outer is None or inner is None or inner.end != m.end(1):
            continue
        kind = outer.type if outer.type != "other" else inner.type
        rule = "acronym-of" if inner.text.isupper() else "bracketed-alias-of"
        result.remove(inner)
        result.append(Candidate(inner.text, inner.start, inner.end, kind, f"{rule}:{outer.text}", False, alias_of=outer.text))
        if outer.type == "other" and kind != "other":
            result[result.index(outer)] = Candidate(outer.text, outer.start, outer.end, kind, outer.rule, outer.at_sentence_start)
    return sorted(result, key=lambda c: c.start)
