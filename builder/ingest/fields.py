"""Curator-given fields (YAML front matter, JSON keys) laid over what was detected in the text."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from . import cleanup, dates
from .parsed import Parsed

TEXT_FIELDS = {"title": "title", "subtitle": "subtitle", "dek": "subtitle", "description": "subtitle",
               "source": "source", "sitename": "source", "language": "language", "lang": "language",
               "image_caption": "image_caption", "image_credit": "image_credit"}
NAME_FIELDS = {"authors": "authors", "author": "authors", "contributors": "contributors"}
URL_FIELDS = ("url", "source_url", "link")
KNOWN = set(TEXT_FIELDS) | set(NAME_FIELDS) | set(URL_FIELDS) | {"date", "time", "id", "slug", "text", "body", "content", "tags"}


def apply(parsed: Parsed, given: dict[str, Any], *, where: str, warn_unknown: bool) -> Parsed:
    """Override `parsed` with the fields in `given`; bad values become warnings naming the field."""
    for key, value in given.items():
        key = str(key).lower()
        if value is None:
            continue
        if key in TEXT_FIELDS:
            text = scalar_text(value)
            if text is None:
                parsed.warnings.append(f"{where}: field '{key}' should be text, got {type(value).__name__}; ignored")
            elif text:
                setattr(parsed, TEXT_FIELDS[key], text)
        elif key in NAME_FIELDS:
            names = _names(value)
            if names is None:
                parsed.warnings.append(f"{where}: field '{key}' should be a name or a list of names; ignored")
            else:
                setattr(parsed, NAME_FIELDS[key], names)
        elif key == "date":
            try:
                parsed.date = dates.parse_date_value(value)
            except ValueError as exc:
                parsed.warnings.append(f"{where}: {exc}; the date detected in the text is kept" if parsed.date else f"{where}: {exc}; the article is undated")
        elif key == "time":
            text = scalar_text(value)
            if text and re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", text):
                parsed.time = text.zfill(5)
            else:
                shown = repr(text[:20]) if text is not None else f"(a {type(value).__name__})"
                parsed.warnings.append(f"{where}: time {shown} is not HH:MM; ignored")
        elif key in URL_FIELDS:
            url = web_url(scalar_text(value))
            if url:
                parsed.source_url = url
            else:
                parsed.warnings.append(f"{where}: field '{key}' is not an http(s) URL; ignored")
        elif key in ("id", "slug"):
            text = scalar_text(value)
            if text:
                setattr(parsed, f"{key}_hint", text)
        elif warn_unknown and key not in KNOWN:
            parsed.warnings.append(f"{where}: unknown field '{key}' ignored")
    if not parsed.title.strip():
        raise ValueError(f"{where}: the title is empty")
    return parsed


def scalar_text(value: Any) -> str | None:
    """A one-line text value, or None when `value` is not a scalar (a list, a mapping, a bool…)."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        try:
            text = str(value)
        except ValueError:  # an explicit `!!int` longer than Python will print (4,300 digits)
            return None
        return cleanup.normalise(text).replace("\n", " ").strip()
    return None


# Characters that would end or break out of a Markdown link destination, or an HTML attribute, if
# left raw: percent-encoding them keeps the address the same for every web server.
_URL_UNSAFE = {ord(c): f"%{ord(c):02X}" for c in "()[]<>\"'`\\{}|^ "}


def web_url(text: str | None) -> str | None:
    """An absolute http(s) address with a host, made safe to put in a link; None when it is not one."""
    if not text or len(text) > 2000 or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not text.lower().startswith(("http://", "https://")):
        return None
    return text.translate(_URL_UNSAFE)


def _names(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return cleanup.split_names(cleanup.normalise(value).replace("\n", " "))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        names = (cleanup.normalise(v).replace("\n", " ").strip() for v in value)
        return [cleanup.title_case_name(name) for name in names if name]
    return None
