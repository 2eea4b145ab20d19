"""Spelling variants of one name across an archive: transliterations from Arabic, Persian and Russian differ
("Abdel Rahman" / "Abdulrahman", "Jaysh" / "Jaish", "Fouaa" / "Foua"). rapidfuzz compares the folded spellings;
a variant joins a registry entry or the commoner spelling, only within one kind (person, organisation, place).
"""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz, process

MIN_SCORE = 90  # rapidfuzz ratio of the folded spellings (0–100); measured on fakes-dev: 85 merged distinct villages
MIN_LENGTH = 7  # folded; shorter names differ by too little to tell a variant from another name ("Hasan", "Hassan")
KIND = {"facility": "place"}
_ARTICLE = re.compile(r"\b(?:al|el|ad|ar|as|ash|at|az|an)[- ]", re.I)
_NOT_LETTER = re.compile(r"[^a-z]")


def fold(name: str) -> str:
    """'Jaysh al-Islam' → 'jayshislam': no articles, no spaces, hyphens or apostrophes, lower case."""
    return _NOT_LETTER.sub("", _ARTICLE.sub("", name.lower()))


def spelling_variants(groups: dict[str, list], vote, by_form: dict[str, str], registry) -> dict[str, str]:
    """{group key: the key it is a variant of}. A group's kind is its vote; registry names win, then the group
    with more mentions. Buckets by kind and first letter keep the comparisons near-linear in the archive."""
    registry_kind = {e.id: KIND.get(e.type, e.type) for e in registry.entities}
    kinds = {form: registry_kind[entity_id] for form, entity_id in by_form.items() if entity_id in registry_kind}
    weights: dict[str, int] = {}
    for key, items in groups.items():
        votes = vote(items)
        if items and votes and key not in by_form:
            kinds[key] = KIND.get(votes.most_common(1)[0][0], votes.most_common(1)[0][0])
            weights[key] = len(items)
    buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
    folded = {key: fold(key) for key in kinds}
    for key, kind in kinds.items():
        if len(folded[key]) >= MIN_LENGTH:
            buckets[(kind, folded[key][0])].append(key)
    merges: dict[str, str] = {}
    for key in sorted(weights, key=lambda k: (weights[k], k)):  # rarest first: it is the likelier variant
        bucket = [k for k in buckets.get((kinds[key], folded[key][:1]), ()) if k != key and k not in merges
                  and (k in by_form or weights.get(k, 0) > weights[key] or (weights.get(k, 0) == weights[key] and k < key))]
        if not bucket or len(folded[key]) < MIN_LENGTH:
            continue
        best = process.extractOne(folded[key], {k: folded[k] for k in bucket}, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
        if best is not None:
            target = best[2]
            merges[key] = merges.get(target, target)
    return {key: _final(key, merges) for key in merges if _final(key, merges) in groups or _final(key, merges) in by_form}


def _final(key: str, merges: dict[str, str]) -> str:
    seen = set()
    while key in merges and key not in seen:
        seen.add(key)
        key = merges[key]
    return key
