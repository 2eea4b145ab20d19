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


_TITLE_SEPARATOR = re.compile(r" [|\-–—] ")
TITLE_SUFFIX_CHARS = 60  # "Region - World - Ahram Online"; a longer tail is part of the headline


def split_title(title: str) -> tuple[str, str | None]:
    """'Dozens dead … | Jordan Times' → ('Dozens dead …', 'The Jordan Times').

    A suffix counts only when its last part is a known outlet (builder/data/sources.yml), so a headline
    ending '… - Reports' or '… | Analysis' keeps it; section names between the headline and the outlet
    ('- Region - World - Ahram Online') go with the outlet."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title, None
    outlet = parts[-1].strip()
    name = known_source(outlet) if len(outlet) <= TITLE_SUFFIX_CHARS else None
    if name is None:
        return title, None
    cut = 1
    sections = _title_sections()
    while cut < len(parts) - 1 and parts[-1 - cut].strip().lower() in sections:
        cut += 1
    separators = list(_TITLE_SEPARATOR.finditer(title))
    rest = title[: separators[-cut].start()].strip()
    return (rest, name) if rest else (title, None)


@cache
def _title_sections() -> frozenset[str]:
    data = yaml.safe_load(resources.files("builder").joinpath("data/furniture.yml").read_text("utf-8"))
    return frozenset(s.lower() for s in data.get("title_sections", []))
