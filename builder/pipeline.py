"""The build, stage by stage: ingest → extract → aggregate → render. mkdocs then turns docs/ into the site.

`generate()` is what `archive build`, `archive check` and the mkdocs plugin (for `mkdocs serve`) run.
"""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import render
from .render import exports
from .aggregate import Index, build_index
from .aggregate.entities import resolve as resolve_entities
from .extract import ArticleExtraction, Extractor
from .extract.discovery import is_first_name
from .extract.gazetteer import Gazetteer, load_common_words, name_key
from .extract.registry import Registry, RegistryError
from .extract.registry import load as load_registry
from .ingest import InputFile, assign_ids, discover, read_article
from .models import Article, Location, Mention, Problem

PARALLEL_FROM = 64
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"
LOWER_WORD = re.compile(r"\b[a-z][a-z'-]+\b")


def is_first_name_led(name: str) -> bool:
    """'Amir Cohen' (a photo credit) is a person; 'Reuters' is not."""
    return len(name.split()) >= 2 and is_first_name(name.split()[0])  # below this many files a process pool costs more than it saves


@dataclass
class Settings:
    project_root: Path
    articles_dir: Path
    docs_dir: Path
    registry: Path | None = None  # entities.yml
    tiles: render.Tiles = field(default_factory=lambda: render.Tiles(DEFAULT_TILES, DEFAULT_ATTRIBUTION))
    cache_dir: Path | None = None  # gazetteer cache (.cache/)
    min_articles: int = 2  # a discovered name without a typing rule needs this many articles to get a page
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


def extract(articles: list[Article], settings: Settings, problems: list[Problem]) -> tuple[list[ArticleExtraction], Registry, Gazetteer]:
    try:
        registry = load_registry(settings.registry)
    except RegistryError as exc:
        problems.append(Problem(_display(settings.registry, settings.project_root), "error", f"{exc}; built without the registry"))
        registry = Registry()
    gazetteer = Gazetteer.load(settings.cache_dir)
    common = frozenset().union(*load_common_words().values())
    # A word the archive also writes in lower case ("further", "alleged") is no name at a sentence start.
    vocabulary = {w for a in articles for w in LOWER_WORD.findall(a.body)}
    extractor = Extractor(registry, gazetteer, common | vocabulary)
    return [extractor.extract(a) for a in articles], registry, gazetteer


def analyse(settings: Settings) -> tuple[Index, list[InputFile], dict[str, float], Gazetteer]:
    """Everything but writing: what `archive check` runs."""
    timings = {}
    started = time.perf_counter()
    articles, problems, inputs, files_found = ingest(settings)
    timings["ingest"] = time.perf_counter() - started
    started = time.perf_counter()
    extractions, registry, gazetteer = extract(articles, settings, problems)
    timings["extract"] = time.perf_counter() - started
    started = time.perf_counter()
    resolution = resolve_entities(articles, extractions, registry, is_first_name_led, settings.min_articles)
    index = build_index(articles, problems, inputs=files_found, mentions=resolution.mentions,
                        entities=resolution.entities, locations=_locations_as_written(resolution.mentions, gazetteer),
                        credits=resolution.credits, candidates=resolution.candidates)
    timings["aggregate"] = time.perf_counter() - started
    return index, inputs, timings, gazetteer


def _locations_as_written(mentions: list[Mention], gazetteer: Gazetteer) -> dict[str, Location]:
    """The mentioned locations, each named as the articles most often write it ("Masyaf", not "Maşyāf")."""
    written: dict[str, Counter] = {}
    for m in mentions:
        if m.kind == "location" and not m.rule.startswith("demonym"):
            written.setdefault(m.target_id, Counter())[m.text] += 1
    locations = {}
    for location_id in sorted({m.target_id for m in mentions if m.kind == "location"}):
        location = gazetteer.get(location_id)
        spellings = [t for t, _ in written.get(location_id, Counter()).most_common() if name_key(t) == name_key(location.name)]
        if spellings and spellings[0] != location.name:
            location = replace(location, name=spellings[0], aliases=[location.name, *(a for a in location.aliases if a != spellings[0])])
        locations[location_id] = location
    return locations


def _display(path: Path | None, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def generate(settings: Settings) -> Result:
    index, inputs, timings, gazetteer = analyse(settings)
    started = time.perf_counter()
    pages = render.render_pages(index, settings.tiles, gazetteer.country)
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
