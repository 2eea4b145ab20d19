"""The events family: a page per incident (reports of one event merged); the events index is an index page
(builder/emit/indexes.py) and the events' rows are in the exports."""

from __future__ import annotations

from .. import render
from . import EmitContext, Emission


class IncidentPages:
    name = "incident-pages"
    depends_on = ("articles", "analysis", "settings", "shells")

    def emit(self, context: EmitContext) -> Emission:
        jobs = render.event_jobs(context.index, context.tiles)
        return Emission(pages=tuple(render.render_jobs(jobs, context.store, context.workers)))
