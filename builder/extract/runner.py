"""The extractor as a worker builds it: from a small picklable spec, once per worker process.

`pipeline.extract` sends an `ExtractorSpec` with each batch of articles; whichever process runs the batch
(the build's own, a local pool's worker, a Dask worker on another machine) builds the `Extractor` the first
time it sees that spec and keeps it for the next batches (the automaton over ~80,000 names and the spaCy
model are the costly part, ~1–2 s). Only the last built extractor is kept, so a long-lived worker that serves
several builds holds one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ..isolation import STAGE_SECONDS, Failure, guarded
from ..models import Article
from . import ArticleExtraction, Extractor
from . import model as ner_model
from .gazetteer import load_common_words, load_gazetteer
from .registry import Registry


@dataclass(frozen=True)
class ExtractorSpec:
    """Everything a worker needs to build the extractor: the loaded registry (it is small), where the gazetteer
    cache is (used when the worker sees that folder, else the gazetteer is built in memory) and the model's name
    (the model must be installed where the worker runs)."""

    registry: Registry
    cache_dir: str | None
    model_name: str | None

    @property
    def key(self) -> tuple:
        return (self.registry.digest, self.cache_dir, self.model_name)


def common_words() -> frozenset[str]:
    tiers = load_common_words()  # not tier P (proper nouns such as "Paul"): they do start names
    return tiers["A"] | tiers["B"]


_BUILT: dict[tuple, Extractor] = {}  # a memo of the loaded resource (one entry), not build state
_LOCK = threading.Lock()  # a Dask worker may run several tasks in threads


def extractor_for(spec: ExtractorSpec) -> Extractor:
    with _LOCK:
        extractor = _BUILT.get(spec.key)
        if extractor is None:
            cache_dir = Path(spec.cache_dir) if spec.cache_dir and Path(spec.cache_dir).is_dir() else None
            model = ner_model.load(spec.model_name) if spec.model_name else None
            extractor = Extractor(spec.registry, load_gazetteer(cache_dir), common_words(), model)
            _BUILT.clear()
            _BUILT[spec.key] = extractor
        return extractor


def extract_batch(spec: ExtractorSpec, articles: list[Article]) -> list[ArticleExtraction]:
    extractor = extractor_for(spec)
    return [extract_one(extractor, article) for article in articles]


def extract_one(extractor: Extractor, article: Article) -> ArticleExtraction:
    """The article's names; if extraction fails, the article is published without them and the failure noted."""
    seconds = STAGE_SECONDS["extract"]
    result = guarded("extract", lambda: extractor.extract(article), seconds)
    if not isinstance(result, Failure):
        return result
    if extractor.model is not None:  # degrade: the registry, gazetteer and rules alone
        rules_only = guarded("extract", lambda: extractor.extract(article, use_model=False), seconds)
        if not isinstance(rules_only, Failure):
            rules_only.failure = result.message("its names were found by the registry, gazetteer and rules only")
            rules_only.cacheable = not result.timed_out
            return rules_only
    return ArticleExtraction(article.id, failure=result.message("the article is published without its names"),
                             cacheable=not result.timed_out)
