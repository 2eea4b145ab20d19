"""The events family: a page per incident (reports of one event merged); the events index is an index page
(builder/emit/indexes.py) and the events' rows are in the exports."""

from __future__ import annotations

from ..render import render_jobs
from ..render.events import event_jobs
from . import EmitContext, Emission


class IncidentPages:
    name = "incident-pages"
    depends_on = ("articles", "analysis", "settings", "shells")

    def emit(self, context: EmitContext) -> Emission:
        jobs = event_jobs(context.index, context.tiles)
        return Emission(pages=tuple(render_jobs(jobs, context.store, context.workers)))
