"""Emit: the Index → the site's files, one emitter per page family (Quartz v4's emitters are the model).

Each emitter owns its family: it says which pages exist (their jobs), renders them with the library in
builder/render/, and declares what it depends on (`depends_on`: the parts listed below). It returns an
`Emission`: generated pages (filled into a mkdocs-rendered shell by the driver), files of the site, and the
normalised records kept in docs/articles/. The driver (builder/build.py: `plan_site`, the one path of
`build`, `check` and the preview) skips an emitter whose dependencies are unchanged since the last build and
keeps its outputs as they are; inside an emitter, each page is rendered only when what it shows changed (its
view is its key in the page cache), and the writer writes only files whose content changed.

A new page family is a new module here with one emitter class, added to `emitters()`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..aggregate import Index
from ..models import Location
from ..render import HtmlPage, NoStore, PageStore, Tiles

# What an emitter may depend on (`depends_on`): "articles", the published articles' records (ids, bytes,
# metadata); "analysis", everything extracted and aggregated (mentions, entities, locations, problems);
# "settings", the site's settings (map tiles, site URL); "shells", the theme's rendered page shells (nav, theme,
# hand-written pages). The driver digests each part once per build (build._parts).


@dataclass(frozen=True)
class EmitContext:
    """What every emitter reads. Pure data; the store is the page cache."""

    index: Index
    tiles: Tiles
    country_of: Callable[[str], Location | None]
    store: PageStore = field(default_factory=NoStore)
    original_paths: dict[str, Path] = field(default_factory=dict)  # an article's `original` (display path) → its file
    workers: int = 1
    site_url: str = ""


@dataclass(frozen=True)
class Output:
    """One file, known by its *identity* (a digest of what it is made of) before its bytes are made. Exactly
    one of `produce` (the bytes, made on demand: only when the file changed) and `copy_from` (a file published
    byte for byte; copied, not linked, so editing the input in place never edits the live site)."""

    path: str
    identity: str
    produce: Callable[[], bytes] | None = None
    copy_from: Path | None = None


@dataclass(frozen=True)
class Emission:
    pages: tuple[HtmlPage, ...] = ()  # filled into shells: their own (`HtmlPage.own_shell`) or their folder's
    files: dict[str, bytes] = field(default_factory=dict)  # site-relative path → bytes
    copies: dict[str, Path] = field(default_factory=dict)  # site-relative path → a file published byte for byte
    records: dict[str, Output] = field(default_factory=dict)  # inside docs/articles/: the normalised records


class Emitter(Protocol):
    # read-only: an emitter's class says them (`depends_on = ("articles",)`)
    @property
    def name(self) -> str: ...

    @property
    def depends_on(self) -> tuple[str, ...]: ...

    def emit(self, context: EmitContext) -> Emission: ...


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def emitters() -> list[Emitter]:
    """Every page family, in the order the driver runs them."""
    from .articles import ArticlePages, ArticleRecords, Originals
    from .events import IncidentPages
    from .exports import DataExports
    from .indexes import HomeSummary, IndexPages
    from .subjects import EntityPages, LocationPages

    return [ArticleRecords(), Originals(), ArticlePages(), EntityPages(), LocationPages(), IncidentPages(),
            IndexPages(), HomeSummary(), DataExports()]


def html_pages(context: EmitContext) -> list[HtmlPage]:
    """Every generated page of every family, as the emitters render them (no shells): for tests and tools that
    look at pages without building a site."""
    return [page for emitter in emitters() for page in emitter.emit(context).pages]
