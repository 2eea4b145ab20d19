"""Machine-readable exports for site/data/ (schema in the README)."""

from __future__ import annotations

import csv
import io
from collections import Counter

from ..aggregate import Index
from ..aggregate.events import CONFIDENCE_COLUMNS, confidence_cells
from ..extract.provenance import confidence, rule_family
from .browse import browse_index
from ..markup.escape import site_json
from .ftm import ftm_lines
from .events import events_geojson


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
            # the article's own event reports (event_reports.csv `report_id`), in the order it tells them
            "events": [e.id for e in index.events.get(a.id, ())],
            "main_event": next((e.id for e in index.events.get(a.id, ()) if e.main), None),
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
        # a name without a page keeps its row: kind "name", its type in target_id (README "Data exports")
        listed = sorted([*index.mentions_by_article.get(article.id, []), *index.other_names_by_article.get(article.id, [])],
                        key=lambda m: (m.start, m.kind))
        for m in listed:
            subjects = index.entities if m.kind == "entity" else index.locations
            if m.kind != "name" and m.target_id not in subjects:
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


# ACLED's columns where they apply, then ours; last, how far to trust each field (aggregate/events/confidence.py:
# the measured precision on the dev gold of the rule that gave the value; empty where the field is empty).
EVENT_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "location",
                 "latitude", "longitude", "geo_precision", "fatalities", "source", "notes", "admin1", "article_ids", "main",
                 "sentence", "rule", *CONFIDENCE_COLUMNS]


def events_csv(index: Index) -> str:
    """One row per incident (aggregate/incidents.py), ACLED's column names where they apply (see the README)."""
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\n")
    rows.writerow(EVENT_COLUMNS)
    for incident in index.incidents:
        lead = incident.lead
        figures = incident.fatalities_range
        notes = [f"{len(incident.events)} report{'s' if len(incident.events) != 1 else ''}"]
        if figures and figures[0] != figures[1]:
            notes.append(f"fatalities reported {figures[0]}-{figures[1]}: "
                         + "; ".join(f"{n} ({a})" for a, n in incident.figures))
        if incident.first("alleged"):
            notes.append(f"alleged actor: {incident.first('actor1')}")
        rule = "; ".join(f"{e.field}={e.rule}" for e in lead.evidence)
        rows.writerow([csv_cell(incident.id), lead.date or "", lead.time_precision or "", lead.event_type,
                       lead.sub_event_type, csv_cell(incident.first("actor1") or ""), csv_cell(incident.first("actor2") or ""),
                       csv_cell(lead.location or ""), "" if lead.latitude is None else f"{lead.latitude:.5f}",
                       "" if lead.longitude is None else f"{lead.longitude:.5f}", lead.geo_precision or "",
                       "" if figures is None else figures[0],
                       csv_cell("; ".join(dict.fromkeys(e.source for e in incident.events if e.source))),
                       csv_cell(". ".join(notes)), csv_cell(lead.admin1 or ""), csv_cell(" ".join(incident.article_ids)),
                       "true" if incident.main else "false", csv_cell(lead.sentence), csv_cell(rule),
                       *confidence_cells(incident.confidence)])
    return out.getvalue()


# event_reports.csv: events.csv's columns, each article's own reading of each event it reports; `article_ids`
# gives way to `article_id`, `report_id` leads and `event_id` names the incident the report was merged into.
REPORT_COLUMNS = ["report_id", "article_id", *(c for c in EVENT_COLUMNS if c != "article_ids")]


def event_reports_csv(index: Index) -> str:
    """One row per article and event it reports (aggregate/events.py, before merging into incidents): the
    article's own date, place, actors and toll. Articles in index order, each one's events in the order told."""
    incident_of = {e.id: incident.id for incident in index.incidents for e in incident.events}
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\n")
    rows.writerow(REPORT_COLUMNS)
    for article in index.articles:
        for e in index.events.get(article.id, ()):
            notes = []
            if e.fatalities_text:
                notes.append(f"fatalities as written: {e.fatalities_text}")
            if e.alleged and e.actor1:
                notes.append(f"alleged actor: {e.actor1}")
            rule = "; ".join(f"{x.field}={x.rule}" for x in e.evidence)
            rows.writerow([csv_cell(e.id), csv_cell(e.article_id), csv_cell(incident_of.get(e.id, "")), e.date or "",
                           e.time_precision or "", e.event_type, e.sub_event_type, csv_cell(e.actor1 or ""),
                           csv_cell(e.actor2 or ""), csv_cell(e.location or ""),
                           "" if e.latitude is None else f"{e.latitude:.5f}",
                           "" if e.longitude is None else f"{e.longitude:.5f}", e.geo_precision or "",
                           "" if e.fatalities is None else e.fatalities, csv_cell(e.source or ""),
                           csv_cell(". ".join(notes)), csv_cell(e.admin1 or ""), "true" if e.main else "false",
                           csv_cell(e.sentence), csv_cell(rule), *confidence_cells(e.confidence)])
    return out.getvalue()


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
        "events.csv": events_csv(index).encode(),
        "event_reports.csv": event_reports_csv(index).encode(),
        "events.geojson": json_lines(events_geojson(index)["features"], head='{"type": "FeatureCollection", "features": ', tail="}"),
        "problems.json": json_lines(problems_json(index)),
        "browse.json": (site_json(browse_index(index), separators=(",", ":")) + "\n").encode(),
        "entities.ftm.json": ftm_lines(index).encode(),
    }


def json_lines(rows: list, head: str = "", tail: str = "") -> bytes:
    """A JSON array with one record per line: diff-friendly like an indented file, but written by json's C
    encoder (indenting makes json use its pure-Python one, several times slower at 10,000 articles)."""
    if not rows:
        return f"{head}[]{tail}\n".encode()
    body = ",\n".join(site_json(row) for row in rows)
    return f"{head}[\n{body}\n]{tail}\n".encode()
