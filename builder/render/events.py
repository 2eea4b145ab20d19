"""Event pages: the events index (filters, map, a sortable paged table) and a page per incident; the events shown
on entity, location and article pages (the `_events.html.j2` partial).

The events index is small at any size: the page holds the filter's place, the map and the table's first page (so
it lists incidents without scripts), and every incident is one compact row of `data/events-index.json`
(`index_data`), fetched once by archive-events.js, which draws the filters, the table's other pages and the map
from it and writes the CSV of the current selection."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from dataclasses import replace
from importlib import resources

import yaml

from ..aggregate import Index
from ..aggregate.incidents import Incident
from .subjects import Tiles, root_of

INDEX_PATH = "events/index.md"
INDEX_DATA = "data/events-index.json"  # the events index's rows (index_data), fetched once by archive-events.js
PAGE_ROWS = 50  # incidents a page of the events table shows (the first page is in the HTML)
PRECISION = {1: "day", 2: "week", 3: "month"}


def incident_ref(incident: Incident) -> tuple:
    """An incident in a page's cache key: everything its entry shows."""
    return (incident.id, repr(incident.events))


def label(incident: Incident) -> str:
    """'Air/drone strike in Aleppo, 4 May 2020'."""
    lead = incident.lead
    when = _date_label(lead.date, lead.time_precision) if lead.date else "undated"
    return f"{lead.sub_event_type} in {lead.location or 'an unknown place'}, {when}"


def _date_label(date: str, precision: int | None) -> str:
    day = dt.date.fromisoformat(date)
    if precision == 3:
        return day.strftime("%B %Y")
    if precision == 2:
        return "week of " + day.strftime("%-d %B %Y")
    return day.strftime("%-d %B %Y")


def actors_of(incident: Incident) -> list[tuple[str, str | None]]:
    """(name, subject id) of its actors, attacker first, each once."""
    seen = {}
    for e in incident.events:
        for name, target in ((e.actor1, e.actor1_id), (e.actor2, e.actor2_id)):
            if name and name not in seen:
                seen[name] = target
    return list(seen.items())


def by_subject(index: Index) -> dict[str, list[Incident]]:
    """A subject's page path (entity or location) → the incidents it is the place or an actor of."""
    found: dict[str, list[Incident]] = defaultdict(list)
    for incident in index.incidents:
        ids = {i for e in incident.events for i in (e.location_id, e.actor1_id, e.actor2_id) if i}
        for page in sorted({p for i in ids if (p := _subject_page(index, i))}):
            found[page].append(incident)
    return dict(found)


def _subject_page(index: Index, subject_id: str | None) -> str | None:
    if subject_id in index.locations:
        return index.locations[subject_id].page_path
    if subject_id in index.entities:
        return index.entities[subject_id].page_path
    return None


def event_jobs(index: Index, tiles: Tiles) -> list:
    """The events index and one page per incident, as PageJobs (render_jobs renders or reuses them)."""
    from . import PageJob

    jobs = []
    for incident in index.incidents:
        refs = incident_ref(incident)
        pages = {i: _subject_page(index, i) for e in incident.events for i in (e.location_id, e.actor1_id, e.actor2_id) if i}
        articles = {a: index.by_id[a] for a in incident.article_ids}

        def context(incident=incident, pages=pages, articles=articles) -> dict:
            return dict(incident=incident, title=label(incident), actors=actors_of(incident), pages=pages,
                        reports=side_by_side(incident), lead_uncertain=uncertain_fields(incident.lead), uncertain_below=_uncertain_below(),
                        articles=articles, tiles=tiles, root=root_of(incident.page_path), precision=PRECISION,
                        date_text=_date_label(incident.lead.date, incident.lead.time_precision) if incident.lead.date else None)

        made_of = (refs, sorted((k, v or "") for k, v in pages.items()),
                   [(a.id, a.title, a.date, a.source) for a in articles.values()], tiles,
                   _uncertain_below(),  # data/events_index.yml is not in the page cache's code key (cache.STAGES["html"])
                   [sorted(uncertain_fields(e)) for e in incident.events])  # nor the measured confidences
        jobs.append(PageJob("incident.html.j2", incident.page_path, label(incident), "event", incident.lead.date,
                            made_of, context))
    return jobs


# The fields the incident page compares across reports: (column, the Event attributes it shows, confidence keys).
REPORT_FIELDS = (("date", ("date",), ("date",)), ("place", ("location",), ("location",)),
                 ("actors", ("actor1", "actor2"), ("actor1", "actor2")), ("killed", ("fatalities",), ("fatalities",)))


# ... and the type and sub-type the page's heading line states (flagged there, not compared: they make the incident).
FLAGGED_FIELDS = REPORT_FIELDS + (("type", ("event_type",), ("event_type",)), ("sub_type", ("sub_event_type",), ("sub_event_type",)))


def uncertain_fields(event) -> set[str]:
    """The columns of FLAGGED_FIELDS whose value this report holds with a confidence below `uncertain_below`
    (builder/data/events_index.yml). Reads the report's `confidence` mapping (field name → 0..1, the measured
    precision of the rule that made the field) when the extraction gives one; a report without it has none."""
    confidence = getattr(event, "confidence", None)
    if not isinstance(confidence, dict) or not confidence:
        return set()
    threshold = _uncertain_below()
    out = set()
    for column, attributes, keys in FLAGGED_FIELDS:
        for attribute, key in zip(attributes, keys):
            value = confidence.get(key)
            if getattr(event, attribute, None) is not None and isinstance(value, (int, float)) and value < threshold:
                out.add(column)
    return out


@functools.cache
def _uncertain_below() -> float:
    data = yaml.safe_load(resources.files("builder").joinpath("data/events_index.yml").read_text("utf-8")) or {}
    return float(data.get("uncertain_below", 0.6))


def side_by_side(incident: Incident) -> dict:
    """Each report of an incident with its own date, place, actors and toll, and where they disagree: a field
    differs when the reports that give a value give more than one; a report's value then is marked when it is not
    the one most reports give (all of them, on a tie). A report that gives no value does not disagree. The actors
    are compared role by role: the attacker with the attackers, the other party with the others."""
    events = incident.events
    differs = {column: False for column, _, _ in REPORT_FIELDS}
    marked: list[set[str]] = [set() for _ in events]
    for column, attributes, _ in REPORT_FIELDS:
        for attribute in attributes:
            values = [getattr(e, attribute) for e in events]
            counts: dict = defaultdict(int)
            for v in values:
                if v is not None:
                    counts[v] += 1
            if len(counts) < 2:
                continue
            differs[column] = True
            top = max(counts.values())
            majority = [v for v, n in counts.items() if n == top]
            for i, v in enumerate(values):
                if v is not None and (len(majority) > 1 or v != majority[0]):
                    marked[i].add(column)
    rows = [{"event": e, "differs": m, "uncertain": uncertain_fields(e)} for e, m in zip(events, marked)]
    return {"rows": rows, "differs": differs, "any": any(differs.values()),
            "uncertain": any(r["uncertain"] for r in rows)}


def events_index_job(index: Index, tiles: Tiles):
    """events/index.md: the filters, map and table of every incident (the table's first page in the HTML, every row
    in INDEX_DATA); a page in the nav, with a shell of its own."""
    from . import PageJob

    def context() -> dict:
        clean = CleanActors(index)
        first = [_entry(index, i, clean) for i in newest_first(index.incidents)[:PAGE_ROWS]]
        return dict(entries=first, tiles=tiles, root=root_of(INDEX_PATH), count=len(index.incidents),
                    reports=sum(len(i.events) for i in index.incidents), page_rows=PAGE_ROWS,
                    types=sorted({i.lead.event_type for i in index.incidents}), type_class=type_class)

    return PageJob("events_index.html.j2", INDEX_PATH, "Events", None, None, None, context, own_shell=True)


def newest_first(incidents) -> list[Incident]:
    """The table's order before a reader sorts it: newest first, undated last, then by id (stable)."""
    dated = sorted((i for i in incidents if i.lead.date), key=lambda i: i.id)
    dated.sort(key=lambda i: i.lead.date, reverse=True)
    return dated + sorted((i for i in incidents if not i.lead.date), key=lambda i: i.id)


def type_class(event_type: str) -> str:
    """The CSS modifier of an event type's colour: 'Explosions/Remote violence' → 'explosions-remote-violence'."""
    return re.sub(r"[^a-z0-9]+", "-", event_type.lower()).strip("-")


def _entry(index: Index, incident: Incident, clean: "CleanActors") -> dict:
    """One row of the table's first page (the HTML), as archive-events.js draws the others."""
    lead = incident.lead
    figures = incident.fatalities_range
    return {
        "id": incident.id, "path": incident.page_path, "label": label(incident), "date": lead.date or "",
        "type": lead.sub_event_type, "event_type": lead.event_type, "admin1": lead.admin1 or "",
        "actors": tuple(name for name, target in actors_of(incident) if clean(name, target)), "reports": len(incident.events),
        "fatalities": "" if figures is None else (str(figures[0]) if figures[0] == figures[1] else f"{figures[0]}–{figures[1]}"),
    }


def _words(words) -> re.Pattern | None:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I) if words else None


@functools.cache
def _index_rules() -> tuple[tuple[re.Pattern, ...], re.Pattern | None, frozenset[str], frozenset[str]]:
    data = yaml.safe_load(resources.files("builder").joinpath("data/events_index.yml").read_text("utf-8")) or {}
    names = yaml.safe_load(resources.files("builder").joinpath("data/name_rules.yml").read_text("utf-8")) or {}
    acled = tuple(re.compile(p) for p in data.get("acled_actors") or ())
    first = frozenset(w.casefold() for w in [*(names.get("organisation_prefixes") or ()), *(data.get("armed_first_words") or ())])
    last = frozenset(w.casefold() for w in data.get("armed_last_words") or ())
    return acled, _words(data.get("reporting") or ()), first, last


class CleanActors:
    """Whether an actor may be listed in the events index's filter (builder/data/events_index.yml says why): a
    country, a name the event rules make ("Unidentified armed group", "Civilians (Syria)"), a registry
    organisation that is not an outlet or a reporter, or a discovered name built like an armed group's. Other
    discovered names, persons and facilities are not."""

    def __init__(self, index: Index):
        from ..aggregate.events import load_rules
        from ..ingest.sources import known_source

        rules = load_rules()
        self.index = index
        self.made = {name for name, _ in rules.described_actors} | (
            {rules.unattributed_actor} if rules.unattributed_actor is not None else set())
        self.acled, self.reporting, self.armed_first, self.armed_last = _index_rules()
        self.known_source = known_source
        self._seen: dict[tuple[str, str | None], bool] = {}

    def __call__(self, name: str | None, target: str | None) -> bool:
        if not name:
            return False
        key = (name, target)
        if key not in self._seen:
            self._seen[key] = self._decide(name, target)
        return self._seen[key]

    def _decide(self, name: str, target: str | None) -> bool:
        place = self.index.locations.get(target) if target else None
        if place is not None and place.record.kind == "country":
            return True
        if name in self.made or any(p.fullmatch(name) for p in self.acled):
            return True
        entity = self.index.entities.get(target) if target else None
        if entity is None:
            return False
        record = entity.record
        if self.known_source(record.name):
            return False
        if record.origin != "registry":
            return record.type != "facility" and self._armed_name(record.name)
        if record.type != "organisation":
            return False
        return not (self.reporting and record.description and self.reporting.search(record.description))

    def _armed_name(self, name: str) -> bool:
        """Built like an armed group's name: 'Faylaq al-Rahman', 'Jund al-Aqsa', 'Syrian Armed Forces'; not a place
        glued to one ('Daraa Army', 'Homs The Syrian Air Force': the name starts with a place the archive knows) nor two
        names glued ('Faylaq al-Rahman Jaysh al-Islam')."""
        words = name.replace("-", " ").split()
        if len(words) < 2:
            return False
        if any(" ".join(words[:n]).casefold() in self._place_names for n in range(1, min(3, len(words) - 1) + 1)):
            return False
        if any(w.casefold() in self.armed_first for w in words[1:]):
            return False  # two groups' names glued ('Faylaq al-Rahman Jaysh al-Islam')
        return (words[0].casefold() in self.armed_first or " ".join(words[:2]).casefold() in self.armed_first
                or words[-1].casefold() in self.armed_last)

    @functools.cached_property
    def _place_names(self) -> frozenset[str]:
        names = set()
        for subject in self.index.locations.values():
            for n in (subject.record.name, *subject.record.aliases):
                names.add(n.replace("-", " ").casefold())
        return frozenset(names)


def clean_place(index: Index, incident: Incident) -> bool:
    """A place the filter lists: one with a page of its own (gazetteer or a named place the gazetteer lacks)."""
    lead = incident.lead
    return bool(lead.location and lead.location_id and lead.location_id in index.locations)


def index_data(index: Index) -> dict:
    """data/events-index.json: every incident as one compact row, strings in tables (a row holds their indices).

    `types`: event types; `subs`: [sub-event type, its type's index]; `actors`: every actor's name, the ones the
    filter lists (CleanActors) first, `clean_actors` of them; `places` likewise with `clean_places`; `admin1`:
    governorates. `rows`, newest first: [id, date ("" undated), time precision (0 unknown), sub index, place index
    (-1 none), admin1 index (-1 none), latitude, longitude (null when unmapped), lowest toll, highest toll (null when
    none reported), reports, main (0/1), [actor indices, attacker first], actor1 index, actor2 index (-1 none)].
    actor1/actor2 are events.csv's (the first a report names); the list is every actor of every report."""
    clean = CleanActors(index)
    incidents = newest_first(index.incidents)
    types = sorted({i.lead.event_type for i in incidents})
    subs = sorted({(i.lead.sub_event_type, i.lead.event_type) for i in incidents})
    sub_index = {s: n for n, s in enumerate(subs)}

    actor_names: dict[str, bool] = {}
    for incident in incidents:
        for name, target in actors_of(incident):
            actor_names[name] = actor_names.get(name, False) or clean(name, target)
        for name in (incident.first("actor1"), incident.first("actor2")):
            if name:
                actor_names.setdefault(name, False)
    place_names: dict[str, bool] = {}
    for incident in incidents:
        if incident.lead.location:
            place_names[incident.lead.location] = place_names.get(incident.lead.location, False) or clean_place(index, incident)
    actors = _clean_first(actor_names)
    places = _clean_first(place_names)
    admin1 = sorted({i.lead.admin1 for i in incidents if i.lead.admin1})
    a_at, p_at, g_at = ({v: n for n, v in enumerate(t)} for t in (actors, places, admin1))

    rows = []
    for incident in incidents:
        lead = incident.lead
        figures = incident.fatalities_range
        point = (round(lead.latitude, 4), round(lead.longitude, 4)) \
            if lead.latitude is not None and lead.longitude is not None else (None, None)
        rows.append([
            incident.id, lead.date or "", lead.time_precision or 0, sub_index[(lead.sub_event_type, lead.event_type)],
            p_at[lead.location] if lead.location else -1, g_at[lead.admin1] if lead.admin1 else -1,
            point[0], point[1],
            figures[0] if figures else None, figures[1] if figures else None, len(incident.events), int(incident.main),
            [a_at[name] for name, _ in actors_of(incident)],
            a_at.get(incident.first("actor1") or "", -1), a_at.get(incident.first("actor2") or "", -1),
        ])
    return {"types": types, "subs": [[s, types.index(t)] for s, t in subs],
            "actors": actors, "clean_actors": sum(actor_names.values()),
            "places": places, "clean_places": sum(place_names.values()), "admin1": admin1, "rows": rows}


def _clean_first(names: dict[str, bool]) -> list[str]:
    return sorted(names, key=lambda n: (not names[n], n.casefold(), n))


def index_data_json(index: Index) -> bytes:
    """index_data as the file's bytes: compact, deterministic, escaped as every JSON file of the site."""
    from ..markup.escape import site_json

    return (site_json(index_data(index), separators=(",", ":")) + "\n").encode("utf-8")


def events_geojson(index: Index) -> dict:
    """The incidents with coordinates as points for the events map (archive-map.js reads name, url, mentions)."""
    features = []
    for incident in index.incidents:
        lead = incident.lead
        if lead.latitude is None or lead.longitude is None:
            continue
        features.append({"type": "Feature", "id": incident.id,
                         "geometry": {"type": "Point", "coordinates": [lead.longitude, lead.latitude]},
                         "properties": {"name": label(incident), "url": incident.url, "mentions": len(incident.events),
                                        "event_type": lead.event_type, "sub_event_type": lead.sub_event_type,
                                        "date": lead.date, "fatalities": incident.fatalities_range and incident.fatalities_range[0]}})
    return {"type": "FeatureCollection", "features": features}


def with_events(jobs: list, index: Index) -> list:
    """Article, entity and location pages that have events: their job shows them (the `_events.html.j2` partial)
    and its cache key holds them."""
    subjects = by_subject(index)
    out = []
    for job in jobs:
        page = job.page_path
        if page.startswith("articles/"):
            incidents = index.incidents_by_article.get(page[len("articles/"):-len(".md")], [])
        elif page.startswith(("entities/", "locations/")):
            incidents = subjects.get(page, [])
        else:
            incidents = []
        if incidents and page.startswith(("articles/", "entities/", "locations/")):
            items = [(i.page_path, label(i), i.fatalities_range) for i in incidents]
            job = replace(job, made_of=(job.made_of, items),
                          context=lambda job=job, items=items: {**job.context(), "events": items})
        out.append(job)
    return out
