"""The events family: a page per incident (reports of one event merged) and data/events-index.json, the events
index's rows (render.events.index_data); the events index page is an index page (builder/emit/indexes.py) and the
events' rows are in the exports."""

from __future__ import annotations

from ..render import render_jobs
from ..render.events import INDEX_DATA, event_jobs, index_data_json
from . import EmitContext, Emission


class IncidentPages:
    name = "incident-pages"
    depends_on = ("articles", "analysis", "settings", "shells")

    def emit(self, context: EmitContext) -> Emission:
        jobs = event_jobs(context.index, context.tiles)
        return Emission(pages=tuple(render_jobs(jobs, context.store, context.workers)),
                        files={INDEX_DATA: index_data_json(context.index)})
