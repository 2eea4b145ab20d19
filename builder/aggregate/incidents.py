"""One incident, many reports: events from different articles that tell the same event merge into one incident.

Same event type, dates within a day, and the same place or places within MERGE_KM (haversine). As Airwars does,
an incident lists every source article and keeps each source's fatality figure; its range is shown. Pure functions.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from dataclasses import dataclass, replace


from ..geo import EARTH_KM
from ..paths import SiteUrl, SourcePath, page_url, slug, source_path
from ..cache import text_key
from ..isolation import STAGE_SECONDS, Failure, guarded
from ..models import Problem
from .events import ArticleEvents, Event, extract_events, parser_identity
from .events.records import event_km

MERGE_KM = 10
MERGE_DAYS = 1
TOLL_RATIO = 4  # two reports whose death tolls differ more than this are two events


@dataclass(frozen=True)
class Incident:
    id: str  # "2020-05-04-aleppo-air-drone-strike" (+ "-2", … when taken): stable while its first report is
    events: tuple[Event, ...]  # the reports, in article order (newest article first), the first one leading

    @property
    def lead(self) -> Event:
        return self.events[0]

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(e.article_id for e in self.events))

    @property
    def main(self) -> bool:
        return any(e.main for e in self.events)

    @property
    def figures(self) -> list[tuple[str, int]]:
        """Each source's fatality figure: (article id, number)."""
        return [(e.article_id, e.fatalities) for e in self.events if e.fatalities is not None]

    @property
    def fatalities_range(self) -> tuple[int, int] | None:
        numbers = [n for _, n in self.figures]
        return (min(numbers), max(numbers)) if numbers else None

    @property
    def page_path(self) -> SourcePath:
        return source_path("events", self.id)

    @property
    def url(self) -> SiteUrl:
        return page_url(self.page_path)

    def first(self, name: str):
        """The first report's value of `name` that is not None (reports lacking it are skipped)."""
        return next((getattr(e, name) for e in self.events if getattr(e, name) is not None), None)

    @property
    def confidence(self) -> dict[str, float]:
        """How far to trust each field the incident shows (events.csv's values): the confidence of the report it
        takes that value from (Event.confidence): the lead's type, date and place, the first report naming each
        actor, the report giving the lowest toll."""
        out = {k: v for k, v in self.lead.confidence.items() if k not in ("actor1", "actor2", "fatalities")}
        for name in ("actor1", "actor2"):
            giver = next((e for e in self.events if getattr(e, name) is not None), None)
            if giver is not None and name in giver.confidence:
                out[name] = giver.confidence[name]
        tolls = [e for e in self.events if e.fatalities is not None]
        if tolls and "fatalities" in (lowest := min(tolls, key=lambda e: e.fatalities or 0)).confidence:
            out["fatalities"] = lowest.confidence["fatalities"]
        return out


def same_event(a: Event, b: Event, max_km: float = MERGE_KM, max_days: int = MERGE_DAYS) -> bool:
    """Two reports of one event? The same ACLED sub-event type (an air strike and a shelling of one city on one day
    are two events), dated within `max_days`, at one place or within `max_km`. Undated or unplaced reports never
    merge with another article's."""
    if (a.event_type, a.sub_event_type) != (b.event_type, b.sub_event_type) or not (a.date and b.date):
        return False
    if abs((dt.date.fromisoformat(a.date) - dt.date.fromisoformat(b.date)).days) > max_days:
        return False
    if a.location_id is None or b.location_id is None or (a.geo_precision or 3) > 2 or (b.geo_precision or 3) > 2:
        return False  # a country or a governorate holds many events a day: no evidence of one event
    if a.fatalities and b.fatalities and max(a.fatalities, b.fatalities) > TOLL_RATIO * min(a.fatalities, b.fatalities):
        return False  # tolls rise as bodies are found (20, then 61), but 15 and 160 are two events
    if a.location_id == b.location_id:  # the same town, or the same village the gazetteer lacks
        return True
    apart = event_km(a, b)
    if apart is None or a.geo_precision != 1 or b.geo_precision != 1:
        return False  # a lacking village's point is another place's: no distance to measure
    return apart <= max_km



def _events_key(article, mentions, places, names) -> str:
    targets = {m.target_id for m in mentions}
    return text_key(json.dumps([
        article.id, article.title, article.body, article.date, article.source,
        [(m.kind, m.target_id, m.start, m.end, m.text, m.rule, m.sentence_start) for m in mentions],
        sorted((i, loc.name, loc.lat, loc.lon, loc.country, loc.kind, loc.admin1) for i, loc in places.items() if i in targets),
        sorted((i, name) for i, name in names.items() if i in targets),
        parser_identity(),  # the dependency parse names actors: its model is part of what events are made of
    ], ensure_ascii=False))


CELL_DEGREES = 0.1  # the grid that buckets precisely placed reports: a cell is 11 km high
POLAR_LATITUDE = 80.0  # nearer the poles a row of cells is one bucket (the cells are too narrow to count)
_COLUMNS = round(360 / CELL_DEGREES)


def _days_around(date: str, days: int) -> list[str]:
    """The ISO dates within `days` of `date`, the calendar's ends cut off (9999-12-31 has no next day)."""
    day = dt.date.fromisoformat(date)
    around = []
    for d in range(-days, days + 1):
        try:
            around.append((day + dt.timedelta(days=d)).isoformat())
        except OverflowError:
            pass
    return around


def _column(lon: float) -> int:
    return (math.floor(lon / CELL_DEGREES) + _COLUMNS // 2) % _COLUMNS - _COLUMNS // 2  # 180°E is 180°W


def _cell(lat: float, lon: float) -> tuple[int, int | None]:
    row = math.floor(lat / CELL_DEGREES)
    return (row, None) if abs(lat) >= POLAR_LATITUDE else (row, _column(lon))


def _cells_near(lat: float, lon: float, max_km: float) -> list[tuple[int, int | None]]:
    """Every grid cell that may hold a point within `max_km` of (lat, lon): the rows a meridian arc of max_km
    spans, and in each the columns that a great circle of max_km can cross at the cells' latitudes (haversine:
    sin(d/2R) >= cos(lat) sin(dlon/2)); the antimeridian wrapped, the polar rows whole."""
    arc = math.degrees(max_km / EARTH_KM)  # the largest difference of latitude within max_km
    rows = math.ceil(arc / CELL_DEGREES + 1e-9)
    row = math.floor(lat / CELL_DEGREES)
    cells: list[tuple[int, int | None]] = []
    if abs(lat) + arc >= POLAR_LATITUDE - CELL_DEGREES:
        cells += [(r, None) for r in range(row - rows, row + rows + 1)]
        if abs(lat) - arc > POLAR_LATITUDE + CELL_DEGREES:
            return cells  # nothing outside the polar rows is in reach
    # the highest latitude of the two points: the event's, or a non-polar point's in reach
    widest = max(abs(lat), min(POLAR_LATITUDE, abs(lat) + arc + CELL_DEGREES))
    reach = math.sin(min(max_km / (2 * EARTH_KM), math.pi / 2)) / math.cos(math.radians(widest))
    cols = _COLUMNS if reach >= 1 else math.ceil(math.degrees(2 * math.asin(reach)) / CELL_DEGREES + 1e-9)
    col = _column(lon)
    columns = range(-(_COLUMNS // 2), _COLUMNS // 2) if 2 * cols + 1 >= _COLUMNS else \
        [(c + _COLUMNS // 2) % _COLUMNS - _COLUMNS // 2 for c in range(col - cols, col + cols + 1)]
    cells += [(r, c) for r in range(row - rows, row + rows + 1) for c in columns]
    return cells


def merge_incidents(events: list[Event], max_km: float = MERGE_KM) -> list[Incident]:
    """Group `events` (in article order) into incidents; each event joins the first incident holding a report of
    the same event from ANOTHER article (reports within one article were merged at extraction). Incidents come
    out dated newest first, undated last.

    Only incidents that same_event can accept are looked at: those whose first report has the same type, a date
    within MERGE_DAYS, and the same location id or (placed precisely) a point in a grid cell near the event's. Not
    every pair of reports: one day of many places, or many reports of one event, stays linear."""
    groups: list[list[Event]] = []
    sources: list[set[str]] = []  # each group's article ids
    # (type, sub-type, lead's date, the lead's location id or grid cell) → the groups' numbers, in the order made
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for ev in events:
        near: set[int] = set()
        if ev.date:
            days = _days_around(ev.date, MERGE_DAYS)
            places: list[tuple[str, str | tuple[int, int | None]]] = [("id", ev.location_id)] if ev.location_id is not None else []
            if (pin := _pin(ev)) is not None:
                places += [("cell", c) for c in _cells_near(*pin, max_km)]
            for day in days:
                for where in places:
                    near.update(buckets.get((ev.event_type, ev.sub_event_type, day, where), ()))
        for g in sorted(near):  # the first made first
            if ev.article_id not in sources[g] and same_event(groups[g][0], ev, max_km):
                groups[g].append(ev)
                sources[g].add(ev.article_id)
                break
        else:
            groups.append([ev])
            sources.append({ev.article_id})
            if ev.date:
                key = (ev.event_type, ev.sub_event_type, ev.date)
                if ev.location_id is not None:
                    buckets[(*key, ("id", ev.location_id))].append(len(groups) - 1)
                if (pin := _pin(ev)) is not None:
                    buckets[(*key, ("cell", _cell(*pin)))].append(len(groups) - 1)
    taken: set[str] = set()
    incidents = []
    for group in groups:
        lead = group[0]
        base = slug("-".join(x for x in (lead.date, lead.location, lead.sub_event_type) if x)) or "event"
        base = base[:80].rstrip("-")
        incident_id, n = base, 2
        while incident_id in taken:
            incident_id, n = f"{base}-{n}", n + 1
        taken.add(incident_id)
        incidents.append(Incident(incident_id, tuple(group)))
    return sorted(incidents, key=lambda i: (i.lead.date is None, _neg(i.lead.date), i.id))


def _pin(ev: Event) -> tuple[float, float] | None:
    """The point of a report same_event may merge by distance: a point of its own (precision 1); else None."""
    if ev.geo_precision == 1 and ev.latitude is not None and ev.longitude is not None:
        return ev.latitude, ev.longitude
    return None


def _neg(date: str | None) -> str:
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date) if date else ""


def add_events(index, store=None):
    """`index` (an aggregate.Index) with the events of every article and their incidents; what extraction refused
    in an article (an impossible date or toll) joins its problems as a warning on its file.
    `store` (get/put, e.g. the build cache's "events" table) keeps each article's events and warnings between
    builds (an ArticleEvents), keyed by everything they are made of: the article's text and date, its mentions and
    the records they point at."""
    places = {i: s.record for i, s in index.locations.items()}
    names = {i: s.name for i, s in index.entities.items()}
    events: dict[str, tuple[Event, ...]] = {}
    problems: list[Problem] = []
    for article in index.articles:
        mentions = index.mentions_by_article.get(article.id, [])
        key = _events_key(article, mentions, places, names) if store is not None else None
        cached = store.get(key) if store is not None else None
        if isinstance(cached, ArticleEvents):  # JSON gives lists back: the records hold tuples
            result = ArticleEvents(tuple(replace(e, evidence=tuple(e.evidence)) for e in cached.events),
                                   tuple(cached.warnings))
        else:  # not stored (or in another shape: made again)
            warnings: list[str] = []
            found = guarded("events", lambda: extract_events(article, mentions, places, names, warnings=warnings),
                            STAGE_SECONDS["events"])
            if isinstance(found, Failure):  # the article is published without events; the failure is listed
                problems.append(Problem(article.original, "error", found.message("the article has no events")))
                continue
            result = ArticleEvents(found, tuple(warnings))
            if store is not None:
                store.put(key, result)
        if result.events:
            events[article.id] = result.events
        problems.extend(Problem(article.original, "warning", f"events: {w}") for w in result.warnings)
    known = set(index.problems)  # a second add_events on the index does not list its problems twice
    added = [p for p in dict.fromkeys(problems) if p not in known]
    return replace(index, events=events, incidents=merge_incidents([e for found in events.values() for e in found]),
                   problems=sorted(index.problems + added) if added else index.problems)
