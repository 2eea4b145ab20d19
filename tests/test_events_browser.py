"""The events index in a real browser: its script builds the filter; filtering hides the other entries and
empty months, keeps the map to the incidents that pass, says how many it shows, lives in the URL's fragment (and
comes back from it), works from the keyboard, and the filtered page passes axe in both palettes.

The site is the two seed articles: three incidents (Deir ez-Zor and Aleppo in May 2020, by Israel and Iran; one
undated in Syria), each with coordinates."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import make_project, serve
from test_accessibility_browser import SCHEMES, TIMEOUT_MS, axe_source, violations  # noqa: F401 (axe_source: a fixture)

pytestmark = pytest.mark.browser

FILTER = ".archive-event-filter"
MAP = ".archive-map[data-geojson]"
# The points in the map's cluster group (Leaflet's public API), as (lat, lon) rounded.
MARKERS = """() => {
    const map = document.querySelector('.archive-map[data-geojson]').archiveMap;
    let group = null;
    map.eachLayer(layer => { if (layer instanceof L.MarkerClusterGroup) group = layer; });
    return group.getLayers().map(m => [Math.round(m.getLatLng().lat * 1e4) / 1e4, Math.round(m.getLatLng().lng * 1e4) / 1e4]);
}"""


@pytest.fixture(scope="module")
def events_site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("events") / "archive")
    result = subprocess.run([sys.executable, "-m", "builder.cli", "build"], cwd=root, capture_output=True, text=True,
                            timeout=600, env={**os.environ, "ARCHIVE_TILE_URL": "", "ARCHIVE_MODEL": "none",
                                              "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert result.returncode == 0, result.stdout + result.stderr
    features = json.loads((root / "site" / "data" / "events.geojson").read_text("utf-8"))["features"]
    where = {f["id"]: (round(f["geometry"]["coordinates"][1], 4), round(f["geometry"]["coordinates"][0], 4))
             for f in features}
    with serve(root / "site") as url:
        yield url + "events/", where


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page
    assert page.errors == []
    context.close()


def shown_ids(page) -> set[str]:
    return set(page.eval_on_selector_all(".archive-event-timeline li:not([hidden])", "els => els.map(e => e.dataset.id)"))


def check_map_follows(page, where: dict) -> None:
    """The map holds exactly the listed incidents that have coordinates, and the count says so."""
    ids = shown_ids(page)
    expected = sorted(where[i] for i in ids if i in where)
    expect(page.locator(MAP)).to_have_attribute("data-archive-map-shown", str(len(expected)))
    assert sorted(tuple(p) for p in page.evaluate(MARKERS)) == expected
    total = page.locator(".archive-event-timeline li").count()
    expect(page.locator(f"{FILTER} output")).to_have_text(
        f"Showing {len(ids)} of {total} incidents ({len(expected)} on the map)")


def test_the_filter_shows_only_the_chosen_place(page, events_site):
    url, where = events_site
    page.goto(url)
    items = page.locator(".archive-event-timeline li")
    expect(page.locator(f"{FILTER} select")).to_have_count(4)
    for select in page.locator(f"{FILTER} select").all():  # each has a visible label tied to it
        expect(page.locator(f"label[for='{select.get_attribute('id')}']")).to_be_visible()
    total = items.count()
    assert total == 3
    expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
    expect(page.locator(f"{FILTER} output")).to_have_text("Showing 3 of 3 incidents (3 on the map)")
    expect(page.locator(f"{FILTER} output")).to_have_attribute("aria-live", "polite")
    page.select_option(f"{FILTER} select[name=place]", "Deir ez-Zor")
    expect(page.locator(".archive-event-timeline li:not([hidden])")).to_have_count(1)
    expect(page.locator(f"{FILTER} output")).to_have_text(f"Showing 1 of {total} incidents (1 on the map)")
    # The undated incident's month is left empty, so it is hidden; May 2020 stays.
    expect(page.locator(".archive-event-month:not([hidden])")).to_have_count(1)
    expect(page.locator(".archive-event-month:not([hidden]) h2")).to_have_text("May 2020")
    page.select_option(f"{FILTER} select[name=place]", "")
    expect(page.locator(".archive-event-timeline li:not([hidden])")).to_have_count(total)
    expect(page.locator(".archive-event-month[hidden]")).to_have_count(0)
    expect(page.locator(".archive-map .leaflet-container, .archive-map.leaflet-container")).to_have_count(1)


def test_the_map_keeps_only_the_incidents_the_filter_keeps(page, events_site):
    url, where = events_site
    page.goto(url)
    expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
    check_map_follows(page, where)
    assert len(page.evaluate(MARKERS)) == 3
    tried = 0
    for name in ("type", "actor", "governorate", "place"):
        select = page.locator(f"{FILTER} select[name={name}]")
        for value in select.locator("option").evaluate_all("os => os.map(o => o.value).filter(v => v)"):
            select.select_option(value)
            check_map_follows(page, where)
            tried += 1
        select.select_option("")
    assert tried >= 7  # one type, two actors, two governorates, three places
    # a governorate keeps the incidents of its places: Deir ez-Zor's, not Aleppo's
    page.select_option(f"{FILTER} select[name=governorate]", "Deir ez-Zor Governorate")
    check_map_follows(page, where)
    shown = shown_ids(page)
    assert shown and all("-deir-ez-zor-" in i for i in shown), shown
    page.select_option(f"{FILTER} select[name=governorate]", "")
    # Two filters at once: Israel in Aleppo is one incident, one marker, at Aleppo.
    page.select_option(f"{FILTER} select[name=actor]", "Israel")
    # Each place counts what it would show beside Israel (the undated one in Syria has no actor).
    assert page.locator(f"{FILTER} select[name=place] option").all_inner_texts() == [
        "All places", "Aleppo (1)", "Deir ez-Zor (1)", "Syria (0)"]
    page.select_option(f"{FILTER} select[name=place]", "Syria")  # the dead end the option's (0) warned of
    expect(page.locator(f"{FILTER} output")).to_have_text(
        "Showing 0 of 3 incidents (0 on the map): none has all the chosen values; change or reset a filter")
    expect(page.locator(".archive-event-month:not([hidden])")).to_have_count(0)
    assert page.evaluate(MARKERS) == []
    page.select_option(f"{FILTER} select[name=place]", "Aleppo")
    check_map_follows(page, where)
    assert page.evaluate(MARKERS) == [list(where["2020-05-04-aleppo-air-drone-strike"])]
    # Its popup names the incident, links to its page and counts reports (data-unit), not "mentions".
    page.locator(f"{MAP} path.archive-map__marker").click()
    popup = page.locator(f"{MAP} .archive-map__popup")
    expect(popup.locator("a")).to_have_text("Air/drone strike in Aleppo, 4 May 2020")
    expect(popup.locator("a")).to_have_attribute("href", "../events/2020-05-04-aleppo-air-drone-strike/")
    expect(popup.locator(".archive-map__mentions")).to_have_text("1 report")
    # Reset: everything again, on the map too, and the fragment is gone.
    page.click(f"{FILTER} button:has-text('Reset filters')")
    check_map_follows(page, where)
    assert len(page.evaluate(MARKERS)) == 3
    assert page.evaluate("location.hash") == ""
    expect(page.locator(f"{FILTER} button")).to_be_disabled()


def test_the_filter_is_kept_in_the_fragment_and_restored(page, events_site):
    url, where = events_site
    page.goto(url)
    page.select_option(f"{FILTER} select[name=actor]", "Iran")
    page.select_option(f"{FILTER} select[name=place]", "Aleppo")
    cited = page.url
    assert re.search(r"#actor=Iran&place=Aleppo$", cited), cited
    # A fresh page at the cited address shows the same view: selects, list, count and map (set before it is drawn).
    fresh = page.context.new_page()
    fresh.goto(cited)
    expect(fresh.locator(f"{FILTER} select[name=actor]")).to_have_value("Iran")
    expect(fresh.locator(f"{FILTER} select[name=place]")).to_have_value("Aleppo")
    expect(fresh.locator(f"{FILTER} select[name=type]")).to_have_value("")
    assert shown_ids(fresh) == {"2020-05-04-aleppo-air-drone-strike"}
    expect(fresh.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
    check_map_follows(fresh, where)
    assert fresh.evaluate(MARKERS) == [list(where["2020-05-04-aleppo-air-drone-strike"])]
    # Editing the fragment by hand (hashchange) is followed; spaces may come as + or %20.
    fresh.evaluate("location.hash = 'type=Air%2Fdrone+strike&place=Syria'")
    expect(fresh.locator(f"{FILTER} select[name=place]")).to_have_value("Syria")
    expect(fresh.locator(f"{FILTER} select[name=type]")).to_have_value("Air/drone strike")
    expect(fresh.locator(f"{FILTER} select[name=actor]")).to_have_value("")
    assert shown_ids(fresh) == {"syria-air-drone-strike"}
    check_map_follows(fresh, where)
    fresh.close()
    # An ordinary anchor is not a filter; a value the page does not have is ignored.
    for fragment in ("#month-2020-05", "#place=Atlantis"):
        other = page.context.new_page()
        other.goto(url + fragment)
        expect(other.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
        expect(other.locator(f"{FILTER} select[name=place]")).to_have_value("")
        check_map_follows(other, where)
        assert len(shown_ids(other)) == 3
        other.close()


def test_the_filter_works_from_the_keyboard(page, events_site):
    url, where = events_site
    page.goto(url)
    expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
    page.focus(f"{FILTER} select[name=type]")
    for _ in range(3):  # actor, governorate, place
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "place"
    page.keyboard.press("ArrowDown")  # the first place (options are sorted): Aleppo
    expect(page.locator(f"{FILTER} select[name=place]")).to_have_value("Aleppo")
    check_map_follows(page, where)
    assert len(shown_ids(page)) == 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Reset filters"
    page.keyboard.press("Enter")
    expect(page.locator(".archive-event-timeline li:not([hidden])")).to_have_count(3)
    # The reset button is disabled once nothing is filtered: focus goes back to the first control, not lost.
    assert page.evaluate("document.activeElement.name") == "type"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_filtered_page_passes_axe(browser, events_site, axe_source, scheme):
    url, _ = events_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(url + "#actor=Israel", wait_until="networkidle")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
        expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
        expect(page.locator(MAP)).to_have_attribute("data-archive-basemap", "ready")
        expect(page.locator(f"{FILTER} output")).to_have_text("Showing 2 of 3 incidents (2 on the map)")
        found = violations(page, axe_source)
    finally:
        context.close()
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)


def test_the_filter_fits_a_phone(browser, events_site):
    """At 390 px every control stays inside the screen (a long actor's name once pushed its select off it)."""
    url, _ = events_site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(url + "#actor=Israel")
        expect(page.locator(MAP)).to_have_attribute("data-archive-map-state", "ready")
        # The seeds' actors are short: give the actor select the kind of name a real archive has.
        page.evaluate("""() => { const o = document.createElement('option'); o.value = 'long';
            o.textContent = 'Islamic Revolutionary Guard Corps – Quds Force and affiliated Shia militias (12)';
            document.querySelector('.archive-event-filter select[name=actor]').appendChild(o); }""")
        for control in page.locator(f"{FILTER} select, {FILTER} button, {FILTER} output").all():
            box = control.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (control.evaluate("e => e.outerHTML"), box)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    finally:
        context.close()
