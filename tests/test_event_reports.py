"""data/event_reports.csv (each article's own reading of each event it reports) and articles.json's `events` and
`main_event`, on small in-memory articles (builder/render/exports.py)."""

import csv
from dataclasses import replace
import io
import json

import pytest

from builder.aggregate import Index, Subject
from builder.aggregate.incidents import add_events
from builder.models import Entity
from builder.render.exports import EVENT_COLUMNS, REPORT_COLUMNS, articles_json, event_reports_csv, events_csv, json_lines
from test_events import ENTITIES, PLACES, SEED_BODY, article, mentions_of

pytestmark = pytest.mark.unit

# A second article tells the seed's Deir Ezzor strike with another toll, and nothing else.
OTHER_BODY = "Twenty Iranians were killed in Israeli airstrikes in Deir Ezzor last night, according to SOHR."
QUIET_BODY = "The foreign ministers met in Geneva on Monday."


def index_of(*articles) -> Index:
    index = Index(articles=list(articles), problems=[], inputs=len(articles))
    index = replace(index, mentions_by_article={a.id: mentions_of(a) for a in articles})
    index = replace(index, locations={i: Subject(i, "location", loc) for i, loc in PLACES.items()})
    index = replace(index, entities={i: Subject(i, "entity", Entity(i, name, "organisation")) for i, name in ENTITIES.items()})
    index = add_events(index)
    return index


def seed_index() -> Index:
    return index_of(article(SEED_BODY, article_id="a"), article(OTHER_BODY, article_id="b", source="SANA"),
                    article(QUIET_BODY, article_id="c"))


def reports(index: Index) -> list[dict]:
    return list(csv.DictReader(io.StringIO(event_reports_csv(index))))


def test_one_row_per_article_and_event_with_events_csvs_columns():
    index = seed_index()
    rows = reports(index)
    assert list(rows[0]) == REPORT_COLUMNS
    assert REPORT_COLUMNS[:3] == ["report_id", "article_id", "event_id"]
    assert set(REPORT_COLUMNS) == set(EVENT_COLUMNS) - {"article_ids"} | {"report_id", "article_id"}
    assert [(r["report_id"], r["article_id"]) for r in rows] == [
        (e.id, a.id) for a in index.articles for e in index.events.get(a.id, ())]
    assert [r["report_id"] for r in rows if r["article_id"] == "a"] == ["a#0", "a#1"]
    assert not any(r["article_id"] == "c" for r in rows)  # no event, no row


def test_each_report_keeps_its_own_toll_and_names_the_incident_it_was_merged_into():
    index = seed_index()
    rows = {r["report_id"]: r for r in reports(index)}
    incidents = {r["event_id"]: r for r in csv.DictReader(io.StringIO(events_csv(index)))}
    seed, other = rows["a#1"], rows["b#0"]
    assert seed["location"] == other["location"] == "Deir ez-Zor"
    assert (seed["fatalities"], other["fatalities"]) == ("14", "20")  # each article's own figure
    assert seed["event_id"] == other["event_id"] and seed["event_id"] in incidents  # one incident of two reports
    incident = incidents[seed["event_id"]]
    assert incident["fatalities"] == "14" and incident["article_ids"] == "a b"  # the incident: the lowest figure
    assert other["source"] == "Syrian Observatory for Human Rights" and other["event_date"] == "2020-05-05"
    assert "fatalities as written: Twenty" in other["notes"]
    assert rows["a#0"]["main"] == "true" and seed["main"] == "false"
    assert "alleged actor: Israel" in rows["a#0"]["notes"] and "date=date:weekday" in rows["a#0"]["rule"]
    assert all(r["event_id"] in incidents for r in rows.values())


def test_articles_json_lists_each_articles_reports_and_its_main_event():
    index = seed_index()
    by_id = {a["id"]: a for a in articles_json(index)}
    assert by_id["a"]["events"] == ["a#0", "a#1"] and by_id["a"]["main_event"] == "a#0"
    assert by_id["b"]["events"] == ["b#0"] and by_id["b"]["main_event"] == "b#0"
    assert by_id["c"]["events"] == [] and by_id["c"]["main_event"] is None
    ids = {r["report_id"] for r in reports(index)}
    assert {i for a in by_id.values() for i in a["events"]} == ids


def test_the_exports_are_the_same_bytes_when_made_again():
    first, second = seed_index(), seed_index()
    assert event_reports_csv(first).encode() == event_reports_csv(second).encode()
    assert json_lines(articles_json(first)) == json_lines(articles_json(second))
    records = json.loads(json_lines(articles_json(first)))
    assert [r["main_event"] for r in records] == ["a#0", "b#0", None]


def test_report_cells_never_start_a_formula():
    index = index_of(article('=HYPERLINK("http://x") Israeli airstrikes hit Aleppo on Monday.', article_id="h"))
    (row,) = list(csv.reader(io.StringIO(event_reports_csv(index))))[1:]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
