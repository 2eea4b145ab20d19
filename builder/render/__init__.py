"""Render: the Index → pages (Jinja2 templates).

Article, index and browse pages are Markdown written under docs/ (only when changed) for mkdocs to render.
Entity and location pages, thousands of them, are HTML (`HtmlPage`): the plugin puts each into the theme's
page shell itself (builder/site/shell.py), so they cost no Markdown parse and no theme render apiece."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import jinja2
from markupsafe import Markup
from slugify import slugify

from ..aggregate import Index
from ..models import Article
from .escape import md_curated, md_filter
from .snippets import linked_body
from .subjects import Tiles, entity_groups, location_groups, root_of, subject_context, type_label, url_maker

__all__ = ["HtmlPage", "Tiles", "WriteStats", "render_pages", "render_home_summary", "write_tree"]

GENERATED_DIRS = ("articles", "browse", "originals", "data", "entities", "locations")
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
_ENV.globals.update(
    month_name=lambda m: calendar.month_name[int(m)],
    date_label=lambda d: dt.date.fromisoformat(d).strftime("%-d %B %Y"),
    anchor=lambda name: "source-" + (slugify(name) or "unknown"),
    type_label=type_label,
)


@dataclass(frozen=True)
class HtmlPage:
    """A generated page that skips mkdocs' per-page pipeline: its content goes straight into the page shell."""

    src_uri: str  # where its Markdown would be, inside docs/: "entities/hezbollah.md"
    title: str
    content: str  # HTML of the page body, its <h1> included
    search_type: str  # the Pagefind type filter: person, organisation, city, country, …


def render(template: str, page_path: str, **context) -> str:
    """Render a template for the page at `page_path` (relative to docs/). In Markdown, `link(target.md)` gives
    the source path mkdocs resolves and checks; in HTML, `url(target.md)` gives the final relative URL."""
    here = posixpath.dirname(page_path)
    return _ENV.get_template(template).render(link=lambda target: posixpath.relpath(target, here or "."),
                                              url=url_maker(page_path), **context)


def article_front_matter(a: Article) -> dict:
    """The normalised record, as YAML front matter of the article's page."""
    meta = {
        "id": a.id, "title": a.title, "subtitle": a.subtitle, "date": a.date, "time": a.time,
        "source": a.source, "authors": a.authors, "contributors": a.contributors,
        "image_caption": a.image_caption, "image_credit": a.image_credit, "source_url": a.source_url,
        "language": a.language, "word_count": a.word_count, "original": a.original, "sha256": a.sha256,
    }
    return {k: v for k, v in meta.items() if v not in (None, [])}


def render_article(a: Article, index: Index) -> str:
    entities, locations = index.subjects_of(a.id)
    url = url_maker(a.page_path)
    subject_url = lambda m: url(_subject_path(m, index)) if _subject_path(m, index) else None  # noqa: E731
    body = md_curated(a.body) if a.body_is_markdown else linked_body(a, index.mentions_by_article.get(a.id, []), subject_url)
    content = render("article.md.j2", a.page_path, a=a, body=Markup(body), entities=entities, locations=locations,
                     root=root_of(a.page_path))
    return frontmatter.dumps(frontmatter.Post(content, **article_front_matter(a)), sort_keys=False) + "\n"


def _subject_path(m, index: Index) -> str | None:
    subjects = index.entities if m.kind == "entity" else index.locations
    return subjects[m.target_id].page_path if m.target_id in subjects else None


def render_home_summary(index: Index) -> str:
    dated = [a.date for a in index.articles if a.date]
    return render("home.md.j2", "index.md", index=index, latest=index.articles[:LATEST_ON_HOME],
                  first_date=min(dated) if dated else None, last_date=max(dated) if dated else None)


def render_pages(index: Index, tiles: Tiles, country_of) -> tuple[dict[str, str], list[HtmlPage]]:
    """→ the Markdown pages (path inside docs/ → text) and the entity and location pages as HTML.
    `country_of(code)` → the country's Location (for "Aleppo · Syria" and grouping by country)."""
    pages = {a.page_path: render_article(a, index) for a in index.articles}
    html_pages = [HtmlPage(s.page_path, s.name, render("entity.html.j2", s.page_path, **subject_context(s, index, s.page_path)),
                           s.record.type)
                  for s in index.entities.values()]
    for s in index.locations.values():
        country_record = country_of(s.record.country) if s.record.country else None
        country = index.locations.get(country_record.id) if country_record else None
        html_pages.append(HtmlPage(s.page_path, s.name, render(
            "location.html.j2", s.page_path, tiles=tiles, zoom=5 if s.record.kind == "country" else 9,
            country=country.record if country else None, country_page=country.page_path if country else None,
            **subject_context(s, index, s.page_path)), s.record.kind))
    pages["entities/index.md"] = render("entities_index.md.j2", "entities/index.md", index=index, groups=entity_groups(index))
    pages["locations/index.md"] = render("locations_index.md.j2", "locations/index.md", index=index, tiles=tiles,
                                         root=root_of("locations/index.md"),
                                         groups=location_groups(index, lambda code: (country_of(code).name if code and country_of(code) else None)))
    pages["browse/timeline.md"] = render("timeline.md.j2", "browse/timeline.md", index=index)
    pages["browse/sources.md"] = render("sources.md.j2", "browse/sources.md", index=index)
    errors = sum(p.severity == "error" for p in index.problems)
    pages["browse/quality.md"] = render("quality.md.j2", "browse/quality.md", index=index,
                                        errors=errors, warnings=len(index.problems) - errors)
    return pages, html_pages


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def write_tree(docs_dir: Path, files: dict[str, bytes], manifest: dict | None = None) -> WriteStats:
    """Make the generated folders of docs/ hold exactly `files`; untouched files keep their mtime.

    `manifest` (path → (size, mtime_ns, sha1) from the last build) lets an unchanged file be recognised from
    its stat alone; it is updated in place."""
    stats = WriteStats()
    manifest = {} if manifest is None else manifest
    root = docs_dir.resolve()
    for folder in GENERATED_DIRS:  # a generated folder that is a link could lead anywhere
        if (root / folder).is_symlink() or ((root / folder).exists() and not (root / folder).resolve().is_relative_to(root)):
            raise ValueError(f"refusing to write through a symbolic link: {root / folder}")
    for rel, data in files.items():
        parts = rel.split("/")
        if parts[0] not in GENERATED_DIRS or any(p in ("", ".", "..") for p in parts) or "\\" in rel or "\0" in rel:
            raise ValueError(f"refusing to write outside the generated folders of docs/: {rel}")
        target = root / rel
        digest = hashlib.sha1(data).hexdigest()
        try:
            st = os.stat(target)
            known = manifest.get(rel)
            if known == (st.st_size, st.st_mtime_ns, digest) or (
                    known is None and st.st_size == len(data) and target.read_bytes() == data):
                manifest[rel] = (st.st_size, st.st_mtime_ns, digest)
                stats.unchanged += 1
                continue
        except FileNotFoundError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        st = os.stat(target)
        manifest[rel] = (st.st_size, st.st_mtime_ns, digest)
        stats.written += 1
    for folder in GENERATED_DIRS:
        for dirpath, dirnames, filenames in os.walk(root / folder, topdown=False):
            here = Path(dirpath)
            for name in filenames:
                rel = (here / name).relative_to(root).as_posix()
                if rel not in files:
                    (here / name).unlink()
                    manifest.pop(rel, None)
                    stats.removed += 1
            if not os.listdir(here):
                here.rmdir()
    return stats
