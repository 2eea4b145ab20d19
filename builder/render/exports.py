"""Machine-readable exports for site/data/ (schema in the README)."""

from __future__ import annotations

import json

from ..aggregate import Index


def articles_json(index: Index) -> list[dict]:
    return [
        {
            "id": a.id, "title": a.title, "subtitle": a.subtitle, "date": a.date, "time": a.time,
            "source": a.source, "authors": a.authors, "contributors": a.contributors,
            "url": a.url, "original": a.original, "original_url": a.original_url, "source_url": a.source_url,
            "sha256": a.sha256, "word_count": a.word_count, "language": a.language,
            "entities": [], "locations": [],
        }
        for a in index.articles
    ]


def problems_json(index: Index) -> list[dict]:
    return [{"file": p.file, "severity": p.severity, "message": p.message} for p in index.problems]


def exports(index: Index) -> dict[str, bytes]:
    """File name inside site/data/ → bytes (sorted keys, stable order: a rebuild gives identical files)."""
    dump = lambda data: (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()  # noqa: E731
    return {"articles.json": dump(articles_json(index)), "problems.json": dump(problems_json(index))}
