"""Aggregate: Articles and Mentions → one Index that every page and export is rendered from."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Generic, TypeVar

from ..geo import km
from ..models import Article, Entity, Location, Mention, Problem
from ..paths import SiteUrl, SourcePath, page_url, source_path

NEARBY_KM = 60
MAX_NEARBY = 12


# Subject[Entity] (kind "entity") or Subject[Location] (kind "location")
RecordT = TypeVar("RecordT", Entity, Location)


@dataclass(frozen=True)
class Subject(Generic[RecordT]):
    """An entity or location with everything its page shows."""

    id: str
    kind: str  # entity | location
    record: RecordT
    mentions: list[Mention] = field(default_factory=list)  # in article order, newest article first
    credits: list[tuple[str, str]] = field(default_factory=list)  # (article id, role) for bylines and photo credits
    article_ids: list[str] = field(default_factory=list)  # newest first
    co_entities: list[tuple[str, int]] = field(default_factory=list)  # (entity id, shared articles)
    co_locations: list[tuple[str, int]] = field(default_factory=list)
    per_month: list[tuple[str, int]] = field(default_factory=list)  # ("2020-05", mentions)
    first_seen: str | None = None
    last_seen: str | None = None
    nearby: list[tuple[str, float]] = field(default_factory=list)  # (location id, km), locations only

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def page_path(self) -> SourcePath:
        return source_path("entities" if self.kind == "entity" else "locations", self.id)

    @property
    def url(self) -> SiteUrl:
        return page_url(self.page_path)


# A subject of either kind: `isinstance(s.record, Location)` (or Entity) tells which
AnySubject = Subject[Entity] | Subject[Location]


@dataclass(frozen=True)
class Index:
    articles: list[Article]  # newest first; undated ones last, by title
    problems: list[Problem]
    inputs: int  # files found under articles/
    by_year_month: dict[str, dict[str, list[Article]]] = field(default_factory=dict)  # "2020" → "05" → articles
    undated: list[Article] = field(default_factory=list)
    by_source: dict[str, list[Article]] = field(default_factory=dict)  # sorted by source name; "" = unknown
    entities: dict[str, Subject[Entity]] = field(default_factory=dict)  # by id, sorted by name
    locations: dict[str, Subject[Location]] = field(default_factory=dict)
    mentions_by_article: dict[str, list[Mention]] = field(default_factory=dict)  # in body order
    candidates: list[tuple[str, int, int, str]] = field(default_factory=list)  # discovered, not (yet) entities
    other_names_by_article: dict[str, list[Mention]] = field(default_factory=dict)  # kind "name", in body order
    subjects_by_article: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # → (entity ids, location ids)
    events: dict = field(default_factory=dict)  # article id → its aggregate.events.Event records (aggregate.incidents)
    incidents: list = field(default_factory=list)  # aggregate.incidents.Incident: the events merged across articles

    @cached_property
    def incidents_by_article(self) -> dict[str, list]:
        found: dict[str, list] = defaultdict(list)
        for incident in self.incidents:
            for article_id in incident.article_ids:
                found[article_id].append(incident)
        return dict(found)

    @cached_property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    def subjects_of(self, article_id: str) -> tuple[list[Subject[Entity]], list[Subject[Location]]]:
        """The entities and locations an article mentions (or is credited to), by name."""
        entity_ids, location_ids = self.subjects_by_article.get(article_id, ([], []))
        return [self.entities[i] for i in entity_ids], [self.locations[i] for i in location_ids]


def newest_first(articles: list[Article]) -> list[Article]:
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date, a.time or "", a.id), reverse=True)
    undated = sorted((a for a in articles if not a.date), key=lambda a: (a.title.lower(), a.id))
    return dated + undated


def build_index(articles: list[Article], problems: list[Problem], inputs: int, *,
                mentions: Sequence[Mention] = (), entities: dict[str, Entity] | None = None,
                locations: dict[str, Location] | None = None, credits: dict[str, list[tuple[str, str]]] | None = None,
                candidates=(), other_names: Sequence[Mention] = ()) -> Index:
    ordered = newest_first(articles)
    timeline: dict[str, dict[str, list[Article]]] = defaultdict(lambda: defaultdict(list))
    sources: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        if article.date:
            timeline[article.date[:4]][article.date[5:7]].append(article)
        sources[article.source or ""].append(article)
    known = {a.id for a in ordered}
    other_names_by_article: dict[str, list[Mention]] = {}
    for m in other_names:
        if m.article_id in known:
            other_names_by_article.setdefault(m.article_id, []).append(m)
    subjects = _subjects(ordered, list(mentions), entities or {}, locations or {}, credits or {})
    return Index(
        articles=ordered,
        problems=sorted(problems),
        inputs=inputs,
        by_year_month={y: dict(months) for y, months in timeline.items()},
        undated=[a for a in ordered if not a.date],
        by_source=dict(sorted(sources.items(), key=lambda kv: (kv[0] == "", kv[0].lower()))),
        candidates=list(candidates),
        other_names_by_article=other_names_by_article,
        entities=subjects.entities,
        locations=subjects.locations,
        mentions_by_article=subjects.mentions_by_article,
        subjects_by_article=subjects.subjects_by_article,
    )


# Co-occurrence is counted only in articles naming at most this many subjects: a news article names a few
# dozen; in a dossier naming thousands, being named together says nothing (and would cost subjects²).
MAX_COOCCURRING = 300


@dataclass(frozen=True)
class _Subjects:
    entities: dict[str, Subject[Entity]]
    locations: dict[str, Subject[Location]]
    mentions_by_article: dict[str, list[Mention]]
    subjects_by_article: dict[str, tuple[list[str], list[str]]]


def _subjects(ordered: list[Article], mentions: list[Mention], entities: dict[str, Entity],
              locations: dict[str, Location], credits: dict[str, list[tuple[str, str]]]) -> _Subjects:
    rank = {a.id: i for i, a in enumerate(ordered)}
    article_by_id = {a.id: a for a in ordered}
    mentions = [m for m in mentions if m.article_id in rank]
    mentions.sort(key=lambda m: (rank[m.article_id], m.start))
    by_target: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_target[(m.kind, m.target_id)].append(m)
        by_article[m.article_id].append(m)

    subjects_in_article: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (kind, target), ms in by_target.items():
        for m in ms:
            subjects_in_article[m.article_id].add((kind, target))
    for eid, roles in credits.items():
        for article_id, _ in roles:
            if article_id in rank:
                subjects_in_article[article_id].add(("entity", eid))

    def subject(kind: str, record: RecordT) -> Subject[RecordT]:
        key = (kind, record.id)
        ms = by_target.get(key, [])
        role_list = sorted(credits.get(record.id, []) if kind == "entity" else [], key=lambda r: rank.get(r[0], 0))
        article_ids = sorted({m.article_id for m in ms} | {a for a, _ in role_list if a in rank}, key=rank.__getitem__)
        co: Counter = Counter()
        for article_id in article_ids:
            if len(subjects_in_article[article_id]) <= MAX_COOCCURRING:
                co.update(subjects_in_article[article_id])
        co.pop(key, None)
        dates = sorted(d for a in article_ids if (d := article_by_id[a].date))
        months = Counter(d[:7] for m in ms if (d := article_by_id[m.article_id].date))
        return Subject(
            id=record.id, kind=kind, record=record, mentions=ms, credits=role_list, article_ids=article_ids,
            co_entities=sorted(((t, n) for (k, t), n in co.items() if k == "entity"), key=lambda x: (-x[1], x[0])),
            co_locations=sorted(((t, n) for (k, t), n in co.items() if k == "location"), key=lambda x: (-x[1], x[0])),
            per_month=sorted(months.items()), first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
        )

    ents = [subject("entity", e) for e in entities.values()]
    published = {s.id for s in ents if s.article_ids}  # a subject every article of which was set aside has no page
    by_entity = {s.id: replace(s, co_entities=[(t, n) for t, n in s.co_entities if t in published])
                 for s in sorted(ents, key=lambda s: (s.name.lower(), s.id)) if s.article_ids}
    locs = [subject("location", loc) for loc in locations.values()]
    placed = [s for s in sorted(locs, key=lambda s: (s.name.lower(), s.id)) if s.article_ids]
    grid = _grid([s.record for s in placed])
    by_location = {s.id: replace(s, co_entities=[(t, n) for t, n in s.co_entities if t in published],
                                 nearby=_nearby(s.record, grid)) for s in placed}
    subjects_by_article = {}
    for article_id, subjects in subjects_in_article.items():
        entity_ids = sorted((t for k, t in subjects if k == "entity" and t in by_entity), key=lambda t: (by_entity[t].name.lower(), t))
        # the id breaks a tie of names: the set's order is not the same from one run to the next
        location_ids = sorted((t for k, t in subjects if k == "location" and t in by_location), key=lambda t: (by_location[t].name.lower(), t))
        subjects_by_article[article_id] = (entity_ids, location_ids)
    return _Subjects(by_entity, by_location, dict(by_article), subjects_by_article)


def _grid(locations: list[Location]) -> dict[tuple[int, int], list[Location]]:
    """Places bucketed by whole degree, so "nearby" looks at 9 cells instead of every place."""
    grid: dict[tuple[int, int], list[Location]] = defaultdict(list)
    for loc in locations:
        if loc.lat is not None and loc.lon is not None and loc.kind != "country":
            grid[(math.floor(loc.lat), math.floor(loc.lon))].append(loc)
    return grid


def _nearby(here: Location, grid) -> list[tuple[str, float]]:
    if here.lat is None or here.lon is None or here.kind == "country":
        return []
    cell_lat, cell_lon = math.floor(here.lat), math.floor(here.lon)
    found = []
    for d_lat in (-1, 0, 1):  # a degree of latitude is 111 km > NEARBY_KM; longitude cells are narrower, still ≥ 60 km below 57°
        for d_lon in (-1, 0, 1):
            for other in grid.get((cell_lat + d_lat, cell_lon + d_lon), ()):
                if other.id != here.id and (distance := km(here.lat, here.lon, other.lat, other.lon)) <= NEARBY_KM:
                    found.append((other.id, round(distance, 1)))
    return sorted(found, key=lambda x: (x[1], x[0]))[:MAX_NEARBY]

