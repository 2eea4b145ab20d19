"""Render: the Index → pages (Jinja2 templates).

Every generated page is HTML (`HtmlPage`), so none costs a Markdown parse. Article, entity and location
pages, thousands of them, go into their folder's shared page shell (builder/site/shells.py); the index and
browse pages (`own_shell`: entities/, locations/, browse/…) each get a shell of their own, rendered by mkdocs,
so the nav marks them as current. The page families are emitted by builder/emit/. The only Markdown written
under docs/ is each article's normalised record (front matter + clean Markdown body), docs/articles/<id>.md."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import html
import io
import logging
import multiprocessing
import os
import pickle
import posixpath
import stat
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import frontmatter
import jinja2
import yaml
from slugify import slugify

from ..aggregate import Index
from .related import cooccurrence, date_neighbours, related_articles
from ..errors import Refused
from ..isolation import Failure, guarded
from ..progress import progress
from ..workers import process_pool
from ..models import Article
from .escape import md_filter
from .linked_data import article_ld, article_og, json_ld_script, subject_og
from .events import event_jobs, events_index_job, with_events
from .sanitise import sanitise
from .snippets import body_html, body_markdown
from .subjects import (Tiles, article_ref, az_key, counted, entity_groups, location_groups, made_of, mention_ref, month_bars, noun,
                       paged_path, pages_of, root_of, subject_context, subject_ref, TYPE_ORDER, type_label, url_maker,
                       years_axis)

log = logging.getLogger("builder")

__all__ = ["HtmlPage", "PageStore", "Rendered", "Tiles", "WriteStats", "check_tree", "render_pages", "render_home_summary",
           "write_tree"]

GENERATED_DIRS = ("articles", "browse", "originals", "data", "entities", "locations", "events")
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when PyYAML was built with it: ~10× faster
PARALLEL_RENDER_FROM = 500  # pages; below this forking workers costs more than it saves
LATEST_ON_HOME = 10

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("builder.render", "templates"),
    autoescape=True,  # every {{ }} is HTML-escaped; Markdown contexts add `| md`
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.filters["md"] = md_filter
_ENV.filters["plural"] = counted  # {{ n | plural("source") }} → "1 source", "2 sources"
_ENV.globals.update(
    month_name=lambda m: calendar.month_name[int(m)],
    date_label=lambda d: dt.date.fromisoformat(d).strftime("%-d %B %Y"),
    month_label=lambda ym: f"{calendar.month_name[int(ym[5:7])]} {ym[:4]}",
    anchor=lambda name: "source-" + (slugify(name) or "unknown"),
    slug=lambda text: slugify(text) or "section",
    type_label=type_label,
    noun=noun,  # {{ noun(n, "source") }} → "source" / "sources"
)


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


_PENDING: list[tuple[PageJob, bytes | None]] = []  # each page and what the store holds for it, set before forking
_DATA_OPEN, _DATA_CLOSE = '<script type="application/ld+json">', "</script>"  # json_ld_script's block


def _render_pending(i: int) -> bytes | None:
    """The page rendered, or None when the stored one may be published as it is."""
    job, stored = _PENDING[i]
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
    global _PENDING
    # Stored pages are sanitised again (nh3, ~1 ms a page) and re-rendered if that changes them: no second sanitiser to keep right.
    _PENDING = [(job, store.get(job.key)) for job in jobs]
    try:
        if workers > 1 and len(jobs) >= PARALLEL_RENDER_FROM:
            # fork: the workers inherit the jobs (and the index they close over) instead of unpickling them
            with process_pool(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                done = list(progress(pool.map(_render_pending, range(len(jobs)), chunksize=64), len(jobs), "Rendering pages"))
        else:
            done = list(progress(map(_render_pending, range(len(jobs))), len(jobs), "Rendering pages"))
        contents = []
        for (job, stored), content in zip(_PENDING, done):
            if content is None:
                content = stored
            else:
                store.put(job.key, content)
            contents.append(content)
    finally:
        _PENDING = []
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
    return _ENV.get_template(template).render(link=url_maker(page_path), url=url_maker(page_path),
                                              file_url=lambda path: root + path, **context)


def article_front_matter(a: Article) -> dict:
    """The normalised record, as YAML front matter of the article's page."""
    meta = {
        "id": a.id, "title": a.title, "subtitle": a.subtitle, "date": a.date, "time": a.time,
        "source": a.source, "authors": a.authors, "contributors": a.contributors,
        "image_caption": a.image_caption, "image_credit": a.image_credit, "source_url": a.source_url,
        "language": a.language, "word_count": a.word_count, "original": a.original, "sha256": a.sha256,
    }
    return {k: v for k, v in meta.items() if v not in (None, [])}


def chip_groups(entities: list, locations: list) -> list[tuple[str, str, list]]:
    """An article's subjects as (label, kind, subjects) rows: the type in words, for the chips' legend."""
    groups = [(type_label(kind, plural=True), kind, [s for s in entities if s.record.type == kind]) for kind in TYPE_ORDER]
    groups.append(("Places", "place", locations))
    return [g for g in groups if g[2]]


@dataclass(frozen=True)
class Reading:
    """Where an article sits among the others: previous and next by date, related (see render.related)."""

    neighbours: dict[str, tuple[str | None, str | None]]
    related: dict[str, list[tuple[str, int]]]

    @classmethod
    def of(cls, index: Index) -> "Reading":
        return cls(date_neighbours(index), related_articles(index))


def article_job(a: Article, index: Index, reading: Reading | None = None) -> PageJob:
    entities, locations = index.subjects_of(a.id)
    mentions = index.mentions_by_article.get(a.id, [])
    url = url_maker(a.page_path)
    subject_url = lambda m: url(_subject_path(m, index)) if _subject_path(m, index) else None  # noqa: E731
    older_id, newer_id = reading.neighbours.get(a.id, (None, None)) if reading else (None, None)
    related = [(index.by_id[r], n) for r, n in reading.related.get(a.id, [])] if reading else []

    other_names = other_names_of(index.other_names_by_article.get(a.id, []))

    def context() -> dict:
        people = {s.name: s for s in entities if s.record.type == "person"}
        return dict(a=a, body=body_html(a, mentions, subject_url), entities=entities, locations=locations,
                    root=root_of(a.page_path), chip_groups=chip_groups(entities, locations), people=people,
                    older=index.by_id.get(older_id), newer=index.by_id.get(newer_id), related=related,
                    source_host=urlsplit(a.source_url).netloc if a.source_url else None,
                    linked_data=article_ld(a, entities, locations), other_names=other_names)

    made_of = (article_ref(a), [subject_ref(x) for x in entities + locations], [mention_ref(m) for m in mentions], other_names,
               [_subject_path(m, index) for m in mentions],
               [article_ref(index.by_id[x]) if x else None for x in (older_id, newer_id)],
               [(article_ref(r), n) for r, n in related])
    return PageJob("article.html.j2", a.page_path, a.title, "article", a.date, made_of, context, og=article_og(a))


def other_names_of(mentions: list) -> list[tuple[str, str]]:
    """(name, type in words) of each name without a page, once, in order of first mention."""
    seen: dict[str, str] = {}
    for m in mentions:
        seen.setdefault(m.text, type_label(m.target_id) if m.target_id in TYPE_ORDER else "name")
    return list(seen.items())


def article_record(a: Article) -> str:
    """docs/articles/<id>.md: the normalised article, front matter and clean Markdown body."""
    return frontmatter.dumps(frontmatter.Post(body_markdown(a), **article_front_matter(a)), sort_keys=False,
                             Dumper=_YAML_DUMPER) + "\n"


def _subject_path(m, index: Index) -> str | None:
    subjects = index.entities if m.kind == "entity" else index.locations
    return subjects[m.target_id].page_path if m.target_id in subjects else None


def render_home_summary(index: Index) -> str:
    dated = [a.date for a in index.articles if a.date]
    return render("home.md.j2", "index.md", index=index, latest=index.articles[:LATEST_ON_HOME],
                  first_date=min(dated) if dated else None, last_date=max(dated) if dated else None)


@dataclass
class Rendered:
    markdown: dict[str, str]  # path inside docs/ → text: the articles' records
    html_pages: list[HtmlPage]  # every page, index and browse pages (`own_shell`) included


def more_pages(s, index: Index) -> list[PageJob]:
    """Pages 2, 3, … of a busy subject's articles (entities/<id>/page-2, …): every article reachable in HTML.
    Search finds the subject's first page, so these are not indexed."""
    jobs = []
    for pager in pages_of(len(s.article_ids))[1:]:
        path = paged_path(s.page_path, pager.number)
        jobs.append(PageJob("subject_more.html.j2", path, f"{s.name}: page {pager.number} of {pager.count}", None, None,
                            made_of(s, index, pager),
                            functools.partial(subject_context, s, index, path, pager)))
    return jobs


def index_jobs(index: Index, tiles: Tiles, country_of) -> list[PageJob]:
    """The index and browse pages. Each lists the whole archive and is cheap to render: rendered every build."""
    def job(template: str, page_path: str, title: str, **context) -> PageJob:
        return PageJob(template, page_path, title, None, None, None,
                       lambda: {"index": index, "root": root_of(page_path), **context}, own_shell=True)

    errors = sum(p.severity == "error" for p in index.problems)
    months_chart = month_bars(sorted((f"{y}-{m}", len(articles)) for y, months in index.by_year_month.items()
                                     for m, articles in months.items()), limit=None)
    country_name = lambda code: country_of(code).name if code and country_of(code) else None  # noqa: E731
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


def article_records(index: Index) -> dict[str, str]:
    """docs/articles/<id>.md for every article: the normalised records."""
    return {a.page_path: article_record(a) for a in index.articles}


def article_jobs(index: Index) -> list[PageJob]:
    reading = Reading.of(index)
    return with_events([article_job(a, index, reading) for a in index.articles], index)


def entity_jobs(index: Index) -> list[PageJob]:
    jobs = []
    for s in index.entities.values():
        network = cooccurrence(s, index)
        jobs.append(PageJob("entity.html.j2", s.page_path, s.name, s.record.type, None, (made_of(s, index), network),
                            lambda s=s, network=network: {**subject_context(s, index, s.page_path), "network": network},
                            og=subject_og(s)))
        jobs += more_pages(s, index)
    return with_events(jobs, index)


def location_jobs(index: Index, tiles: Tiles, country_of) -> list[PageJob]:
    jobs = []
    for s in index.locations.values():
        country_record = country_of(s.record.country) if s.record.country else None
        country = index.locations.get(country_record.id) if country_record else None
        region = index.locations.get(s.record.admin1_id) if s.record.admin1_id else None
        extra = dict(tiles=tiles, zoom=5 if s.record.kind == "country" else 9, country=country.record if country else None,
                     country_page=country.page_path if country else None,
                     region_page=region.page_path if region else None)
        jobs.append(PageJob("location.html.j2", s.page_path, s.name, s.record.kind, None, (made_of(s, index), extra),
                            lambda s=s, extra=extra: {**extra, **subject_context(s, index, s.page_path)}, og=subject_og(s)))
        jobs += more_pages(s, index)
    return with_events(jobs, index)


def render_pages(index: Index, tiles: Tiles, country_of, store: PageStore | None = None,
                 workers: int = 1) -> Rendered:
    """→ the articles' records (path inside docs/ → Markdown) and every page as HTML, every family at once
    (what `archive check` and the unit tests render; `archive build` runs the emitters, builder/emit/).
    `country_of(code)` → the country's Location (for "Aleppo · Syria" and grouping by country); `store`
    keeps rendered article, entity and location pages between builds."""
    pages = article_records(index)
    jobs = article_jobs(index) + entity_jobs(index) + location_jobs(index, tiles, country_of) + event_jobs(index, tiles)
    html_pages = render_jobs(jobs, store or NoStore(), workers)
    html_pages += [HtmlPage(job.page_path, job.title, job.render(), job.search_type, job.date, job.own_shell)
                   for job in index_jobs(index, tiles, country_of)]
    return Rendered(pages, html_pages)


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def check_tree(docs_dir: Path, files: dict[str, bytes]) -> None:
    """Raise Refused unless every file of `files` can be written under docs/ without going through a
    symbolic link (a link committed into docs/articles/ would lead the write anywhere) or out of the generated
    folders. `archive check` runs this too, so a pull request that would break the deploy fails its check."""
    root = docs_dir.resolve()
    for folder in GENERATED_DIRS:  # a generated folder that is a link could lead anywhere (its old files are removed)
        if (root / folder).is_symlink() or ((root / folder).exists() and not (root / folder).resolve().is_relative_to(root)):
            raise Refused(f"refusing to write through a symbolic link: {root / folder}")
    safe: set[str] = set()
    for rel in files:
        parts = rel.split("/")
        if parts[0] not in GENERATED_DIRS or any(p in ("", ".", "..") for p in parts) or "\\" in rel or "\0" in rel:
            raise Refused(f"refusing to write outside the generated folders of docs/: {rel}")
        for i in range(1, len(parts) + 1):
            here = "/".join(parts[:i])
            if here in safe:
                continue
            try:
                st = os.lstat(root / here)
            except FileNotFoundError:
                break  # the build creates the rest as real folders
            except OSError as exc:
                raise Refused(f"cannot write {root / rel}: {exc.strerror or exc}") from None
            if stat.S_ISLNK(st.st_mode):
                raise Refused(f"refusing to write through a symbolic link: {root / here} (remove it; the build makes "
                              f"docs/{parts[0]}/ itself)")
            if i < len(parts):
                if not stat.S_ISDIR(st.st_mode):
                    raise Refused(f"cannot write {root / rel}: {root / here} is not a folder")
                safe.add(here)


def write_tree(docs_dir: Path, files: dict[str, bytes], manifest: dict | None = None) -> WriteStats:
    """Make the generated folders of docs/ hold exactly `files`; untouched files keep their mtime. Nothing is
    written through a symbolic link (see check_tree; each file is opened with O_NOFOLLOW as well).

    `manifest` (path → (size, mtime_ns, sha1) from the last build) lets an unchanged file be recognised from
    its stat alone; it is updated in place."""
    stats = WriteStats()
    manifest = {} if manifest is None else manifest
    root = docs_dir.resolve()
    check_tree(docs_dir, files)
    for rel, data in files.items():
        target = root / rel
        digest = hashlib.sha1(data).hexdigest()
        try:
            st = os.lstat(target)
            known = tuple(manifest[rel]) if rel in manifest else None  # JSON keeps it as a list
            if stat.S_ISREG(st.st_mode) and (known == (st.st_size, st.st_mtime_ns, digest) or (
                    known is None and st.st_size == len(data) and target.read_bytes() == data)):
                manifest[rel] = (st.st_size, st.st_mtime_ns, digest)
                stats.unchanged += 1
                continue
        except FileNotFoundError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise Refused(f"cannot write {tmp}: {exc.strerror or exc} (a symbolic link?)") from None
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)  # replaces a link itself, never its target
        st = os.stat(target)
        manifest[rel] = (st.st_size, st.st_mtime_ns, digest)
        stats.written += 1
    for folder in GENERATED_DIRS:
        for dirpath, dirnames, filenames in os.walk(root / folder, topdown=False):
            here = Path(dirpath)
            for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
                rel = (here / name).relative_to(root).as_posix()
                if rel not in files:
                    (here / name).unlink()
                    manifest.pop(rel, None)
                    stats.removed += 1
            if not os.listdir(here):
                here.rmdir()
    return stats
