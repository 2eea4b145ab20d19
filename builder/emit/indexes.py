"""The browse family: the A–Z indexes of entities and locations, the timeline, sources, data quality, and the
summary on the home page. Each is a page in the nav, so each is filled into a shell of its own (the theme
marks its tab as the current one)."""

from __future__ import annotations

import markdown

from .. import render
from ..render.sanitise import sanitise
from . import EmitContext, Emission

TITLES = {"entities/index.md": "Entities", "locations/index.md": "Locations", "browse/timeline.md": "Timeline",
          "browse/sources.md": "Sources", "browse/quality.md": "Data quality"}
HOME = "index.md"


def markdown_html(text: str, blocks: render.RawBlocks | None = None) -> str:
    """Markdown rendered here, as mkdocs would (tables, heading ids), then sanitised like every page."""
    html = markdown.markdown(text, extensions=["tables", "toc"], output_format="html")
    return sanitise(blocks.restore(html) if blocks else html)


class IndexPages:
    name = "index-pages"
    depends_on = ("articles", "analysis", "settings", "shells")

    def emit(self, context: EmitContext) -> Emission:
        blocks = render.RawBlocks()
        texts = render.index_markdown(context.index, context.tiles, context.country_of, blocks)
        pages = tuple(render.HtmlPage(path, TITLES.get(path, path), render.pack(markdown_html(text, blocks)), "")
                      for path, text in texts.items())
        return Emission(pages=pages, own_shells=True)


class HomeSummary:
    """The figures and latest articles, put where the hand-written home page (docs/index.md) says
    `<!-- archive:summary -->`."""

    name = "home-summary"
    depends_on = ("articles", "analysis", "shells")

    def emit(self, context: EmitContext) -> Emission:
        html = markdown_html(render.render_home_summary(context.index))
        return Emission(pages=(render.HtmlPage(HOME, "", render.pack(html), ""),), own_shells=True)
