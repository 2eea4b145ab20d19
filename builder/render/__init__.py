"""Render: the Index → Markdown pages under docs/ (Jinja2 templates), written only when changed."""

from __future__ import annotations

import calendar
import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import jinja2
from slugify import slugify

from ..aggregate import Index
from ..models import Article
from .body import body_markdown
from .escape import md_filter

GENERATED_DIRS = ("articles", "browse", "originals", "data")
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
)


def render(template: str, page_path: str, **context) -> str:
    """Render a template for the page at `page_path` (relative to docs/); `link()` gives paths relative to it."""
    here = posixpath.dirname(page_path)
    return _ENV.get_template(template).render(link=lambda target: posixpath.relpath(target, here or "."), **context)


def article_front_matter(a: Article) -> dict:
    """The normalised record, as YAML front matter of the article's page."""
    meta = {
        "id": a.id, "title": a.title, "subtitle": a.subtitle, "date": a.date, "time": a.time,
        "source": a.source, "authors": a.authors, "contributors": a.contributors,
        "image_caption": a.image_caption, "image_credit": a.image_credit, "source_url": a.source_url,
        "language": a.language, "word_count": a.word_count, "original": a.original, "sha256": a.sha256,
    }
    return {k: v for k, v in meta.items() if v not in (None, [])}


def render_article(a: Article) -> str:
    content = render("article.md.j2", a.page_path, a=a, body=body_markdown(a))
    return frontmatter.dumps(frontmatter.Post(content, **article_front_matter(a)), sort_keys=False) + "\n"


def render_home_summary(index: Index) -> str:
    dated = [a.date for a in index.articles if a.date]
    return render("home.md.j2", "index.md", index=index, latest=index.articles[:LATEST_ON_HOME],
                  first_date=min(dated) if dated else None, last_date=max(dated) if dated else None)


def render_pages(index: Index) -> dict[str, str]:
    """Every generated page: path relative to docs/ → Markdown text."""
    pages = {a.page_path: render_article(a) for a in index.articles}
    pages["browse/timeline.md"] = render("timeline.md.j2", "browse/timeline.md", index=index)
    pages["browse/sources.md"] = render("sources.md.j2", "browse/sources.md", index=index)
    errors = sum(p.severity == "error" for p in index.problems)
    pages["browse/quality.md"] = render("quality.md.j2", "browse/quality.md", index=index,
                                        errors=errors, warnings=len(index.problems) - errors)
    return pages


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def write_tree(docs_dir: Path, files: dict[str, bytes]) -> WriteStats:
    """Make the generated folders of docs/ hold exactly `files`; untouched files keep their mtime."""
    stats = WriteStats()
    root = docs_dir.resolve()
    for rel, data in files.items():
        target = (root / rel).resolve()
        if not target.is_relative_to(root) or rel.split("/", 1)[0] not in GENERATED_DIRS:
            raise ValueError(f"refusing to write outside the generated folders of docs/: {rel}")
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            stats.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        stats.written += 1
    wanted = {(root / rel).resolve() for rel in files}
    for folder in GENERATED_DIRS:
        base = root / folder
        if not base.exists():
            continue
        for path in sorted(base.rglob("*"), reverse=True):
            if path.is_file() and path.resolve() not in wanted:
                path.unlink()
                stats.removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return stats
