"""The map assets work in a real browser, offline: Leaflet (vendored) + archive-map.js/.css.

A throw-away page loads the assets exactly as `builder.site.assets.files()` publishes them (under
assets/archive/), inside Material's own stylesheets when they are installed, and is served on
127.0.0.1. Requests to any other host are refused and recorded; console errors, uncaught page
errors and dialogs (alert) are recorded too, and every test ends by asserting there were none.
Headless Chromium is Debian's /usr/bin/chromium driven by Playwright (never `playwright install`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.site import assets


from conftest import keep_to_site, serve  # noqa: E402
TIMEOUT_MS = 20_000
SCREENSHOT = Path("/tmp/map-test.png")

HOSTILE = "Deir <img src=x onerror=alert(1)> ez-Zor"
FEATURES = [  # (name, url relative to the site root, mentions, lon, lat)
    ("Aleppo", "locations/aleppo/", 40, 37.16, 36.20),
    ("Damascus", "locations/damascus/", 9, 36.29, 33.51),
    (HOSTILE, "locations/deir-ez-zor/", 1, 40.14, 35.33),
]
ROOT = "../../"  # the test page is at places/test/index.html


def collection(features) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": {"name": name, "url": url, "mentions": mentions}}
        for name, url, mentions, lon, lat in features
    ]}


def material_stylesheets() -> list[Path]:
    """Material's compiled CSS, so the maps are tested under `.md-typeset` rules as on the real site."""
    try:
        import material
    except ImportError:
        return []
    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return sorted(folder.glob("main.*.min.css")) + sorted(folder.glob("palette.*.min.css"))


def page_html(body: str, *, scheme: str = "default", head: str = "") -> str:
    css = [f"{ROOT}assets/material/{path.name}" for path in material_stylesheets()]
    css += [f"{ROOT}{path}" for path in assets.STYLESHEETS]
    js = [f"{ROOT}{path}" for path in assets.JAVASCRIPT]  # archive-map.js loads Leaflet itself
    links = "\n".join(f'<link rel="stylesheet" href="{href}">' for href in css)
    scripts = "\n".join(f'<script src="{src}"></script>' for src in js)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>map test</title>
<link rel="icon" href="data:,">
{links}
{head}
</head>
<body dir="ltr" data-md-color-scheme="{scheme}" data-md-color-primary="blue-grey" data-md-color-accent="deep-orange">
<div class="md-container"><main class="md-main"><div class="md-content"><article class="md-content__inner md-typeset">
<h1>Map test</h1>
{body}
</article></div></main></div>
{scripts}
</body></html>"""


MAIN_BODY = f"""
<div id="one" class="archive-map" data-lat="36.2" data-lon="37.16" data-zoom="7" data-name="{HOSTILE.replace('<', '&lt;')}"
     data-tiles="" data-attribution="© OpenStreetMap contributors">
  <ul class="archive-map__coordinates"><li>Aleppo: 36.2, 37.16</li></ul>
</div>
<div id="many" class="archive-map" data-geojson="places.geojson" data-root="{ROOT}"
     data-tiles="" data-attribution="© OpenStreetMap contributors">
  <ul class="archive-map__coordinates"><li>Aleppo: 36.2, 37.16</li><li>Damascus: 33.51, 36.29</li></ul>
</div>
"""

EDGE_BODY = f"""
<div id="broken" class="archive-map" data-geojson="broken.geojson" data-root="{ROOT}" data-tiles="">
  <p class="fallback">Aleppo: 36.2, 37.16</p>
</div>
<div id="badcoords" class="archive-map" data-lat="north" data-lon="370" data-tiles="">
  <p class="fallback">somewhere</p>
</div>
<div id="scheme" class="archive-map" data-geojson="scheme.geojson" data-root="{ROOT}" data-tiles="">
  <p class="fallback">Aleppo: 36.2, 37.16</p>
</div>
"""

TILE_HOST = "https://tiles.example.invalid/"
TILES_BODY = f"""
<div id="tiled" class="archive-map" data-lat="33.51" data-lon="36.29" data-tiles="{TILE_HOST}{{z}}/{{x}}/{{y}}.png"
     data-attribution="&lt;b&gt;Tiles&lt;/b&gt; &amp; co">
  <p class="fallback">Damascus: 33.51, 36.29</p>
</div>
"""

# The locations map of a busy archive: 24 places in Syria and around (weighted by mentions), one far outlier
# (Washington, 1 mention), and the months of their articles.
REGION_FEATURES = [(f"Place {i}", f"locations/p{i}/", 5 + i, 36.0 + (i % 6) * 0.08, 33.0 + (i // 6) * 0.08)
                   for i in range(24)] + [("Washington", "locations/washington/", 1, -77.04, 38.9)]
REGION_MONTHS = [{"2019-01": 1} if i % 2 else {"2021-06": 2} for i in range(24)] + [{"2019-01": 1}]
REGION_BODY = f"""
<div id="region" class="archive-map" data-geojson="region.geojson" data-root="{ROOT}" data-tiles="">
  <p class="fallback">places</p>
</div>
"""
NO_MAP_BODY = "<p>A page without a map.</p>"

# Material's instant navigation announces every new page on the `document$` observable.
# Every subscriber is called (archive-map.js and archive-a11y.js both subscribe), as with Material's RxJS subject.
FAKE_DOCUMENT = ("<script>window.__subscribers = []; window.__pageLoaded = function (d) { window.__subscribers.forEach("
                 "function (fn) { fn(d); }); }; window.document$ = {subscribe: function (fn) { window.__subscribers.push(fn); }};"
                 "</script>")




@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mapsite")
    for relative, content in assets.files().items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    for path in material_stylesheets():
        (root / "assets" / "material").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, root / "assets" / "material" / path.name)
    pages = root / "places" / "test"
    pages.mkdir(parents=True)
    (pages / "places.geojson").write_text(json.dumps(collection(FEATURES)), encoding="utf-8")
    (pages / "broken.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    (pages / "scheme.geojson").write_text(
        json.dumps(collection([("Evil", "javascript:alert(1)", 3, 37.16, 36.2)])), encoding="utf-8")
    (pages / "index.html").write_text(page_html(MAIN_BODY), encoding="utf-8")
    (pages / "slate.html").write_text(page_html(MAIN_BODY, scheme="slate"), encoding="utf-8")
    (pages / "edge.html").write_text(page_html(EDGE_BODY), encoding="utf-8")
    (pages / "tiles.html").write_text(page_html(TILES_BODY), encoding="utf-8")
    (pages / "instant.html").write_text(page_html(MAIN_BODY, head=FAKE_DOCUMENT), encoding="utf-8")
    (pages / "noleaflet.html").write_text(page_html(MAIN_BODY), encoding="utf-8")
    region = collection(REGION_FEATURES)
    for feature, months in zip(region["features"], REGION_MONTHS):
        feature["properties"]["months"] = months
    (pages / "region.geojson").write_text(json.dumps(region), encoding="utf-8")
    (pages / "region.html").write_text(page_html(REGION_BODY), encoding="utf-8")
    (pages / "nomap.html").write_text(page_html(NO_MAP_BODY), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url




@pytest.fixture
def problems() -> list[str]:
    return []


@pytest.fixture
def page(browser, base_url, problems):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)

    keep_to_site(context, base_url, problems)
    page = context.new_page()
    page.on("console", lambda msg: msg.type in ("error", "warning") and problems.append(
        f"console {msg.type}: {msg.text} (at {msg.location.get('url')}:{msg.location.get('lineNumber')})"))
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status}: {response.url}"))
    yield page
    context.close()


def check_maps(page, problems):
    one, many = page.locator("#one"), page.locator("#many")
    expect(one).to_have_attribute("data-archive-map-state", "ready")
    expect(many).to_have_attribute("data-archive-map-state", "ready")
    expect(one.locator(".leaflet-container")).to_have_count(1)
    expect(many.locator(".leaflet-container")).to_have_count(1)
    expect(one.locator("path.leaflet-interactive")).to_have_count(1)
    expect(many.locator("path.leaflet-interactive")).to_have_count(3)
    expect(page.locator(".archive-map__coordinates")).to_have_count(2)
    for fallback in page.locator(".archive-map__coordinates").all():
        expect(fallback).to_be_hidden()  # the drawn map replaces the coordinates list
    assert page.locator(".archive-map .leaflet-tile").count() == 0  # data-tiles="": no tile layer

    # The map has its height, and Material's `.md-typeset svg {height: auto}` did not shrink the markers' layer.
    canvas = many.locator(".archive-map__canvas").bounding_box()
    assert canvas and canvas["height"] == pytest.approx(460, abs=2)
    svg = many.locator(".leaflet-overlay-pane svg").bounding_box()
    assert svg and svg["height"] >= canvas["height"] and svg["width"] >= canvas["width"]
    # Every marker lies inside the map (fitBounds).
    for marker in many.locator("path.leaflet-interactive").all():
        box = marker.bounding_box()
        assert box and canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]
        assert canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"]

    # Bigger circle for more mentions (radius ~ sqrt(mentions)).
    sizes = sorted(marker.bounding_box()["width"] for marker in many.locator("path.leaflet-interactive").all())
    assert sizes[0] < sizes[1] < sizes[2]

    seen = {}
    for marker in many.locator("path.leaflet-interactive").all():
        marker.click()
        popup = many.locator(".leaflet-popup-content")
        expect(popup).to_have_count(1)
        link = popup.locator("a")
        expect(link).to_have_count(1)
        seen[link.inner_text()] = link.get_attribute("href")
        assert popup.locator("img").count() == 0
        many.locator(".leaflet-popup-close-button").click()
        expect(popup).to_have_count(0)
    assert seen == {name: ROOT + url for name, url, *_ in FEATURES}  # the hostile name shows literally

    # The hostile name shows literally in tooltips too, never as markup.
    one.locator("path.leaflet-interactive").hover()
    expect(one.locator(".leaflet-tooltip")).to_have_text(HOSTILE)
    assert page.locator(".archive-map img").count() == 0


def wait_for_popup(page):
    """Leaflet fades popups in: wait until it is opaque before a screenshot."""
    page.wait_for_function(
        "(() => { const p = document.querySelector('#many .leaflet-popup');"
        " return p && getComputedStyle(p).opacity === '1'; })()")


@pytest.mark.browser
def test_maps_draw_offline(page, base_url, problems):
    page.goto(f"{base_url}places/test/")
    check_maps(page, problems)
    many = page.locator("#many")
    many.locator("path.leaflet-interactive").first.click()  # leave one popup open for the screenshot
    expect(many.locator(".leaflet-popup-content a")).to_have_count(1)
    wait_for_popup(page)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert problems == []


@pytest.mark.browser
def test_maps_draw_in_dark_scheme(page, base_url, problems):
    page.goto(f"{base_url}places/test/slate.html")
    check_maps(page, problems)
    background = page.evaluate(
        "getComputedStyle(document.querySelector('#many .leaflet-container')).backgroundColor")
    assert background == "rgb(43, 45, 58)"
    page.locator("#many path.leaflet-interactive").first.click()
    wait_for_popup(page)
    page.screenshot(path=str(SCREENSHOT.with_name("map-test-slate.png")), full_page=True)
    assert problems == []


@pytest.mark.browser
def test_bad_data_leaves_the_fallback(page, base_url, problems):
    page.goto(f"{base_url}places/test/edge.html")
    for map_id in ("broken", "badcoords"):
        element = page.locator(f"#{map_id}")
        expect(element).to_have_attribute("data-archive-map-state", "failed")
        expect(element.locator(".fallback")).to_be_visible()
        assert element.locator(".leaflet-container").count() == 0
    # A javascript: URL from the data never becomes a link.
    scheme = page.locator("#scheme")
    expect(scheme).to_have_attribute("data-archive-map-state", "ready")
    scheme.locator("path.leaflet-interactive").click()
    expect(scheme.locator(".leaflet-popup-content")).to_contain_text("Evil")
    assert scheme.locator(".leaflet-popup-content a").count() == 0
    assert problems == []


@pytest.mark.browser
def test_without_leaflet_the_coordinates_stay(page, base_url, problems):
    # Leaflet's file answers, but defines nothing (a broken or blocked copy).
    page.route("**/vendor/leaflet/leaflet.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body="/* empty */"))
    page.goto(f"{base_url}places/test/noleaflet.html")
    for map_id in ("one", "many"):
        element = page.locator(f"#{map_id}")
        expect(element).to_have_attribute("data-archive-map-state", "failed")
        expect(element).to_have_attribute("data-archive-map-error", "Leaflet is not loaded")
        expect(element.locator(".archive-map__coordinates")).to_be_visible()
    assert page.locator(".leaflet-container").count() == 0
    assert problems == []


@pytest.mark.browser
def test_tile_url_and_attribution(page, base_url, problems):
    """A configured tile URL draws tiles from it (answered here by the test, never the network);
    the attribution is shown as text."""
    tile = assets.files()["assets/archive/vendor/leaflet/images/layers.png"]
    requested = []

    def fake_tiles(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=tile)

    page.route(f"{TILE_HOST}**", fake_tiles)
    page.goto(f"{base_url}places/test/tiles.html")
    tiled = page.locator("#tiled")
    expect(tiled).to_have_attribute("data-archive-map-state", "ready")
    expect(tiled.locator("img.leaflet-tile-loaded").first).to_be_visible()
    assert requested and all(url.startswith(TILE_HOST) and url.endswith(".png") for url in requested)
    assert any(url.startswith(f"{TILE_HOST}8/") for url in requested)  # default zoom 8
    attribution = tiled.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("<b>Tiles</b> & co")
    assert attribution.locator("b").count() == 0
    assert problems == []


@pytest.mark.browser
def test_instant_navigation(page, base_url, problems):
    """A page swapped in by Material's instant navigation gets its maps; the old ones are released."""
    page.goto(f"{base_url}places/test/instant.html")
    expect(page.locator("#many path.leaflet-interactive")).to_have_count(3)
    page.evaluate("""() => {
        const article = document.querySelector("article");
        article.replaceChildren();
        const element = document.createElement("div");
        element.id = "next";
        element.className = "archive-map";
        element.dataset.lat = "33.51";
        element.dataset.lon = "36.29";
        element.dataset.tiles = "";
        article.appendChild(element);
        window.__pageLoaded(document);
    }""")
    expect(page.locator("#next")).to_have_attribute("data-archive-map-state", "ready")
    expect(page.locator("#next path.leaflet-interactive")).to_have_count(1)
    page.evaluate("window.__pageLoaded(document)")  # a second announcement changes nothing
    expect(page.locator(".leaflet-container")).to_have_count(1)
    assert problems == []


@pytest.mark.unit
def test_files_are_published_under_assets_archive():
    published = assets.files()
    for path in assets.STYLESHEETS + assets.JAVASCRIPT:
        assert path in published and published[path]
    assert "assets/archive/vendor/leaflet/LICENSE" in published
    assert all(key.startswith("assets/archive/") for key in published)
    assert published["assets/archive/vendor/leaflet/leaflet.js"].startswith(b"/* @preserve\n * Leaflet 1.9.4,")
    for path in assets.LAZY:  # what archive-map.js loads on a page with a map
        assert path in published and published[path]
        assert path.split("/")[-1].encode() in published["assets/archive/archive-map.js"]
    for folder in ("leaflet.markercluster", "basemap"):
        assert published[f"assets/archive/vendor/{folder}/LICENSE"]
    assert b"mapshaper" in published["assets/archive/vendor/basemap/README.txt"]  # how it was made
    countries = json.loads(published["assets/archive/vendor/basemap/countries.geojson"])
    assert {"Syria", "Iran", "Iraq", "Lebanon", "Israel", "Turkey"} <= {f["properties"]["name"] for f in countries["features"]}


@pytest.mark.browser
def test_vector_basemap_without_tiles(page, base_url, problems):
    """No tile URL: the Natural Earth boundaries are drawn from the site's own files, no other host is asked."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{base_url}places/test/")
    for map_id in ("one", "many"):
        element = page.locator(f"#{map_id}")
        expect(element).to_have_attribute("data-archive-basemap", "ready")
        assert element.locator(".leaflet-pane path.archive-map__country").count() > 100
        assert element.locator(".leaflet-pane path.archive-map__province").count() > 0
        expect(element.locator(".leaflet-control-attribution")).to_contain_text("Natural Earth")
    assert requests and all(url.startswith(base_url) for url in requests)
    assert sum(url.endswith("vendor/basemap/countries.geojson") for url in requests) == 1  # once for both maps
    assert problems == []


@pytest.mark.browser
def test_leaflet_loads_only_with_a_map(page, base_url, problems):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{base_url}places/test/nomap.html")
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("archive-map.js") for url in requests)
    assert not [url for url in requests if "vendor/" in url]
    page.goto(f"{base_url}places/test/")
    expect(page.locator("#many")).to_have_attribute("data-archive-map-state", "ready")
    assert any(url.endswith("vendor/leaflet/leaflet.js") for url in requests)
    assert problems == []


def in_view(page, lat: float, lon: float) -> bool:
    return page.evaluate("([lat, lon]) => document.querySelector('#region').archiveMap.getBounds().contains([lat, lon])",
                         [lat, lon])


@pytest.mark.browser
def test_locations_map_fits_the_region_clusters_and_filters_by_time(page, base_url, problems):
    page.goto(f"{base_url}places/test/region.html")
    region = page.locator("#region")
    expect(region).to_have_attribute("data-archive-map-state", "ready")
    # The view is the archive's region, not the world: the outlier stays outside it.
    assert in_view(page, 33.1, 36.2) and not in_view(page, 38.9, -77.04)
    # Nearby places are clustered; a cluster shows its count.
    clusters = region.locator(".archive-map__cluster")
    expect(clusters.first).to_be_visible()
    assert all(int(text) >= 2 for text in clusters.all_inner_texts())
    # The time filter: from June 2021 on only the places with an article then stay.
    expect(region).to_have_attribute("data-archive-map-shown", "25")
    start = region.locator(".archive-map__filter input[type=range]").first
    months = int(start.get_attribute("max")) + 1
    assert months == 30  # 2019-01 … 2021-06, every month between
    start.fill(str(months - 1))
    expect(region).to_have_attribute("data-archive-map-shown", "12")
    expect(region.locator(".archive-map__filter-status")).to_have_text("12 places, Jun 2021")
    assert start.get_attribute("aria-valuetext") == "Jun 2021"
    start.fill("0")
    expect(region).to_have_attribute("data-archive-map-shown", "25")
    assert problems == []


@pytest.mark.browser
def test_a_page_can_filter_a_map_through_its_hook(page, base_url, problems):
    """archive-map.js's generic hook: `element.archiveMapKeep` + an "archive-map:filter" event keeps only the points
    the page's function keeps, on top of the time filter, fits the view to them and reports each draw."""
    page.goto(f"{base_url}places/test/region.html")
    region = page.locator("#region")
    expect(region).to_have_attribute("data-archive-map-shown", "25")
    page.evaluate("""() => { const el = document.querySelector('#region'); window.__shown = [];
        el.addEventListener('archive-map:shown', e => window.__shown.push([e.detail.shown, e.detail.total])); }""")
    keep = """names => { const el = document.querySelector('#region');
        el.archiveMapKeep = names === null ? null : (f => names.includes(f.properties.name) && f.id === null);
        el.dispatchEvent(new CustomEvent('archive-map:filter')); }"""
    page.evaluate(keep, [f"Place {i}" for i in range(6)])
    expect(region).to_have_attribute("data-archive-map-shown", "6")
    assert page.evaluate("window.__shown") == [[6, 25]]
    # With the time filter: the kept places that also have an article in June 2021 (the even ones).
    start = region.locator(".archive-map__filter input[type=range]").first
    start.fill(start.get_attribute("max"))
    expect(region).to_have_attribute("data-archive-map-shown", "3")
    expect(region.locator(".archive-map__filter-status")).to_have_text("3 places, Jun 2021")
    start.fill("0")
    expect(region).to_have_attribute("data-archive-map-shown", "6")
    # The view follows what is kept: Washington alone brings the map to it.
    page.evaluate(keep, ["Washington"])
    expect(region).to_have_attribute("data-archive-map-shown", "1")
    assert in_view(page, 38.9, -77.04) and not in_view(page, 33.1, 36.2)
    # A function that throws hides nothing; null shows every point again, in the region's view.
    page.evaluate("""() => { const el = document.querySelector('#region');
        el.archiveMapKeep = () => { throw new Error('broken'); }; el.dispatchEvent(new CustomEvent('archive-map:filter')); }""")
    expect(region).to_have_attribute("data-archive-map-shown", "25")
    page.evaluate(keep, None)
    expect(region).to_have_attribute("data-archive-map-shown", "25")
    assert in_view(page, 33.1, 36.2) and not in_view(page, 38.9, -77.04)
    assert problems == []
