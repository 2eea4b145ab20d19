"""The browse family: the A–Z indexes of entities and locations, the timeline, sources, data quality, the
events index, and the summary on the home page. Each is a page in the nav, so each is filled into a shell of
its own (the theme marks its tab as the current one)."""

from __future__ import annotations

from collections.abc import Callable

import markdown

from ..aggregate import Index
from ..models import Location
from ..render import HtmlPage, PageJob, pack, render
from ..render.events import events_index_job
from ..render.sanitise import sanitise
from ..render.subjects import Tiles, az_key, entity_groups, location_groups, month_bars, root_of, years_axis
from . import EmitContext, Emission

HOME = "index.md"
LATEST_ON_HOME = 10


class IndexPages:
    name = "index-pages"
    depends_on = ("articles", "analysis", "settings", "shells")

    def emit(self, context: EmitContext) -> Emission:
        # each lists the whole archive and is cheap to render: rendered whenever the analysis changed
        jobs = index_jobs(context.index, context.tiles, context.country_of)
        return Emission(pages=tuple(HtmlPage(job.page_path, job.title, job.render(), job.search_type, job.date,
                                             own_shell=True) for job in jobs))


class HomeSummary:
    """The figures and latest articles, put where the hand-written home page (docs/index.md) says
    `<!-- archive:summary -->`."""

    name = "home-summary"
    depends_on = ("articles", "analysis", "shells")

    def emit(self, context: EmitContext) -> Emission:
        html = sanitise(markdown.markdown(render_home_summary(context.index), extensions=["tables", "toc"]))
        return Emission(pages=(HtmlPage(HOME, "", pack(html), None, own_shell=True),))


def index_jobs(index: Index, tiles: Tiles, country_of: Callable[[str], Location | None]) -> list[PageJob]:
    """The index and browse pages. Each lists the whole archive and is cheap to render: rendered every build."""
    def job(template: str, page_path: str, title: str, **context) -> PageJob:
        return PageJob(template, page_path, title, None, None, None,
                       lambda: {"index": index, "root": root_of(page_path), **context}, own_shell=True)

    errors = sum(p.severity == "error" for p in index.problems)
    months_chart = month_bars(sorted((f"{y}-{m}", len(articles)) for y, months in index.by_year_month.items()
                                     for m, articles in months.items()), limit=None)

    def country_name(code: str | None) -> str | None:
        country = country_of(code) if code else None
        return country.name if country else None

    return [
        job("entities_index.html.j2", "entities/index.md", "Entities", groups=entity_groups(index), az_key=az_key),
        job("locations_index.html.j2", "locations/index.md", "Locations", tiles=tiles,
            groups=location_groups(index, country_name)),
        job("timeline.html.j2", "browse/timeline.md", "Timeline", months_chart=months_chart, years_axis=years_axis(months_chart)),
        job("browse.html.j2", "browse/index.md", "Browse"),
        job("sources.html.j2", "browse/sources.md", "Sources"),
        job("quality.html.j2", "browse/quality.md", "Data quality", errors=errors, warnings=len(index.problems) - errors),
        events_index_job(index, tiles),
    ]


def render_home_summary(index: Index) -> str:
    dated = [a.date for a in index.articles if a.date]
    return render("home.md.j2", "index.md", index=index, latest=index.articles[:LATEST_ON_HOME],
                  first_date=min(dated) if dated else None, last_date=max(dated) if dated else None)


