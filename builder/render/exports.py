"""Machine-readable exports for site/data/ (schema in the README)."""

from __future__ import annotations

import csv
import io
import json

from ..aggregate import Index


def articles_json(index: Index) -> list[dict]:
    rows = []
    for a in index.articles:
        entity_ids, location_ids = index.subjects_by_article.get(a.id, ([], []))
        rows.append({
            "id": a.id, "title": a.title, "subtitle": a.subtitle, "date": a.date, "time": a.time,
            "source": a.source, "authors": a.authors, "contributors": a.contributors,
            "url": a.url, "original": a.original, "original_url": a.original_url, "source_url": a.source_url,
            "sha256": a.sha256, "word_count": a.word_count, "language": a.language,
            "entities": entity_ids, "locations": location_ids,
        })
    return rows


def entities_json(index: Index) -> list[dict]:
    return [
        {"id": s.id, "name": s.name, "type": s.record.type, "aliases": s.record.aliases, "url": s.url,
         "description": s.record.description, "wikidata": s.record.wikidata, "origin": s.record.origin,
         "articles": s.article_ids, "mentions": len(s.mentions)}
        for s in index.entities.values()
    ]


def locations_geojson(index: Index) -> dict:
    features = []
    for s in index.locations.values():
        loc = s.record
        geometry = {"type": "Point", "coordinates": [loc.lon, loc.lat]} if loc.lat is not None else None
        features.append({"type": "Feature", "id": s.id, "geometry": geometry, "properties": {
            "id": s.id, "name": s.name, "aliases": loc.aliases, "country": loc.country, "kind": loc.kind,
            "url": s.url, "articles": s.article_ids, "mentions": len(s.mentions)}})
    return {"type": "FeatureCollection", "features": features}


def mentions_csv(index: Index) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["article_id", "kind", "target_id", "start", "end", "text", "sentence"])
    for article in index.articles:
        for m in index.mentions_by_article.get(article.id, []):
            subjects = index.entities if m.kind == "entity" else index.locations
            if m.target_id in subjects:
                writer.writerow([m.article_id, m.kind, m.target_id, m.start, m.end, m.text, m.sentence])
    return out.getvalue()


def problems_json(index: Index) -> list[dict]:
    return [{"file": p.file, "severity": p.severity, "message": p.message} for p in index.problems]


def exports(index: Index) -> dict[str, bytes]:
    """File name inside site/data/ → bytes, in a stable order: a rebuild gives identical files."""
    dump = lambda data: (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()  # noqa: E731
    return {
        "articles.json": dump(articles_json(index)),
        "entities.json": dump(entities_json(index)),
        "locations.geojson": dump(locations_geojson(index)),
        "mentions.csv": mentions_csv(index).encode(),
        "problems.json": dump(problems_json(index)),
    }
