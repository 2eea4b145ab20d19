"""Event pages: the events index (timeline, map, filters) and a page per incident; the events shown on entity,
location and article pages (the `_events.html.j2` partial)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from ..aggregate import Index
from ..aggregate.incidents import Incident
from .subjects import Tiles, root_of

INDEX_PATH = "events/index.md"
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
                        articles=articles, tiles=tiles, root=root_of(incident.page_path), precision=PRECISION,
                        date_text=_date_label(incident.lead.date, incident.lead.time_precision) if incident.lead.date else None)

        made_of = (refs, sorted((k, v or "") for k, v in pages.items()),
                   [(a.id, a.title, a.date, a.source) for a in articles.values()], tiles)
        jobs.append(PageJob("incident.html.j2", incident.page_path, label(incident), "event", incident.lead.date,
                            made_of, context))
    return jobs


def events_index_job(index: Index, tiles: Tiles):
    """events/index.md: the timeline, map and filter of every incident; a page in the nav, with a shell of its own."""
    from . import PageJob

    def context() -> dict:
        entries = [_entry(index, i) for i in index.incidents]
        months: dict[str, list[dict]] = defaultdict(list)
        for e in entries:
            months[e["date"][:7] if e["date"] else "undated"].append(e)
        return dict(months=list(months.items()), tiles=tiles, root=root_of(INDEX_PATH), count=len(entries),
                    reports=sum(len(i.events) for i in index.incidents))

    return PageJob("events_index.html.j2", INDEX_PATH, "Events", None, None, None, context, own_shell=True)


def _entry(index: Index, incident: Incident) -> dict:
    lead = incident.lead
    figures = incident.fatalities_range
    return {
        "id": incident.id, "path": incident.page_path, "label": label(incident), "date": lead.date or "",
        "type": lead.sub_event_type, "event_type": lead.event_type, "place": lead.location or "", "admin1": lead.admin1 or "",
        "actors": tuple(name for name, _ in actors_of(incident)), "reports": len(incident.events),
        "fatalities": "" if figures is None else (str(figures[0]) if figures[0] == figures[1] else f"{figures[0]}–{figures[1]}"),
    }


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
