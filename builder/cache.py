"""Per-file work kept between builds, so a rebuild redoes only what changed.

Keys: the file's sha256 (parsing), the article's id and body (extraction), the registry's and the
gazetteer's digests, everything a generated page is made from (its HTML), and a digest of the
builder's own code and data (any change to the builder starts afresh). One pickle file under .cache/, rewritten atomically with only the entries the last
build used (a table the run did not use at all, such as the pages for `archive check`, is kept whole).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

import builder

FORMAT = 2
TABLES = ("articles", "extractions", "html", "pages")


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
    def __init__(self, directory: Path | None):
        self.path = directory / "build-cache.pickle" if directory else None
        self.previous: dict[str, dict] = {name: {} for name in TABLES}
        if self.path and self.path.exists():
            try:
                with self.path.open("rb") as f:
                    stored = pickle.load(f)
                if stored.get("code") == code_digest():
                    self.previous = {name: stored["entries"].get(name, {}) for name in TABLES}
            except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError, TypeError):
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
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".build-cache-")
        with os.fdopen(fd, "wb") as f:
            entries = {name: self.current[name] if name in self.used else self.previous[name] for name in TABLES}
            pickle.dump({"code": code_digest(), "entries": entries}, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


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
