"""The events index in a real browser: its script builds the filter, and filtering by place hides the rest."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import make_project, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def events_url(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("events") / "archive")
    result = subprocess.run([sys.executable, "-m", "builder.cli", "build"], cwd=root, capture_output=True, text=True,
                            timeout=600, env={**os.environ, "ARCHIVE_TILE_URL": "",
                                              "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(root / "site") as url:
        yield url + "events/"


def test_the_filter_shows_only_the_chosen_place(browser, events_url):
    page = browser.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(events_url)
    items = page.locator(".archive-event-timeline li")
    expect(page.locator(".archive-event-filter select")).to_have_count(3)
    total = items.count()
    assert total >= 2
    page.select_option(".archive-event-filter select[name=place]", "Deir ez-Zor")
    expect(page.locator(".archive-event-timeline li:not([hidden])")).to_have_count(1)
    expect(page.locator(".archive-event-filter output")).to_have_text(f"1 of {total} events shown")
    page.select_option(".archive-event-filter select[name=place]", "")
    expect(page.locator(".archive-event-timeline li:not([hidden])")).to_have_count(total)
    expect(page.locator(".archive-map .leaflet-container, .archive-map.leaflet-container")).to_have_count(1)
    assert errors == []
    page.close()
