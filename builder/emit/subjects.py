"""The entity and location families: a page per person, organisation, place."""

from __future__ import annotations

from .. import render
from . import EmitContext, Emission


class EntityPages:
    name = "entity-pages"
    depends_on = ("analysis", "shells")

    def emit(self, context: EmitContext) -> Emission:
        return Emission(pages=tuple(render.render_jobs(render.entity_jobs(context.index), context.store, context.workers)))


class LocationPages:
    name = "location-pages"
    depends_on = ("analysis", "settings", "shells")

    def emit(self, context: EmitContext) -> Emission:
        jobs = render.location_jobs(context.index, context.tiles, context.country_of)
        return Emission(pages=tuple(render.render_jobs(jobs, context.store, context.workers)))
