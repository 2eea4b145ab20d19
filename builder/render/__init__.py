"""Render: the library the page families (builder/emit/) render with: the Jinja2 environment, page objects,
escaping, snippets, and rendering many pages at once.

Every generated page is HTML (`HtmlPage`), so none costs a Markdown parse. Article, entity and location
pages, thousands of them, go into their folder's shared page shell (builder/site/shells.py); the index and
browse pages (`own_shell`: entities/, locations/, browse/…) each get a shell of their own, rendered by mkdocs,
so the nav marks them as current. The only Markdown written under docs/ is each article's normalised record
(front matter + clean Markdown body), docs/articles/<id>.md (builder/emit/articles.py)."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import html
import io
import logging
import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import jinja2

from ..paths import slug
from ..isolation import Failure, guarded
from ..progress import progress
from ..workers import forked_map
from ..markup.escape import md_filter
from .linked_data import json_ld_script
from .sanitise import sanitise
from .subjects import Tiles, counted, noun, root_of, type_label, url_maker

log = logging.getLogger("builder")

__all__ = ["HtmlPage", "PageJob", "PageStore", "NoStore", "Tiles", "environment", "pack", "render", "render_jobs"]

PARALLEL_RENDER_FROM = 500  # pages; below this forking workers costs more than it saves


@functools.cache
def environment() -> jinja2.Environment:
    """The templates' environment, made once per process (Jinja2 caches each compiled template in it)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("builder.render", "templates"),
        autoescape=True,  # every {{ }} is HTML-escaped; Markdown contexts add `| md`
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_filter
    env.filters["plural"] = counted  # {{ n | plural("source") }} → "1 source", "2 sources"
    env.globals.update(
        month_name=lambda m: calendar.month_name[int(m)],
        date_label=lambda d: dt.date.fromisoformat(d).strftime("%-d %B %Y"),
        month_label=lambda ym: f"{calendar.month_name[int(ym[5:7])]} {ym[:4]}",
        anchor=lambda name: "source-" + (slug(name) or "unknown"),
        slug=lambda text: slug(text) or "section",
        type_label=type_label,
        noun=noun,  # {{ noun(n, "source") }} → "source" / "sources"
    )
    return env


@dataclass(frozen=True)
class HtmlPage:
    """A generated page that skips mkdocs' per-page pipeline: its content goes straight into the page shell."""

    src_uri: str  # where its Markdown would be, inside docs/: "entities/hezbollah.md"
    title: str
    packed: bytes  # the HTML of the page body, <h1> included, sanitised, wrapped for search: zlib-compressed
    search_type: str | None  # the Pagefind type filter: article, person, organisation, city, country, …; None: not indexed
    date: str | None = None  # an article's, for sorting search results
    own_shell: bool = False  # an index or browse page in the nav: rendered into a shell of its own, not its folder's
    og: tuple[tuple[str, str], ...] = ()  # Open Graph (property, content) pairs for the page's <head>: see og_meta

    def og_meta(self) -> str:
        """The page's Open Graph tags, escaped, for the shell's <head> (og:url and og:site_name are the shell's:
        it knows the site's address and name)."""
        def attribute(value: str) -> str:  # '=' too: no value reads as an attribute, even to a naive scanner
            return html.escape(value).replace("=", "&#61;")

        return "".join(f'<meta property="{attribute(p)}" content="{attribute(c)}">' for p, c in self.og)

    @property
    def content(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")


def pack(content: str) -> bytes:
    """Pages are held and cached compressed: at 10,000 articles their HTML is ~400 MB, compressed ~5× less."""
    return zlib.compress(content.encode("utf-8"), 1)


class PageStore(Protocol):
    """Where rendered pages are kept between builds (cache.Table), packed."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes) -> None: ...


class NoStore:
    def get(self, key: str) -> None:
        return None

    def put(self, key: str, value: bytes) -> None:
        pass


def searchable(content: str, kind: str | None, date: str | None = None) -> str:
    """Article, entity and location pages are what search finds; each says its type for the filter. Index and
    browse pages (`kind` None) are lists of links: Pagefind leaves them out."""
    if kind is None:
        return f'<div class="archive-page">{content}</div>'
    meta = f' data-pagefind-meta="date:{html.escape(date)}"' if date else ""  # sortable results, shown beside each hit
    return f'<div class="archive-page" data-pagefind-body data-pagefind-filter="type:{html.escape(kind)}"{meta}>{content}</div>'


@dataclass
class PageJob:
    """A page to take from the store or to render. `made_of` (everything the page shows, cheap to gather)
    is its key; `context()` builds the template's context only when the page has to be rendered."""

    template: str
    page_path: str
    title: str
    search_type: str | None
    date: str | None
    made_of: object
    context: Callable[[], dict]
    own_shell: bool = False
    og: tuple[tuple[str, str], ...] = ()

    @functools.cached_property
    def key(self) -> str:  # the render code and its libraries key the whole table (cache.STAGES)
        return page_key((self.template, self.page_path, self.search_type, self.date, self.made_of))

    def render(self) -> bytes:
        context = self.context()
        content = searchable(sanitise(render(self.template, self.page_path, **context)), self.search_type, self.date)
        if context.get("linked_data"):  # after sanitising, which drops every <script>: a data block, escaped
            content += json_ld_script(context["linked_data"])
        return pack(content)


_DATA_OPEN, _DATA_CLOSE = '<script type="application/ld+json">', "</script>"  # json_ld_script's block


def _render_pending(pending: tuple[PageJob, bytes | None]) -> bytes | None:
    """The page rendered, or None when the stored one may be published as it is."""
    job, stored = pending
    if stored is not None and _publishable(job, stored):
        return None
    rendered = guarded("render", job.render)
    if isinstance(rendered, Failure):  # one page's failure stays in that page: the others and the deploy go on
        log.error("archive: %s: %s", job.page_path, rendered.message("published as a notice"))
        notice = f"<h1>{html.escape(job.title)}</h1><p>This page could not be rendered ({html.escape(rendered.reason)}).</p>"
        return pack(searchable(notice, job.search_type, job.date))
    return rendered


def _publishable(job: PageJob, stored: bytes) -> bool:
    """Whether a stored page is what PageJob.render would leave: its search wrapper, sanitised HTML that sanitising
    leaves as it is, and at most a trailing JSON-LD data block."""
    try:
        content = zlib.decompress(stored).decode("utf-8")
    except (zlib.error, UnicodeDecodeError, TypeError):
        return False
    at = content.rfind(_DATA_OPEN)
    if at >= 0 and content.endswith(_DATA_CLOSE):  # a data block holds escaped JSON: no <, > or &, so no tag
        data = content[at + len(_DATA_OPEN):len(content) - len(_DATA_CLOSE)]
        if "<" not in data and ">" not in data and "&" not in data:
            content = content[:at]
    head, _, foot = searchable("\0", job.search_type, job.date).partition("\0")
    if len(content) < len(head) + len(foot) or not (content.startswith(head) and content.endswith(foot)):
        return False
    inner = content[len(head):len(content) - len(foot)]
    return sanitise(inner) == inner


def render_jobs(jobs: list[PageJob], store: PageStore, workers: int = 1) -> list[HtmlPage]:
    """Each page from the store, or rendered (on every core, when there are many) and stored."""
    # Stored pages are sanitised again (nh3, ~1 ms a page) and re-rendered if that changes them: no second sanitiser to keep right.
    pending = [(job, store.get(job.key)) for job in jobs]
    if workers > 1 and len(jobs) >= PARALLEL_RENDER_FROM:
        # forked workers inherit the jobs (and the index they close over) instead of unpickling them
        done = list(progress(forked_map(_render_pending, pending, workers), len(jobs), "Rendering pages"))
    else:
        done = list(progress(map(_render_pending, pending), len(jobs), "Rendering pages"))
    contents = []
    for (job, stored), content in zip(pending, done):
        if content is None:
            content = stored
        else:
            store.put(job.key, content)
        contents.append(content)
    return [HtmlPage(job.page_path, job.title, content, job.search_type, job.date, job.own_shell, job.og)
            for job, content in zip(jobs, contents)]


def page_key(inputs) -> str:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: with it, the bytes would depend on which equal objects happen to be one object
    pickler.dump(inputs)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def render(template: str, page_path: str, **context) -> str:
    """Render a template for the page at `page_path` (a source path: builder/paths.py); `url(target.md)`
    (or `link`, in Markdown templates) gives the final relative URL of another page."""
    # Markdown pages are rendered by the builder, not mkdocs: links are final URLs in both kinds
    root = root_of(page_path)
    return environment().get_template(template).render(link=url_maker(page_path), url=url_maker(page_path),
                                              file_url=lambda path: root + path, **context)


