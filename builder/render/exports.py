"""Machine-readable exports for site/data/ (schema in the README)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

from ..aggregate import Index
from ..extract.provenance import confidence, rule_family
from .browse import browse_index
from .ftm import ftm_lines


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
    by_id = index.by_id
    for s in index.locations.values():
        loc = s.record
        geometry = {"type": "Point", "coordinates": [loc.lon, loc.lat]} if loc.lat is not None else None
        dates = (by_id[a].date for a in s.article_ids)
        months = dict(sorted(Counter(d[:7] for d in dates if d).items()))  # the map's time filter
        features.append({"type": "Feature", "id": s.id, "geometry": geometry, "properties": {
            "id": s.id, "name": s.name, "aliases": loc.aliases, "country": loc.country, "kind": loc.kind,
            "url": s.url, "articles": s.article_ids, "mentions": len(s.mentions), "months": months}})
    return {"type": "FeatureCollection", "features": features}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab or CR) gets a leading '."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def mentions_csv(index: Index) -> tuple[str, str]:
    """→ mentions.csv (one row per mention, naming its sentence by `sentence_id`) and sentences.csv (each
    sentence of each article once): the sentence is not repeated per mention, so the exports stay the size
    of the text they index."""
    mentions, sentences = io.StringIO(), io.StringIO()
    mention_rows, sentence_rows = csv.writer(mentions, lineterminator="\n"), csv.writer(sentences, lineterminator="\n")
    mention_rows.writerow(["article_id", "kind", "target_id", "start", "end", "text", "sentence_id", "rule", "matched",
                           "confidence"])
    sentence_rows.writerow(["sentence_id", "article_id", "start", "end", "sentence"])
    next_id = 1
    rules: dict[str, tuple] = {}  # a few hundred distinct rules: family, matched and confidence once each
    for article in index.articles:
        ids: dict[int, int] = {}
        for m in index.mentions_by_article.get(article.id, []):
            subjects = index.entities if m.kind == "entity" else index.locations
            if m.target_id not in subjects:
                continue
            if (sentence_id := ids.get(m.sentence_start)) is None:
                sentence_id = ids[m.sentence_start] = next_id
                next_id += 1
                sentence_rows.writerow([sentence_id, csv_cell(m.article_id), m.sentence_start,
                                        m.sentence_start + len(m.sentence), csv_cell(m.sentence)])
            if (rule := rules.get(m.rule)) is None:
                rule = rules[m.rule] = (rule_family(m.rule), csv_cell(m.rule), f"{confidence(m.rule):.2f}")
            mention_rows.writerow([csv_cell(m.article_id), m.kind, csv_cell(m.target_id), m.start, m.end,
                                   csv_cell(m.text), sentence_id, *rule])
    return mentions.getvalue(), sentences.getvalue()


def problems_json(index: Index) -> list[dict]:
    return [{"file": p.file, "severity": p.severity, "message": p.message} for p in index.problems]


def exports(index: Index) -> dict[str, bytes]:
    """File name inside site/data/ → bytes, in a stable order: a rebuild gives identical files."""
    mentions_text, sentences_text = mentions_csv(index)
    geojson = locations_geojson(index)
    return {
        "articles.json": json_lines(articles_json(index)),
        "entities.json": json_lines(entities_json(index)),
        "locations.geojson": json_lines(geojson["features"], head='{"type": "FeatureCollection", "features": ', tail="}"),
        "mentions.csv": mentions_text.encode(),
        "sentences.csv": sentences_text.encode(),
        "problems.json": json_lines(problems_json(index)),
        "browse.json": (json.dumps(browse_index(index), ensure_ascii=False, separators=(",", ":")) + "\n").encode(),
        "entities.ftm.json": ftm_lines(index).encode(),
    }


def json_lines(rows: list, head: str = "", tail: str = "") -> bytes:
    """A JSON array with one record per line: diff-friendly like an indented file, but written by json's C
    encoder (indenting makes json use its pure-Python one, several times slower at 10,000 articles)."""
    if not rows:
        return f"{head}[]{tail}\n".encode()
    body = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    return f"{head}[\n{body}\n]{tail}\n".encode()
