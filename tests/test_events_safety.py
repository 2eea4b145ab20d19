"""Article text reaches the event pages and events.csv only as text: never as markup, never as a formula."""

import csv
import io
from dataclasses import replace

import pytest

from builder.aggregate import Index, Subject
from builder.aggregate.incidents import add_events
from builder.render import Tiles
from builder.render.events import event_jobs, events_index_job
from builder.render.exports import events_csv
from test_events import ENTITIES, PLACES, article, mentions_of
from builder.models import Entity

pytestmark = pytest.mark.safety

HOSTILE = '=HYPERLINK("http://x") <script>alert(1)</script> Israeli airstrikes hit Aleppo on Monday <img src=x onerror=alert(2)>.'


def hostile_index() -> Index:
    a = article(HOSTILE, title='<b onmouseover="alert(3)">Airstrikes</b> in Aleppo')
    index = Index(articles=[a], problems=[], inputs=1)
    index = replace(index, mentions_by_article={a.id: mentions_of(a)})
    index = replace(index, locations={i: Subject(i, "location", loc) for i, loc in PLACES.items()})
    index = replace(index, entities={i: Subject(i, "entity", Entity(i, name, "organisation")) for i, name in ENTITIES.items()})
    index = add_events(index)
    assert index.incidents
    return index


def test_incident_and_index_pages_show_hostile_text_as_text():
    index = hostile_index()
    pages = [job.render() for job in event_jobs(index, Tiles("", ""))]
    import zlib

    pages.append(events_index_job(index, Tiles("", "")).render())
    html = "".join(zlib.decompress(p).decode() for p in pages)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html and "<b " not in html
    assert "&lt;b onmouseover" in html


def test_events_csv_cells_never_start_a_formula():
    rows = list(csv.reader(io.StringIO(events_csv(hostile_index()))))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
