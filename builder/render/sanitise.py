"""The last guard before a page reaches a reader: rendered HTML is cleaned with nh3 (ammonia).

Article text is escaped long before this, so nothing here should ever fire; if an escape were
missed, this still drops scripts, event handlers and javascript:/data: links.
"""

from __future__ import annotations

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "role", "aria-label", "data-lat", "data-lon", "data-geojson", "data-tiles",
          "data-attribution", "data-zoom", "data-root", "data-name", "data-label", "data-pagefind-filter",
          "data-pagefind-meta", "data-pagefind-body", "data-pagefind-ignore", "data-pagefind-sort",
          "data-pagefind-weight", "aria-current", "aria-hidden", "aria-labelledby", "data-archive-preview", "data-permalink", "data-network",
          "data-browse", "data-month",
          "data-type", "data-place", "data-admin1", "data-actors", "data-id",  # the events filter (data-id: its map)
          "data-unit"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"}, "ol": {"start"},
    "div": {"style"}, "span": {"style"},  # bar charts: only width and height survive, see below
}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        filter_style_properties={"width", "height"},
        strip_comments=True,
    )
