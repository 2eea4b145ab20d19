"""The analysis, stage by stage: ingest → extract → aggregate, the Index every page family is emitted from.

`analyse()` is what the driver (builder/build.py: `plan_site`, the one path of build, check and the preview)
runs first.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from .config import Settings
from .isolation import STAGE_SECONDS, Failure, guarded, timed_out
from .markup import bounded_markdown
from .aggregate import Index, build_index
from .aggregate.entities import resolve as resolve_entities
from .aggregate.incidents import add_events
from .aggregate.places import map_by_spelling, unmap_quarters_abroad
from .aggregate.suggestions import suggestions
from .extract import ArticleExtraction
from .extract.runner import ExtractorSpec, common_words as _common_words, extract_batch
from .extract.discovery import is_first_name
from .cache import BuildCache, text_key
from .extract.gazetteer import Gazetteer, load_gazetteer, name_key
from .progress import progress as _progress
from .workers import process_pool
from .extract import model as ner_model
from .extract.registry import Registry, RegistryError
from .extract.registry import load as load_registry
from .ingest import InputFile, assign_ids, discover, read_article
from .models import Article, Location, Mention, Problem

log = logging.getLogger("builder")
PARALLEL_FROM = 64
DASK_CONNECT_TIMEOUT = "10s"
PARALLEL_EXTRACT_FROM = 400  # each extraction worker first builds its own automaton (~1 s)


def is_first_name_led(name: str) -> bool:
    """'Amir Cohen' (a photo credit) is a person; 'Reuters' is not."""
    return len(name.split()) >= 2 and is_first_name(name.split()[0])  # below this many files a process pool costs more than it saves


@dataclass(frozen=True)
class Ingested:
    articles: list[Article]
    problems: list[Problem]
    inputs: list[InputFile]  # the readable input files
    files_found: int  # every file found, readable or not


@dataclass(frozen=True)
class Extracted:
    extractions: list[ArticleExtraction]  # one per article, in order
    registry: Registry
    gazetteer: Gazetteer
    problems: list[Problem]  # what extraction found wrong (the registry, an article's names)


@dataclass(frozen=True)
class Analysis:
    index: Index
    inputs: list[InputFile]
    timings: dict[str, float]
    gazetteer: Gazetteer


def ingest(settings: Settings, cache: BuildCache, executor: Executor | None = None) -> Ingested:
    """Every input file parsed (from the cache when its bytes are unchanged). `executor`: where the files are
    parsed (None: here, or on a local process pool for many files)."""
    inputs, problems = discover(settings.articles_dir, settings.project_root)
    files_found = len(inputs) + len({p.file for p in problems})
    keys = [(item.relative, item.display, hashlib.sha256(item.path.read_bytes()).hexdigest()) for item in inputs]
    results = [cache.get("articles", key) for key in keys]
    missing = [i for i, r in enumerate(results) if r is None]
    parsed = _map(_read_batch, (), [inputs[i] for i in missing], settings.workers, "Reading articles", executor)
    for i, result in zip(missing, parsed):
        results[i] = result
        if not any(timed_out(p.message) for p in result[1]):
            cache.put("articles", keys[i], result)
    articles = []
    for article, article_problems in results:
        problems.extend(article_problems)
        if article is not None:
            articles.append(replace(article))  # assign_ids may rename it: the cached record stays as read
    articles, id_problems = assign_ids(articles)
    return Ingested(articles, problems + id_problems, inputs, files_found)


def extract(articles: list[Article], settings: Settings, cache: BuildCache, executor: Executor | None = None) -> Extracted:
    problems: list[Problem] = []
    try:
        registry = load_registry(settings.registry)
    except RegistryError as exc:
        problems.append(Problem(_display(settings.registry, settings.project_root), "error", f"{exc}; built without the registry"))
        registry = Registry()
    gazetteer = load_gazetteer(settings.cache_dir)
    model_name, warning = ner_model.resolve_name(settings.model)
    if warning:
        log.warning("archive: %s", warning)
    identity = ner_model.identity_of(model_name)
    # The extractor's code, data and libraries key the whole table (cache.STAGES); the registry and the model
    # key each entry.
    keys = [text_key(registry.digest, identity, a.id, a.title, a.body) for a in articles]
    results = [cache.get("extractions", key) for key in keys]
    missing = [i for i, r in enumerate(results) if r is None]
    if missing:
        spec = ExtractorSpec(registry, str(settings.cache_dir) if settings.cache_dir else None, model_name)
        done = _map(extract_batch, (spec,), [articles[i] for i in missing], settings.workers, "Finding names and places",
                    executor, parallel_from=PARALLEL_EXTRACT_FROM, batch=16)
        for i, result in zip(missing, done):
            results[i] = result
            if result.cacheable:
                cache.put("extractions", keys[i], result)
    for article, result in zip(articles, results):
        problems.extend(Problem(article.original, "warning", note) for note in result.notes)
        if result.failure:
            problems.append(Problem(article.original, "error", result.failure))
    return Extracted(results, registry, gazetteer, problems)


def _read_batch(items: list[InputFile]) -> list:
    return [_renderable(*read_article(item)) for item in items]


def _renderable(article: Article | None, problems: list[Problem]) -> tuple[Article | None, list[Problem]]:
    """A curated Markdown body is tried here, once per file's bytes (cached with the article), by the renderer's
    own bounds: one that exceeds them or fails is listed now, and published as plain text."""
    if article is None or not article.body_is_markdown:
        return article, problems
    why = bounded_markdown.too_large(article.body)
    if why is None:
        rendered = guarded("render", lambda: bounded_markdown.render(article.body), STAGE_SECONDS["render"])
        why = rendered.message("its Markdown could not be rendered") if isinstance(rendered, Failure) else None
    if why is None:
        return article, problems
    return replace(article, body_is_markdown=False), [*problems, Problem(article.original, "warning",
                                                                          f"{why}: its body is published as plain text")]


def _map(function, leading: tuple, items: list, workers: int, description: str, executor: Executor | None = None,
         parallel_from: int = PARALLEL_FROM, batch: int = 32) -> list:
    """[function(*leading, chunk) for each chunk of `items`], flattened, in order: on `executor` when given (any
    concurrent.futures.Executor: a Dask cluster's, …), else on a local process pool when there are many items,
    else here. Items go in batches, so each task carries `leading` (e.g. the extractor's spec) once."""
    chunks = [items[i:i + batch] for i in range(0, len(items), batch)]
    pool: AbstractContextManager[Executor | None]
    if executor is None and workers > 1 and len(items) >= parallel_from:
        pool = process_pool(workers)
    else:
        pool = nullcontext(executor)
    with pool as running:
        done: Iterator[list]
        if running is None:
            done = map(function, *([value] * len(chunks) for value in leading), chunks)
        else:
            done = running.map(function, *([value] * len(chunks) for value in leading), chunks)
        return list(_progress((result for chunk in done for result in chunk), len(items), description))


@contextmanager
def executor_of(settings: Settings):
    """The executor `settings.executor` names, open for the duration (None: the local default)."""
    address = settings.executor
    if not address or address == "local":
        yield None
        return
    from .errors import Refused

    if not address.startswith("dask://"):
        raise Refused(f"executor {address}: expected dask://HOST:PORT or local")
    from distributed import Client

    try:
        client = Client("tcp://" + address[len("dask://"):], set_as_default=False, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise Refused(f"--executor {address}: cannot reach the Dask scheduler: {exc}") from None
    with client:
        yield client.get_executor()


def analyse(settings: Settings, cache: BuildCache | None = None) -> Analysis:
    """ingest → extract → aggregate: the Index, from the caches where the inputs are unchanged."""
    timings = {}
    own_cache = cache is None
    cache = cache or BuildCache(settings.cache_dir)
    with executor_of(settings) as executor:
        started = time.perf_counter()
        ingested = ingest(settings, cache, executor)
        articles, problems, inputs, files_found = ingested.articles, ingested.problems, ingested.inputs, ingested.files_found
        timings["ingest"] = time.perf_counter() - started
        started = time.perf_counter()
        extracted = extract(articles, settings, cache, executor)
        extractions, registry, gazetteer = extracted.extractions, extracted.registry, extracted.gazetteer
        problems = problems + extracted.problems
        timings["extract"] = time.perf_counter() - started
    started = time.perf_counter()
    resolution = resolve_entities(articles, extractions, registry, is_first_name_led, settings.min_articles, _common_words())
    resolution = unmap_quarters_abroad(map_by_spelling(resolution, gazetteer), articles, gazetteer)
    index = build_index(articles, problems, inputs=files_found, mentions=resolution.mentions,
                        entities=resolution.entities, locations=_locations_as_written(resolution.mentions, gazetteer, resolution.places),
                        credits=resolution.credits, candidates=resolution.candidates,
                        other_names=resolution.other_names)
    index = add_events(index, cache.table("events"))  # events and incidents (aggregate/incidents.py), kept per article
    timings["aggregate"] = time.perf_counter() - started
    check_conservation(inputs, index)
    if own_cache:
        cache.save()
    return Analysis(index, inputs, timings, gazetteer)


def curator_suggestions(index: Index) -> list:
    """Hints for `archive entities --candidates` (likely merges, likely non-names): for the curator, not the
    site, so only that command pays for them."""
    return suggestions({s.id: s.record for s in index.entities.values()},
                       {s.id: len(s.mentions) for s in index.entities.values()}, _common_words())


class ConservationError(RuntimeError):
    """An input file is neither published nor listed as a problem: a bug, never a data issue."""


def check_conservation(inputs: list[InputFile], index: Index) -> None:
    """Every input file is published or listed in problems.json; otherwise the build stops loudly."""
    accounted = {a.original for a in index.articles} | {p.file for p in index.problems}
    lost = [item.display for item in inputs if item.display not in accounted]
    if lost:
        raise ConservationError(f"{len(lost)} input file(s) neither published nor listed as a problem: {', '.join(lost[:10])}")


def _locations_as_written(mentions: list[Mention], gazetteer: Gazetteer, unmapped: dict[str, Location]) -> dict[str, Location]:
    """The mentioned locations, each named as the articles most often write it ("Masyaf", not "Maşyāf")."""
    written: dict[str, Counter] = {}
    for m in mentions:
        if m.kind == "location" and not m.rule.startswith("demonym"):
            written.setdefault(m.target_id, Counter())[m.text] += 1
    locations = {}
    for location_id in sorted({m.target_id for m in mentions if m.kind == "location"}):
        location = gazetteer.get(location_id) or unmapped[location_id]
        spellings = [t for t, _ in written.get(location_id, Counter()).most_common() if name_key(t) == name_key(location.name)]
        if spellings and spellings[0] != location.name:
            location = replace(location, name=spellings[0], aliases=[location.name, *(a for a in location.aliases if a != spellings[0])])
        locations[location_id] = location
    return locations


def _display(path: Path | None, root: Path) -> str:
    if path is None:  # (no registry file: nothing to name)
        return ""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


