"""Saved web pages: trafilatura finds the main text and the page's metadata."""

from __future__ import annotations

import trafilatura

from . import cleanup, from_text, sources
from .parsed import Parsed


def parse(html: str) -> Parsed:
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Only dates the page states about itself: no guessing from the text or the file.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        raise ValueError("no article text found in the HTML page")
    title = cleanup.normalise(doc.title or "").strip() or None
    parsed = from_text.parse(doc.text, title=title)
    if doc.author and not parsed.authors:
        parsed.authors = cleanup.split_names(doc.author.replace(";", ","))
    parsed.date = doc.date or parsed.date
    parsed.source = sources.known_source(doc.sitename) or cleanup.normalise(doc.sitename or "").strip() or parsed.source or sources.source_from_url(doc.url)
    parsed.source_url = doc.url if doc.url and doc.url.startswith(("http://", "https://")) else None
    parsed.subtitle = parsed.subtitle or (cleanup.normalise(doc.description).strip() if doc.description else None)
    parsed.language = doc.language
    return parsed
