"""Naming an article's publication from a header, byline outlet, site name or URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import yaml


@dataclass(frozen=True)
class _Outlet:
    name: str
    mention: re.Pattern  # any spelling, as a whole word anywhere in a text
    named: re.Pattern  # a text that is one spelling and nothing more ("BBC News", "The Jordan Times")
    leading: re.Pattern  # a text that starts with a spelling ("The Jerusalem Post Israel News …")
    domains: tuple[str, ...]


# A spelling is a whole word: no letter, digit or "." before it, and no letter or digit after it, nor a "." or
# "-" that goes on into a longer word or host name ("reuters.com.evil.example", "sputnik-fans.example").
_BEFORE, _AFTER = r"(?<![\w.])", r"(?![\w]|[.-]\w)"
# A domain spelling also stands inside a longer host name only as its end ("uk.reuters.com"), never after a "-"
# or "@" ("evil-bbc.com").
_BEFORE_DOMAIN = r"(?<![\w@-])"


@cache
def _known() -> tuple[_Outlet, ...]:
    entries = yaml.safe_load(resources.files("builder").joinpath("data/sources.yml").read_text("utf-8"))
    known = []
    for entry in entries:
        domains = tuple(d.lower() for d in entry.get("domains", []))
        spellings = [entry["name"], *entry.get("match", [])]
        # Short acronyms ("AP", "WIN") only count in capitals, or ordinary words would match.
        names = "|".join(f"(?-i:{re.escape(s)})" if s.isupper() and len(s) <= 4 else re.escape(s) for s in spellings)
        hosts = "|".join(re.escape(d) for d in domains)
        alternatives = _BEFORE + "(?:" + names + ")" + (f"|{_BEFORE_DOMAIN}(?:{hosts})" if hosts else "")
        any_spelling = "(?:" + names + (f"|{hosts}" if hosts else "") + ")"
        known.append(_Outlet(
            name=entry["name"],
            mention=re.compile(f"(?:{alternatives}){_AFTER}", re.I),
            named=re.compile(rf"\W*(?:the\s+)?{any_spelling}\W*", re.I),
            leading=re.compile(rf"\W*(?:the\s+)?{any_spelling}{_AFTER}", re.I),
            domains=domains,
        ))
    return tuple(known)


def known_source(text: str | None) -> str | None:
    """The canonical name of a known publication mentioned in `text`, matched as whole words.

    For texts that credit an outlet (a byline's outlet, a credit line, a footer): a mention is enough there.
    A page title's suffix or a clipping header's site must *be* the outlet (named_source, leading_source)."""
    if not text:
        return None
    for outlet in _known():
        if outlet.mention.search(text):
            return outlet.name
    return None


def named_source(text: str | None) -> str | None:
    """The known publication `text` is the name of (one spelling, nothing more): 'BBC News', 'Jordan Times'."""
    if not text:
        return None
    return next((o.name for o in _known() if o.named.fullmatch(text)), None)


def leading_source(text: str | None) -> str | None:
    """The known publication whose name `text` starts with: 'The Jerusalem Post Israel News Opinion …'."""
    if not text:
        return None
    return next((o.name for o in _known() if o.leading.match(text)), None)


def source_from_header(header: str) -> str | None:
    """'The Jerusalem Post - Israel News Coronavirus …' → 'The Jerusalem Post'.

    The site is the header's first part; the navigation after it names sections and often other outlets
    ('Daily Blog - Home World Reuters …' is Daily Blog's page, not Reuters')."""
    first = re.split(r"\s+[-|–—:]\s+", header.strip(), maxsplit=1)[0].strip()
    return leading_source(first) or (first if 2 <= len(first) <= 60 else None)


def source_from_url(url: str | None) -> str | None:
    """The known publication whose web domain (sources.yml `domains`) is the URL's host or a parent of it:
    'www.reuters.com', 'uk.reuters.com' → Reuters; 'reuters.com.evil.example', 'evil-bbc.com' → None."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:  # "http://[::1": not a URL
        return None
    if not host:
        return None
    best, best_length = None, 0
    for outlet in _known():
        for domain in outlet.domains:
            if (host == domain or host.endswith("." + domain)) and len(domain) > best_length:
                best, best_length = outlet.name, len(domain)
    return best


_TITLE_SEPARATOR = re.compile(r" [|\-–—] ")
TITLE_SUFFIX_CHARS = 60  # "Region - World - Ahram Online"; a longer tail is part of the headline


def split_title(title: str) -> tuple[str, str | None]:
    """'Dozens dead … | Jordan Times' → ('Dozens dead …', 'The Jordan Times').

    A suffix counts only when its last part is a known outlet's name (builder/data/sources.yml) and nothing
    more, so a headline ending '… - Reports', '… | Analysis' or '… - Why Reuters got it wrong' keeps it; section names between the headline and the outlet
    ('- Region - World - Ahram Online') go with the outlet."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title, None
    outlet = parts[-1].strip()
    name = named_source(outlet) if len(outlet) <= TITLE_SUFFIX_CHARS else None
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
