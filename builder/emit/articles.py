"""The article family: each article's page, its normalised record (docs/articles/<id>.md) and its original."""

from __future__ import annotations

from .. import render
from .. import cache as build_cache
from . import EmitContext, Emission, Output, digest


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
            records[name] = Output(name, digest(code, a.id, a.sha256, a.original),
                                   produce=lambda a=a: render.article_record(a).encode("utf-8"))
        return Emission(records=records)


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
