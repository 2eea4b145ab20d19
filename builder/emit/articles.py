"""The article family: each article's page, its normalised record (docs/articles/<id>.md) and its original."""

from __future__ import annotations

from .. import render
from . import EmitContext, Emission


class ArticleRecords:
    """The normalised records: front matter and clean Markdown body, kept in docs/articles/ as the product's
    normalised output (data, not pages: mkdocs does not render them)."""

    name = "article-records"
    depends_on = ("articles",)

    def emit(self, context: EmitContext) -> Emission:
        return Emission(records={path: text.encode() for path, text in render.article_records(context.index).items()})


class Originals:
    """Every input file, published byte for byte (always as text: see Article.original_url)."""

    name = "originals"
    depends_on = ("articles",)

    def emit(self, context: EmitContext) -> Emission:
        return Emission(copies={a.original_url: context.original_paths[a.original] for a in context.index.articles})


class ArticlePages:
    name = "article-pages"
    depends_on = ("articles", "analysis", "shells")

    def emit(self, context: EmitContext) -> Emission:
        jobs = render.article_jobs(context.index)
        return Emission(pages=tuple(render.render_jobs(jobs, context.store, context.workers)))
