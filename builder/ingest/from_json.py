"""JSON objects as scrapers emit them: {"title", "text", "date", "authors", "source", "url", …}."""

from __future__ import annotations

import json

from . import fields, from_text, sources
from .parsed import Parsed

TEXT_KEYS = ("text", "body", "content")


def parse(text: str) -> Parsed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    except ValueError as exc:  # a number longer than Python reads (4,300 digits)
        raise ValueError(f"invalid JSON: {str(exc).split(';')[0]}") from None
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object with title and text, got a {type(data).__name__}")
    body = next((data[k] for k in TEXT_KEYS if isinstance(data.get(k), str) and data[k].strip()), None)
    if body is None:
        raise ValueError("the JSON object has no 'text' (or 'body', 'content') string")
    title = fields.scalar_text(data.get("title")) or None
    parsed = from_text.parse(body, title=title)
    parsed = fields.apply(parsed, data, where="JSON", warn_unknown=False)
    if not parsed.source:
        parsed.source = sources.source_from_url(parsed.source_url)
    return parsed
