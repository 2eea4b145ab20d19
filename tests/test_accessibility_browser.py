"""WCAG 2.1 AA in a real browser: axe-core on every kind of page, light and dark; and the maps work offline.

A small archive (the two seed articles and a dozen synthetic ones, rules only: no language model) is built and
served on 127.0.0.1. axe-core (pinned in
tests/tools/package-lock.json, installed by `npm ci --prefix tests/tools`, as .ci/run does) is injected into each
page; a test fails on any violation of impact "serious" or "critical". The dark palette is Material's `slate`,
chosen by the page itself from an emulated `prefers-color-scheme: dark` (the test checks that it was).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import make_project, serve
from synthetic import write_articles

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "tools" / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 20_000
SCHEMES = {"light": "default", "dark": "slate"}
KINDS = ("home", "article", "entity", "location", "entities index", "locations index", "timeline", "sources",
         "quality", "about", "search open", "browse", "events index", "incident")
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        reason = f"{AXE.relative_to(ROOT)} is missing: run `npm ci --prefix tests/tools`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the accessibility tests must run)")
        pytest.skip(reason)
    return AXE.read_text("utf-8")


def build(project: Path, site: Path) -> Path:
    env = {**os.environ, "ARCHIVE_MODEL": "none"}
    env.pop("ARCHIVE_TILE_URL", None)  # the default: no tile server
    result = subprocess.run([sys.executable, "-m", "builder.app.cli", "build", "--site-dir", str(site)], cwd=project,
                            capture_output=True, text=True, timeout=600, env={**env, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, f"archive build failed:\n{result.stdout}\n{result.stderr}"
    return site


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("a11y") / "archive")
    write_articles(root / "articles" / "synthetic", 12, seed=5)
    return root


@pytest.fixture(scope="module")
def site_url(project, tmp_path_factory):
    site = build(project, tmp_path_factory.mktemp("site"))
    with serve(site) as url:
        yield url, site


def page_paths(site: Path) -> dict[str, str]:
    """One page of each kind: the busiest entity and place, the newest article."""
    data = site / "data"
    articles = json.loads((data / "articles.json").read_text("utf-8"))
    entities = json.loads((data / "entities.json").read_text("utf-8"))
    places = [f["properties"] for f in json.loads((data / "locations.geojson").read_text("utf-8"))["features"] if f["geometry"]]
    incidents = json.loads((data / "events.geojson").read_text("utf-8"))["features"]
    return {
        "home": "", "article": articles[0]["url"], "entity": max(entities, key=lambda e: e["mentions"])["url"],
        "location": max(places, key=lambda p: p["mentions"])["url"], "entities index": "entities/",
        "locations index": "locations/", "timeline": "browse/timeline/", "sources": "browse/sources/",
        "quality": "browse/quality/", "about": "about/", "search open": "", "browse": "browse/",
        "events index": "events/", "incident": incidents[0]["properties"]["url"],
    }


def open_search(page, query: str) -> None:
    box = page.locator(".md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search'], label.md-search__icon").first.click()
    box.click()
    page.keyboard.type(query)
    expect(page.locator(".md-search-result__item, .md-search-result__list > li").first).to_be_visible()


def violations(page, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in found if v["impact"] in BLOCKING]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_kind_of_page_passes_axe(browser, site_url, axe_source, scheme):
    url, site = site_url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    failures = {}
    try:
        for kind, path in page_paths(site).items():
            page.goto(url + path, wait_until="networkidle")
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
            for element in page.locator(".archive-map").all():  # maps drawn (controls, basemap) before the check
                expect(element).to_have_attribute("data-archive-map-state", "ready")
            if kind == "search open":
                open_search(page, "Aleppo")
            found = violations(page, axe_source)
            if found:
                failures[f"{kind} ({path or '/'})"] = found
    finally:
        context.close()
    assert not failures, "axe found serious or critical violations:\n" + "\n".join(
        f"- {kind}:\n  " + "\n  ".join(lines) for kind, lines in failures.items())


def test_maps_are_drawn_offline_with_no_request_leaving_the_site(browser, site_url):
    """No tile URL (the default): the locations map and a place's map draw the vendored boundaries, and every
    request the pages make goes to the site itself."""
    url, site = site_url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        paths = page_paths(site)
        for path in (paths["locations index"], paths["location"]):
            page.goto(url + path, wait_until="networkidle")
            element = page.locator(".archive-map").first
            expect(element).to_have_attribute("data-archive-map-state", "ready")
            expect(element).to_have_attribute("data-archive-basemap", "ready")
            pane = element.locator(".leaflet-map-pane")
            assert pane.locator("path.archive-map__country").count() > 100  # Natural Earth countries
            assert pane.locator("path.archive-map__province").count() > 0  # first-level boundaries
            assert pane.locator("img.leaflet-tile").count() == 0
        # A page without a map never loads Leaflet.
        before = len(requests)
        page.goto(url + paths["about"], wait_until="networkidle")
        assert not [r for r in requests[before:] if "/vendor/" in r]
    finally:
        context.close()
    hosts = {urlsplit(r).hostname for r in requests if not r.startswith(("data:", "blob:"))}
    assert requests and hosts <= {"127.0.0.1", "localhost"}, f"requests left the site: {sorted(hosts)}"
