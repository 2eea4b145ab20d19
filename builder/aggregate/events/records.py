"""The records of one article's events (Event, Evidence, ArticleEvents) and the sentences they are read from."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ...geo import km
from ...models import Article, Mention
from ...extract.sentences import split


@dataclass(frozen=True)
class Evidence:
    """Why a field has its value: the rule and the sentence it matched."""

    field: str
    rule: str
    sentence: str


@dataclass(frozen=True)
class Event:
    """One event one article reports. `date` is None when the article has no date (never invented)."""

    article_id: str
    n: int  # its order in the article (0 = first reported)
    event_type: str
    sub_event_type: str
    trigger: str  # the words that matched
    sentence: str  # the sentence the event was found in
    date: str | None = None  # YYYY-MM-DD
    time_precision: int | None = None  # ACLED: 1 day, 2 week, 3 month
    location_id: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    country: str | None = None
    admin1: str | None = None  # the place's governorate (ACLED's admin1), where the gazetteer knows it
    actor1: str | None = None
    actor1_id: str | None = None  # an entity or (for demonyms) a location id
    alleged: bool = False  # actor1 is "alleged"/"suspected"
    actor2: str | None = None
    actor2_id: str | None = None
    fatalities_text: str | None = None  # as written: "Fourteen"
    fatalities: int | None = None
    source: str | None = None  # who reported it: "according to SOHR", else the article's outlet
    main: bool = False
    evidence: tuple[Evidence, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.article_id}#{self.n}"

    @property
    def confidence(self) -> dict[str, float]:
        """How far to trust each field that has a value: the measured precision of the rule that made it
        (builder/data/event_confidence.yml, `make eval-confidence`), by field of CONFIDENCE_FIELDS."""
        from .confidence import field_confidence

        return field_confidence(self)

    def why(self, name: str) -> Evidence | None:
        return next((e for e in self.evidence if e.field == name), None)


@dataclass(frozen=True)
class _Sentence:
    text: str
    start: int
    end: int
    paragraph: int
    mentions: tuple[Mention, ...]


def _sentences(article: Article, mentions: list[Mention]) -> list[_Sentence]:
    """The body's sentences, each with the mentions starting in it (in the order of `mentions`). The mentions are
    found by bisection over their sorted starts: sentences × mentions was hours for a dossier of 100,000 events."""
    spans = split(article.body)
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)  # "in body order": already sorted, as a rule
    starts = [mentions[i].start for i in order]
    in_order = all(order[i] < order[i + 1] for i in range(len(order) - 1))
    out = []
    for i, start in enumerate(spans.starts):
        end = spans.starts[i + 1] if i + 1 < len(spans.starts) else len(article.body)
        raw = article.body[start:end]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if not text:
            continue
        s0 = start + lead
        picked = order[bisect.bisect_left(starts, s0): bisect.bisect_left(starts, s0 + len(text))]
        out.append(_Sentence(text, s0, s0 + len(text), spans.paragraph_of(s0),
                             tuple(mentions[j] for j in (picked if in_order else sorted(picked)))))
    return out

LOOK = 200  # characters a rule reads before or after a mention: a few words, never the rest of a long sentence


def _ends(pattern: re.Pattern, text: str, end: int) -> re.Match | None:
    """`pattern` (anchored at the end: `$`) searched in text[:end], within its last LOOK characters: per mention,
    neither a copy nor a scan of the whole sentence before it (a sentence may be a megabyte of names). The window's
    first word is seen whole: `\b` looks at the character before `pos`."""
    return pattern.search(text, max(0, end - LOOK), end)


def _starts(pattern: re.Pattern, text: str, start: int, match: bool = False) -> re.Match | None:
    """`pattern` (anchored at the start: `^`) searched (or matched) in text[start:], within its first LOOK characters."""
    window = text[start: start + LOOK]
    return pattern.match(window) if match else pattern.search(window)


@dataclass(frozen=True)
class ArticleEvents:
    """One article's events and what extracting them refused (an impossible date or toll), as the build cache keeps
    them; add_events (aggregate/incidents.py) reports the warnings as the article's problems."""

    events: tuple[Event, ...]
    warnings: tuple[str, ...] = ()


def _without(evidence: tuple[Evidence, ...], *names: str) -> tuple[Evidence, ...]:
    return tuple(e for e in evidence if e.field not in names)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split()) if len(text) <= 4 * limit else " ".join(text[: 4 * limit].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event_km(a: Event, b: Event) -> float | None:
    """The distance between two events' points; None when either has none."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return km(a.latitude, a.longitude, b.latitude, b.longitude)
