"""Curator-given fields (YAML front matter, JSON keys) laid over what was detected in the text."""

from __future__ import annotations

import re
from typing import Any

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
                parsed.warnings.append(f"{where}: time {str(value)[:20]!r} is not HH:MM; ignored")
        elif key in URL_FIELDS:
            text = scalar_text(value)
            if text and re.match(r"^https?://[^\s<>\"']+$", text):
                parsed.source_url = text
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
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return cleanup.normalise(str(value)).replace("\n", " ").strip()
    return None


def _names(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return cleanup.split_names(cleanup.normalise(value).replace("\n", " "))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [cleanup.title_case_name(cleanup.normalise(v).strip()) for v in value if v.strip()]
    return None
