"""The build, stage by stage: ingest → extract → aggregate → render. mkdocs then turns docs/ into the site.

`generate()` is what `archive build`, `archive check` and the mkdocs plugin (for `mkdocs serve`) run.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import render
from .render import exports
from .aggregate import Index, build_index
from .ingest import InputFile, assign_ids, discover, read_article
from .models import Article, Problem

PARALLEL_FROM = 64  # below this many files a process pool costs more than it saves


@dataclass
class Settings:
    project_root: Path
    articles_dir: Path
    docs_dir: Path
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)


@dataclass
class Result:
    index: Index
    pages: dict[str, str]
    timings: dict[str, float]
    written: render.WriteStats | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.index.problems

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        timing = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.timings.items())
        return (f"{self.index.inputs} files, {len(self.index.articles)} articles published, "
                f"{self.errors} errors, {len(self.problems) - self.errors} warnings ({timing})")


def ingest(settings: Settings) -> tuple[list[Article], list[Problem], list[InputFile], int]:
    """→ articles, problems, the readable input files, and how many files were found in all."""
    inputs, problems = discover(settings.articles_dir, settings.project_root)
    files_found = len(inputs) + len({p.file for p in problems})
    if settings.workers > 1 and len(inputs) >= PARALLEL_FROM:
        with ProcessPoolExecutor(settings.workers) as pool:
            results = list(pool.map(read_article, inputs, chunksize=32))
    else:
        results = [read_article(item) for item in inputs]
    articles = []
    for article, article_problems in results:
        problems.extend(article_problems)
        if article is not None:
            articles.append(article)
    articles, id_problems = assign_ids(articles)
    return articles, problems + id_problems, inputs, files_found


def analyse(settings: Settings) -> tuple[Index, list[InputFile], dict[str, float]]:
    """Everything but writing: what `archive check` runs."""
    timings = {}
    started = time.perf_counter()
    articles, problems, inputs, files_found = ingest(settings)
    timings["ingest"] = time.perf_counter() - started
    started = time.perf_counter()
    index = build_index(articles, problems, inputs=files_found)
    timings["aggregate"] = time.perf_counter() - started
    return index, inputs, timings


def generate(settings: Settings) -> Result:
    index, inputs, timings = analyse(settings)
    started = time.perf_counter()
    pages = render.render_pages(index)
    files = {path: text.encode() for path, text in pages.items()}
    files.update({f"data/{name}": data for name, data in exports.exports(index).items()})
    path_of = {item.display: item.path for item in inputs}
    for article in index.articles:  # published byte for byte, always as text (see Article.original_url)
        files[article.original_url] = path_of[article.original].read_bytes()
    timings["render"] = time.perf_counter() - started
    started = time.perf_counter()
    written = render.write_tree(settings.docs_dir, files)
    timings["write"] = time.perf_counter() - started
    return Result(index=index, pages=pages, timings=timings, written=written)
