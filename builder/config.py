"""The archive's settings: one record, read from mkdocs.yml's `archive` plugin block (and a few environment
variables) by `settings_of`, below everything else (no layer above it creates or changes them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_TILES = ""  # the vendored vector basemap; a tile server is an opt-in (README "Maps")
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str


@dataclass(frozen=True)
class Settings:
    project_root: Path
    articles_dir: Path
    docs_dir: Path
    registry: Path | None = None  # entities.yml
    tiles: Tiles = field(default_factory=lambda: Tiles(DEFAULT_TILES, DEFAULT_ATTRIBUTION))
    cache_dir: Path | None = None  # gazetteer cache (.cache/)
    min_articles: int = 2  # a discovered name without a typing rule needs this many articles to get a page
    model: str | None = None  # a spaCy pipeline's name; None: the first of model.DEFAULT_MODELS installed; "none": rules only
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    # Where parsing and extraction run: None, this machine (a process pool for large batches);
    # "dask://HOST:PORT", an existing Dask cluster. The reduce (aggregate) and the writing stay here.
    executor: str | None = None


def settings_of(config: Any, options: Any, executor: str | None = None) -> Settings:
    """The settings of a loaded mkdocs configuration: `options` is the `archive` plugin's block
    (builder/site/plugin.py ArchiveConfig); `executor` the command line's --executor."""
    project_root = Path(config.config_file_path).resolve().parent
    articles_dir = Path(options.articles_dir)
    return Settings(
        project_root=project_root,
        articles_dir=articles_dir if articles_dir.is_absolute() else project_root / articles_dir,
        docs_dir=Path(config.docs_dir).resolve(),
        registry=project_root / options.registry,
        cache_dir=project_root / options.cache_dir,
        min_articles=options.min_articles,
        model=options.model,
        tiles=Tiles(os.environ.get("ARCHIVE_TILE_URL", options.tile_url), options.tile_attribution),
        executor=executor or os.environ.get("ARCHIVE_EXECUTOR") or None,
    )
