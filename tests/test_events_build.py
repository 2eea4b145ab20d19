"""The seed project builds its events: data/events.csv, the events index and a page per incident."""

import csv
import io
import json

import pytest

from builder.app.cli import main

pytestmark = pytest.mark.integration


def test_the_seed_build_writes_events_csv_and_incident_pages(project):
    assert main(["-f", str(project / "mkdocs.yml"), "build"]) == 0
    site = project / "site"
    rows = list(csv.DictReader(io.StringIO((site / "data" / "events.csv").read_text("utf-8"))))
    by_id = {r["event_id"]: r for r in rows}
    aleppo = by_id["2020-05-04-aleppo-air-drone-strike"]
    assert (aleppo["event_date"], aleppo["sub_event_type"], aleppo["location"], aleppo["actor1"]) == (
        "2020-05-04", "Air/drone strike", "Aleppo", "Israel")
    assert aleppo["main"] == "true" and "alleged" in aleppo["notes"]
    deir = by_id["2020-05-05-deir-ez-zor-air-drone-strike"]
    assert (deir["fatalities"], deir["source"], deir["location"]) == ("14", "Syrian Observatory for Human Rights", "Deir ez-Zor")
    page = (site / "events" / "2020-05-04-aleppo-air-drone-strike" / "index.html").read_text("utf-8")
    assert "Monday night" in page and "Air/drone strike in Aleppo, 4 May 2020" in page
    index = (site / "events" / "index.html").read_text("utf-8")
    # The index: the filter's place and the map drawn from data/events-index.json, the table's first page in the HTML.
    assert 'class="archive-event-filter" data-label="Filter the events" data-root="../"' in index
    assert 'archive-map--page-data' in index and "data/events.geojson" not in index
    assert '<tr data-id="2020-05-04-aleppo-air-drone-strike"><td>2020-05-04</td>' in index
    assert ">Air/drone strike in Aleppo, 4 May 2020</a></td> <td>Aleppo</td> <td>Israel, Iran</td>" in index
    data = json.loads((site / "data" / "events-index.json").read_text("utf-8"))
    assert sorted(r[0] for r in data["rows"]) == sorted(by_id)
    article = next((site / "articles").glob("000-*/index.html")).read_text("utf-8")
    assert "../../events/2020-05-04-aleppo-air-drone-strike/" in article
    assert "events/2020-05-05-deir-ez-zor-air-drone-strike/" in (site / "locations" / "deir-ez-zor-sy" / "index.html").read_text("utf-8")
