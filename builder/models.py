"""The typed records that pass between pipeline stages.

ingest → Article (+ Problem)   extract → Mention   aggregate → Index   render → files
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .paths import SiteUrl, SourcePath, page_url, source_path

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with one input file; shown in the build output, the data-quality page and problems.json."""

    file: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class Article:
    """One input file, normalised. `body` is plain text: paragraphs separated by a blank line."""

    id: str  # "/"-separated slug path, stable across rebuilds: derived from the file's path
    title: str
    body: str
    original: str  # input path relative to the project root (outside it: relative to the articles folder; never absolute)
    sha256: str  # of the original bytes
    kind: str  # text | markdown | html | json
    subtitle: str | None = None
    date: str | None = None  # YYYY-MM-DD, only when the article states it
    time: str | None = None  # HH:MM
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    image_caption: str | None = None
    image_credit: str | None = None
    source_url: str | None = None
    language: str | None = None
    word_count: int = 0
    original_ext: str = ".txt"
    body_is_markdown: bool = False  # curated .md bodies keep their Markdown; everything else is literal text
    furniture: list[str] = field(default_factory=list)  # page furniture cut from the body at ingest (see data/furniture.yml)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]

    @property
    def page_path(self) -> SourcePath:
        """Path of the generated page inside docs/, e.g. articles/2020/foo.md."""
        return source_path("articles", self.id)

    @property
    def url(self) -> SiteUrl:
        """Page URL relative to the site root (mkdocs directory URLs)."""
        return page_url(self.page_path)

    @property
    def original_url(self) -> str:
        """Where the original bytes are published; always served as text so no input can run as a page."""
        return f"originals/{self.id}{self.original_ext}.txt" if self.original_ext != ".txt" else f"originals/{self.id}.txt"


@dataclass(frozen=True)
class Mention:
    """One place in one article's body where an entity or location is named, or (kind "name") a name without a
    page, its target_id then the type it was given (person, organisation, facility, other)."""

    article_id: str
    kind: Literal["entity", "location", "name"]
    target_id: str
    start: int  # character offsets into Article.body
    end: int
    text: str
    sentence: str
    paragraph: int  # index into Article.paragraphs, for the link to that paragraph
    rule: str  # the alias or discovery rule that matched
    sentence_start: int = 0  # offset of `sentence` in the body, to highlight the mention inside it


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: Literal["person", "organisation", "facility", "other"]
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    wikidata: str | None = None
    origin: str = "registry"  # registry | discovered | byline


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166-1 alpha-2
    aliases: list[str] = field(default_factory=list)
    kind: str = "place"  # place | country | facility | neighbourhood
    population: int = 0
    admin1: str | None = None  # the governorate (first-level division) it lies in, by name, where known
    admin1_id: str | None = None  # ... and that governorate's own location id
