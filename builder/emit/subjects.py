"""The entity and location families: a page per person, organisation, place (and pages 2, 3, … of a busy
subject's articles)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ..aggregate import AnySubject, Index, Subject
from ..models import Entity, Location
from ..render import PageJob, render_jobs
from ..render.events import with_events
from ..render.linked_data import subject_og
from ..render.related import cooccurrence
from ..render.subjects import Tiles, made_of, paged_path, pages_of, subject_context
from . import EmitContext, Emission


class EntityPages:
    name = "entity-pages"
    depends_on = ("analysis", "shells")

    def emit(self, context: EmitContext) -> Emission:
        return Emission(pages=tuple(render_jobs(entity_jobs(context.index), context.store, context.workers)))


class LocationPages:
    name = "location-pages"
    depends_on = ("analysis", "settings", "shells")

    def emit(self, context: EmitContext) -> Emission:
        jobs = location_jobs(context.index, context.tiles, context.country_of)
        return Emission(pages=tuple(render_jobs(jobs, context.store, context.workers)))


def more_pages(s: AnySubject, index: Index) -> list[PageJob]:
    """Pages 2, 3, … of a busy subject's articles (entities/<id>/page-2, …): every article reachable in HTML.
    Search finds the subject's first page, so these are not indexed."""
    jobs = []
    for pager in pages_of(len(s.article_ids))[1:]:
        path = paged_path(s.page_path, pager.number)
        jobs.append(PageJob("subject_more.html.j2", path, f"{s.name}: page {pager.number} of {pager.count}", None, None,
                            made_of(s, index, pager),
                            functools.partial(subject_context, s, index, path, pager)))
    return jobs


def entity_jobs(index: Index) -> list[PageJob]:
    jobs = []
    for s in index.entities.values():
        network = cooccurrence(s, index)
        jobs.append(PageJob("entity.html.j2", s.page_path, s.name, s.record.type, None, (made_of(s, index), network),
                            functools.partial(_entity_context, s, index, network),
                            og=subject_og(s)))
        jobs += more_pages(s, index)
    return with_events(jobs, index)


def location_jobs(index: Index, tiles: Tiles, country_of: Callable[[str], Location | None]) -> list[PageJob]:
    jobs = []
    for s in index.locations.values():
        country_record = country_of(s.record.country) if s.record.country else None
        country = index.locations.get(country_record.id) if country_record else None
        region = index.locations.get(s.record.admin1_id) if s.record.admin1_id else None
        extra = dict(tiles=tiles, zoom=5 if s.record.kind == "country" else 9, country=country.record if country else None,
                     country_page=country.page_path if country else None,
                     region_page=region.page_path if region else None)
        jobs.append(PageJob("location.html.j2", s.page_path, s.name, s.record.kind, None, (made_of(s, index), extra),
                            functools.partial(_location_context, s, index, extra), og=subject_og(s)))
        jobs += more_pages(s, index)
    return with_events(jobs, index)


def _entity_context(s: Subject[Entity], index: Index, network: dict) -> dict:
    return {**subject_context(s, index, s.page_path), "network": network}


def _location_context(s: Subject[Location], index: Index, extra: dict) -> dict:
    return {**extra, **subject_context(s, index, s.page_path)}
