"""Naming an article's publication from a header, byline outlet, site name or URL."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import yaml


@cache
def _known() -> list[tuple[str, re.Pattern]]:
    entries = yaml.safe_load(resources.files("builder").joinpath("data/sources.yml").read_text("utf-8"))
    known = []
    for entry in entries:
        spellings = [entry["name"], *entry.get("match", [])]
        # Short acronyms ("AP", "WIN") only count in capitals, or ordinary words would match.
        alternatives = [f"(?-i:{re.escape(s)})" if s.isupper() and len(s) <= 4 else re.escape(s) for s in spellings]
        pattern = re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + r")(?![\w])", re.I)
        known.append((entry["name"], pattern))
    return known


def known_source(text: str | None) -> str | None:
    """The canonical name of a known publication mentioned in `text`, matched as whole words."""
    if not text:
        return None
    for name, pattern in _known():
        if pattern.search(text):
            return name
    return None


def source_from_header(header: str) -> str | None:
    """'The Jerusalem Post - Israel News Coronavirus …' → 'The Jerusalem Post'."""
    first = re.split(r"\s+[-|–—:]\s+", header.strip(), maxsplit=1)[0].strip()
    return known_source(first) or known_source(header) or (first if 2 <= len(first) <= 60 else None)


def source_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return known_source(host.removeprefix("www."))
