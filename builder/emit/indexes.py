"""The browse family: the A–Z indexes of entities and locations, the timeline, sources, data quality, and the
summary on the home page. Each is a page in the nav, so each is filled into a shell of its own (the theme
marks its tab as the current one)."""

from __future__ import annotations

import markdown

from .. import render
from ..render.sanitise import sanitise
from . import EmitContext, Emission

HOME = "index.md"


class IndexPages:
    name = "index-pages"
    depends_on = ("articles", "analysis", "settings", "shells")

    def emit(self, context: EmitContext) -> Emission:
        # each lists the whole archive and is cheap to render: rendered whenever the analysis changed
        jobs = render.index_jobs(context.index, context.tiles, context.country_of)
        return Emission(pages=tuple(render.HtmlPage(job.page_path, job.title, job.render(), job.search_type, job.date,
                                                    own_shell=True) for job in jobs))


class HomeSummary:
    """The figures and latest articles, put where the hand-written home page (docs/index.md) says
    `<!-- archive:summary -->`."""

    name = "home-summary"
    depends_on = ("articles", "analysis", "shells")

    def emit(self, context: EmitContext) -> Emission:
        html = sanitise(markdown.markdown(render.render_home_summary(context.index), extensions=["tables", "toc"]))
        return Emission(pages=(render.HtmlPage(HOME, "", render.pack(html), None, own_shell=True),))
