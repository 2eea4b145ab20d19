"""What an input-kind parser returns: the article's fields before it gets an id and a path."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Parsed:
    title: str
    paragraphs: list[str]
    subtitle: str | None = None
    date: str | None = None
    time: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    image_caption: str | None = None
    image_credit: str | None = None
    source_url: str | None = None
    language: str | None = None
    body_is_markdown: bool = False
    id_hint: str | None = None  # a curator's `id:` (whole id) or `slug:` (last part) from front matter
    slug_hint: str | None = None
    warnings: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)  # page furniture cut from the body (kept, not lost)
