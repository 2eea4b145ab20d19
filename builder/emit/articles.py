"""The article family: each article's page, its normalised record (docs/articles/<id>.md) and its original."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

import frontmatter
import yaml

from .. import cache as build_cache
from ..aggregate import Index
from ..models import Article, Mention
from ..render import HtmlPage, NoStore, PageJob, render_jobs
from ..render.events import with_events
from ..render.linked_data import article_ld, article_og
from ..render.related import date_neighbours, related_articles
from ..render.snippets import body_html, body_markdown
from ..render.subjects import TYPE_ORDER, article_ref, mention_ref, root_of, subject_ref, type_label, url_maker
from . import EmitContext, Emission, Output, digest

YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when PyYAML was built with it: ~10× faster


class ArticleRecords:
    """The normalised records: front matter and clean Markdown body, kept in docs/articles/ as the product's
    normalised output (data, not pages: mkdocs does not render them)."""

    name = "article-records"
    depends_on = ("articles",)

    def emit(self, context: EmitContext) -> Emission:
        # a record is a function of the article alone (its bytes, id and path) and of the record code
        code = build_cache.stage_digest("articles") + build_cache.stage_digest("html")
        records = {}
        for a in context.index.articles:
            name = a.page_path.split("/", 1)[1]
            records[name] = Output(name, digest(code, a.id, a.sha256, a.original), produce=functools.partial(_record_bytes, a))
        return Emission(records=records)


class Originals:
    """Every input file, published byte for byte (always as text: see Article.original_url)."""

    name = "originals"
    depends_on = ("articles",)

    def emit(self, context: EmitContext) -> Emission:
        return Emission(copies={a.original_url: context.original_paths[a.original] for a in context.index.articles
                                if a.original in context.original_paths})


class ArticlePages:
    name = "article-pages"
    depends_on = ("articles", "analysis", "shells")

    def emit(self, context: EmitContext) -> Emission:
        return Emission(pages=tuple(render_jobs(article_jobs(context.index), context.store, context.workers)))

    def pages_for(self, index: Index, article_ids: set[str]) -> list[HtmlPage]:
        """The pages of these articles alone (the preview's first answer to an edit), without the archive-wide
        reading (previous/next, related) and not stored: the full build replaces them."""
        jobs = [article_job(a, index) for a in index.articles if a.id in article_ids]
        return render_jobs(with_events(jobs, index), NoStore())


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

    def subject_url(m: Mention) -> str | None:
        path = _subject_path(m, index)
        return url(path) if path else None

    older_id, newer_id = reading.neighbours.get(a.id, (None, None)) if reading else (None, None)
    related = [(index.by_id[r], n) for r, n in reading.related.get(a.id, [])] if reading else []

    other_names = other_names_of(index.other_names_by_article.get(a.id, []))

    def context() -> dict:
        people = {s.name: s for s in entities if s.record.type == "person"}
        return dict(a=a, body=body_html(a, mentions, subject_url), entities=entities, locations=locations,
                    root=root_of(a.page_path), chip_groups=chip_groups(entities, locations), people=people,
                    older=index.by_id.get(older_id) if older_id is not None else None,
                    newer=index.by_id.get(newer_id) if newer_id is not None else None, related=related,
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


def _record_bytes(a: Article) -> bytes:
    return article_record(a).encode("utf-8")


def article_record(a: Article) -> str:
    """docs/articles/<id>.md: the normalised article, front matter and clean Markdown body."""
    return frontmatter.dumps(frontmatter.Post(body_markdown(a), **article_front_matter(a)), sort_keys=False,
                             Dumper=YAML_DUMPER) + "\n"


def _subject_path(m, index: Index) -> str | None:
    subjects = index.entities if m.kind == "entity" else index.locations
    return subjects[m.target_id].page_path if m.target_id in subjects else None


def article_jobs(index: Index) -> list[PageJob]:
    reading = Reading.of(index)
    return with_events([article_job(a, index, reading) for a in index.articles], index)
