"""The events index in a real browser: archive-events.js draws a date range and multi-select filters from
data/events-index.json; filtering keeps the table, the count and the map to the chosen incidents and lives in the
URL's fragment (and comes back from it); the table sorts and pages; the CSV holds the current selection; the map's
circles are named and no marker is a tab stop; the page works from the keyboard, lists incidents without scripts
and passes axe in both palettes.

The built site is the two seed articles: three incidents (Deir ez-Zor and Aleppo in May 2020, by Israel and Iran;
one undated in Syria), each with coordinates. Paging, sorting and the CSV at size are checked on the same page with
its data file answered by 120 synthetic incidents (tests/test_events_index.py's `synthetic`)."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import make_project, serve
from test_accessibility_browser import SCHEMES, TIMEOUT_MS, axe_source, violations  # noqa: F401 (axe_source: a fixture)
from test_events_index import synthetic

pytestmark = pytest.mark.browser

FILTER = ".archive-event-filter"
MAP = ".archive-map.archive-map--page-data"
ROWS = ".archive-event-table tbody tr"
COUNT = f"{FILTER} output"
# The points in the map's cluster group (Leaflet's public API), as (lat, lon) rounded.
MARKERS = """() => {
    const map = document.querySelector('.archive-map.archive-map--page-data').archiveMap;
    let group = null;
    map.eachLayer(layer => { if (layer instanceof L.MarkerClusterGroup) group = layer; });
    return group.getLayers().map(m => [Math.round(m.getLatLng().lat * 1e4) / 1e4, Math.round(m.getLatLng().lng * 1e4) / 1e4]);
}"""


@pytest.fixture(scope="module")
def events_site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("events") / "archive")
    result = subprocess.run([sys.executable, "-m", "builder.app.cli", "build"], cwd=root, capture_output=True, text=True,
                            timeout=600, env={**os.environ, "ARCHIVE_TILE_URL": "", "ARCHIVE_MODEL": "none",
                                              "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads((root / "site" / "data" / "events-index.json").read_text("utf-8"))
    with serve(root / "site") as url:
        yield url + "events/", data


@pytest.fixture(scope="module")
def big_data():
    """120 synthetic incidents, one actor's name made to look like a spreadsheet formula."""
    data = json.loads(__import__("builder.render.events", fromlist=["x"]).index_data_json(synthetic(120)))
    data["actors"] = ["=HYPERLINK(\"http://x\")" if a == "al-Neel Street" else a for a in data["actors"]]
    return data


def open_page(browser, url, data=None, **options):
    context = browser.new_context(viewport=options.pop("viewport", {"width": 1280, "height": 900}), accept_downloads=True,
                                  **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    if data is not None:
        page.route("**/data/events-index.json", lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(data)))
    page.goto(url)
    return page


@pytest.fixture
def page(browser, events_site):
    url, _ = events_site
    page = open_page(browser, url)
    yield page
    assert page.errors == []
    page.context.close()


@pytest.fixture
def big(browser, events_site, big_data):
    url, _ = events_site
    page = open_page(browser, url, big_data)
    yield page
    assert page.errors == []
    page.context.close()


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all(ROWS, "rows => rows.map(r => r.dataset.id)")


def choose(page, facet: str, name: str, on: bool = True) -> None:
    details = page.locator(f"details.archive-event-facet[data-facet={facet}]")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    box = details.locator("label", has_text=name).locator("input[type=checkbox]")
    box.check() if on else box.uncheck()


def expected(data, actors=(), places=(), date_from="", date_to="") -> list[str]:
    """The ids the filter must keep, computed from the data as the README says: alternatives within a filter,
    every filter applies; newest first (the data's order)."""
    out = []
    for r in data["rows"]:
        names = {data["actors"][a] for a in r[12] if a < data["clean_actors"]}
        place = data["places"][r[4]] if r[4] >= 0 else None
        if actors and not names & set(actors) or places and place not in places:
            continue
        if date_from and (not r[1] or r[1] < date_from) or date_to and (not r[1] or r[1] > date_to):
            continue
        out.append(r[0])
    return out


def check_map_follows(page, data, ids) -> None:
    where = {r[0]: (r[6], r[7]) for r in data["rows"] if r[6] is not None}
    points = sorted(where[i] for i in ids if i in where)
    expect(page.locator(MAP)).to_have_attribute("data-archive-map-shown", str(len(points)))
    assert sorted(tuple(p) for p in page.evaluate(MARKERS)) == points


def test_multi_select_filters_and_dates_keep_the_table_count_and_map(page, events_site):
    _, data = events_site
    expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
    expect(page.locator(COUNT)).to_have_text("Showing 3 of 3 incidents (3 on the map)")
    expect(page.locator(COUNT)).to_have_attribute("aria-live", "polite")
    assert page.locator(f"{FILTER} details summary").all_inner_texts() == [
        "Event type: any", "Sub-type: any", "Actor: any", "Governorate: any", "Place: any"]
    choose(page, "actor", "Israel")
    ids = expected(data, actors=["Israel"])
    assert len(ids) == 2
    expect(page.locator(ROWS)).to_have_count(2)
    assert shown_ids(page) == ids
    expect(page.locator(COUNT)).to_have_text("Showing 2 of 3 incidents (2 on the map)")
    check_map_follows(page, data, ids)
    assert page.evaluate("location.hash") == "#actor=Israel"
    expect(page.locator("details.archive-event-facet[data-facet=actor] summary")).to_have_text("Actor: Israel")
    # A second actor is an alternative: Israel or Iran.
    choose(page, "actor", "Iran")
    ids = expected(data, actors=["Israel", "Iran"])
    assert shown_ids(page) == ids
    # Another filter applies on top: in Aleppo. Each place counts what it would show beside the actors.
    counts = page.locator("details.archive-event-facet[data-facet=place] label").all_text_contents()
    assert "Aleppo (1)" in [" ".join(t.split()) for t in counts]
    choose(page, "place", "Aleppo")
    ids = expected(data, actors=["Israel", "Iran"], places=["Aleppo"])
    assert shown_ids(page) == ids == ["2020-05-04-aleppo-air-drone-strike"]
    check_map_follows(page, data, ids)
    choose(page, "place", "Aleppo", on=False)
    # The date range: from 5 May 2020, undated incidents drop out.
    page.fill("#archive-event-from", "2020-05-05")
    ids = expected(data, actors=["Israel", "Iran"], date_from="2020-05-05")
    expect(page.locator(ROWS)).to_have_count(len(ids))
    assert shown_ids(page) == ids == ["2020-05-05-deir-ez-zor-air-drone-strike"]
    check_map_follows(page, data, ids)
    assert page.evaluate("location.hash") == "#actor=Iran&actor=Israel&from=2020-05-05" or \
        page.evaluate("location.hash") == "#actor=Israel&actor=Iran&from=2020-05-05"
    # A dead end says so; reset brings everything back, and the fragment goes.
    page.fill("#archive-event-to", "2020-05-04")
    expect(page.locator(COUNT)).to_have_text(
        "Showing 0 of 3 incidents (0 on the map): none has all the chosen values; change or reset a filter")
    expect(page.locator(ROWS)).to_have_count(0)
    page.click(f"{FILTER} button:has-text('Reset filters')")
    expect(page.locator(ROWS)).to_have_count(3)
    check_map_follows(page, data, [r[0] for r in data["rows"]])
    assert page.evaluate("location.hash") == ""
    expect(page.locator(f"{FILTER} button:has-text('Reset filters')")).to_be_disabled()


def test_the_view_is_kept_in_the_fragment_and_restored(browser, events_site):
    url, data = events_site
    page = open_page(browser, url + "#actor=Israel&place=Aleppo&sort=killed-asc")
    try:
        expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
        expect(page.locator("details.archive-event-facet[data-facet=actor] input:checked")).to_have_count(1)
        assert shown_ids(page) == expected(data, actors=["Israel"], places=["Aleppo"])
        expect(page.locator(".archive-event-table th[aria-sort]")).to_have_text("Killed")
        expect(page.locator(".archive-event-table th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
        check_map_follows(page, data, shown_ids(page))
        # Editing the fragment by hand is followed; an ordinary anchor or an unknown value is no filter.
        page.evaluate("location.hash = 'type=Explosions%2FRemote+violence&from=2020-05-05'")
        expect(page.locator(ROWS)).to_have_count(len(expected(data, date_from="2020-05-05")))
        for fragment in ("#events", "#place=Atlantis"):
            other = open_page(browser, url + fragment)
            expect(other.locator(COUNT)).to_have_text("Showing 3 of 3 incidents (3 on the map)")
            assert other.errors == []
            other.context.close()
        assert page.errors == []
    finally:
        page.context.close()


def test_the_table_sorts_and_pages(big, big_data):
    rows = big_data["rows"]
    expect(big.locator(COUNT)).to_have_text("Showing 120 of 120 incidents (120 on the map)")
    expect(big.locator(ROWS)).to_have_count(50)
    caption = big.locator(".archive-event-table caption")
    expect(caption).to_have_text("Incidents 1–50 of 120, by date, descending")
    assert shown_ids(big) == [r[0] for r in rows[:50]]  # the data's order: newest first
    big.click("button:has-text('Next page')")
    expect(caption).to_have_text("Incidents 51–100 of 120, by date, descending")
    assert shown_ids(big) == [r[0] for r in rows[50:100]]
    big.click("button:has-text('Next page')")
    expect(big.locator(ROWS)).to_have_count(20)
    expect(big.locator("button:has-text('Next page')")).to_be_disabled()
    expect(big.locator(".archive-event-pager")).to_contain_text("Page 3 of 3")
    assert big.evaluate("location.hash") == "#page=3"
    # Sorting by toll goes back to the first page, largest first, then smallest first.
    big.click(".archive-event-table th button:has-text('Killed')")
    expect(caption).to_have_text("Incidents 1–50 of 120, by killed, descending")
    tolls = sorted((r[8] for r in rows if r[8] is not None), reverse=True)
    assert big.locator(f"{ROWS} td:nth-child(5)").first.inner_text().split("–")[0] == str(tolls[0])
    big.click(".archive-event-table th button:has-text('Killed')")
    expect(big.locator(".archive-event-table th[aria-sort=ascending]")).to_have_text("Killed")
    assert big.locator(f"{ROWS} td:nth-child(5)").first.inner_text() == ""  # no toll sorts below any toll
    # A filter pages its own rows.
    choose(big, "actor", "Israel")
    ids = expected(big_data, actors=["Israel"])
    expect(big.locator(COUNT)).to_have_text(f"Showing {len(ids)} of 120 incidents ({len(ids)} on the map)")
    expect(caption).to_contain_text(f"of {len(ids)},")


def test_the_csv_holds_the_current_selection(big, big_data):
    choose(big, "actor", "Israel")
    choose(big, "type", "Battles")
    ids = [i for i in expected(big_data, actors=["Israel"])
           if big_data["subs"][next(r for r in big_data["rows"] if r[0] == i)[3]][0] == "Armed clash"]
    button = big.locator(f"{FILTER} button", has_text="Download CSV")
    expect(button).to_have_text(f"Download CSV ({len(ids)} incidents)" if len(ids) != 1 else "Download CSV (1 incident)")
    with big.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "events-selection.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    assert sorted(r["event_id"] for r in rows) == sorted(ids)
    assert list(rows[0])[:6] == ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1"]
    assert {r["event_type"] for r in rows} == {"Battles"}
    assert all(r["url"].startswith("http://127.0.0.1:") and r["url"].endswith(f"/events/{r['event_id']}/") for r in rows)
    # The whole archive: every row, and no cell a spreadsheet would run.
    big.click(f"{FILTER} button:has-text('Reset filters')")
    with big.expect_download() as info:
        big.locator(f"{FILTER} button", has_text="Download CSV").click()
    every = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert len(every) == 121
    assert any(cell.startswith("'=HYPERLINK") for row in every for cell in row)
    assert not any(cell.startswith(("=", "+", "@")) for row in every for cell in row)


def test_markers_are_named_and_never_tab_stops(big, big_data):
    map_ = big.locator(MAP)
    expect(map_).to_have_attribute("data-archive-map-state", "ready")
    expect(big.locator(".archive-event-legend")).to_be_visible()
    circles = map_.locator("path.archive-map__marker")
    clusters = map_.locator(".archive-map__cluster")
    expect(clusters.first).to_be_visible()
    for cluster in clusters.all():
        assert cluster.get_attribute("tabindex") == "-1" and cluster.get_attribute("role") == "img"
        label = cluster.get_attribute("aria-label")
        assert label.startswith("Cluster of ") and label.endswith(" incidents: zoom in to see them"), label
    # Two incidents far apart (the first rows of two types): two circles, each named by its incident and toll.
    rows = big_data["rows"]
    other = next(r for r in rows if r[3] != rows[0][3] and abs(r[6] - rows[0][6]) + abs(r[7] - rows[0][7]) > 1)
    big.evaluate("""ids => { const el = document.querySelector('.archive-map--page-data');
        el.archiveMapKeep = f => ids.includes(f.id); el.dispatchEvent(new CustomEvent('archive-map:filter')); }""",
                 [rows[0][0], other[0]])
    expect(circles).to_have_count(2)
    labels = sorted(c.get_attribute("aria-label") for c in circles.all())
    for r in (rows[0], other):
        toll = "" if r[8] is None else f", {r[8]}{'' if r[8] == r[9] else '–' + str(r[9])} killed"
        assert any(label.endswith(f"{toll}, {r[10]} report{'s' if r[10] != 1 else ''}") for label in labels), (labels, r)
    for circle in circles.all():
        assert circle.get_attribute("role") == "img" and circle.get_attribute("tabindex") == "-1"
        assert " in Kafr Town Number " in circle.get_attribute("aria-label")
    classes = sorted(c.get_attribute("class") for c in circles.all())
    assert len({c for c in classes}) == 2 and all("archive-map__marker--" in c for c in classes)  # coloured by type
    # The map's own tab stops: the map (arrow keys pan it), its zoom buttons and the attribution's link.
    stops = big.evaluate("""() => [...document.querySelectorAll('.archive-map--page-data *')]
        .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length).length""")
    assert stops <= 4, stops


def test_it_works_from_the_keyboard(page, events_site):
    _, data = events_site
    expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
    page.focus("details.archive-event-facet[data-facet=actor] summary")
    page.keyboard.press("Enter")  # opens the disclosure
    expect(page.locator("details.archive-event-facet[data-facet=actor]")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "checkbox"
    page.keyboard.press("Space")
    first = page.evaluate("document.activeElement.parentNode.textContent")
    name = first.rsplit(" (", 1)[0]
    expect(page.locator(ROWS)).to_have_count(len(expected(data, actors=[name])))
    # The sort buttons and the reset are buttons; reset gives the focus back to the first control.
    page.focus(".archive-event-table th button:has-text('Killed')")
    page.keyboard.press("Enter")
    expect(page.locator(".archive-event-table th[aria-sort]")).to_have_text("Killed")
    page.focus(f"{FILTER} button:has-text('Reset filters')")
    page.keyboard.press("Enter")
    expect(page.locator(ROWS)).to_have_count(3)
    assert page.evaluate("document.activeElement.id") == "archive-event-from"


def test_without_scripts_the_page_lists_incidents(browser, events_site):
    url, data = events_site
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        expect(page.locator(ROWS)).to_have_count(3)
        assert shown_ids(page) == [r[0] for r in data["rows"]]
        expect(page.locator(".archive-event-table a", has_text="Air/drone strike in Aleppo, 4 May 2020")).to_be_visible()
        expect(page.locator("a[href$='data/events.csv']").first).to_be_visible()
        expect(page.locator(FILTER)).to_be_hidden()  # empty without scripts
        expect(page.locator(".archive-event-legend")).to_be_hidden()  # the map's colours, without a map
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_filtered_page_passes_axe(browser, events_site, axe_source, scheme):
    url, _ = events_site
    page = open_page(browser, url + "#actor=Israel", color_scheme=scheme)
    try:
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
        expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
        expect(page.locator(MAP)).to_have_attribute("data-archive-basemap", "ready")
        expect(page.locator(COUNT)).to_have_text("Showing 2 of 3 incidents (2 on the map)")
        page.locator("details.archive-event-facet[data-facet=actor] summary").click()
        found = violations(page, axe_source)
        assert page.errors == []
    finally:
        page.context.close()
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)


def test_the_filter_fits_a_phone(browser, events_site, big_data):
    """At 390 px every control stays inside the screen, with a facet open; the table scrolls in its own box."""
    url, _ = events_site
    page = open_page(browser, url, big_data, viewport={"width": 390, "height": 844})
    try:
        expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
        page.locator("details.archive-event-facet[data-facet=actor] summary").click()
        for control in page.locator(f"{FILTER} summary, {FILTER} button, {FILTER} output, {FILTER} input").all():
            if not control.is_visible():
                continue
            box = control.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (control.evaluate("e => e.outerHTML"), box)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        assert page.errors == []
    finally:
        page.context.close()
