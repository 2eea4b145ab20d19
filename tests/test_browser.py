"""The built site works in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

One session builds the project's own site (`archive build --strict` on articles/) into a temporary
folder, serves it on 127.0.0.1 and opens it. Every console error, uncaught page error and request to
another host during the session is recorded, and each test ends by asserting there were none.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
from conftest import keep_to_site, serve  # noqa: E402
TIMEOUT_MS = 20_000

# The two seed articles in articles/; both mention Aleppo.
ALEPPO_TITLE = "Report: Iranian-backed militia evacuates from Aleppo"
HEZBOLLAH_TITLE = "Iran-backed forces including Hezbollah withdrawing from Syria after IDF strikes"




@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "builder.app.cli", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        # No map tiles: this machine has no network, and a failed tile request is a console error.
        env={**os.environ, "ARCHIVE_TILE_URL": ""},
    )
    assert result.returncode == 0, f"archive build --strict failed:\n{result.stdout}\n{result.stderr}"
    assert (site / "index.html").is_file()
    return site


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url




@pytest.fixture(scope="session")
def browser_log() -> list[str]:
    """Everything that went wrong in the browser this session, one line per problem."""
    return []


@pytest.fixture(scope="session")
def context(browser, site_url, browser_log):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    context.on("console", lambda msg: msg.type == "error" and browser_log.append(
        f"console error: {msg.text} (at {msg.location.get('url')}:{msg.location.get('lineNumber')})"))
    context.on("weberror", lambda err: browser_log.append(f"page error: {err.error}"))

    keep_to_site(context, site_url, browser_log)  # the site must work offline
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def assert_no_browser_problems(browser_log: list[str]) -> None:
    assert not browser_log, "the browser reported problems this session:\n" + "\n".join(browser_log)


def heading_text(locator) -> str:
    """A heading's text without its permalink anchor (the `¶` that `toc: permalink` adds)."""
    return locator.evaluate(
        "h => [...h.childNodes].filter(n => !(n.classList && n.classList.contains('headerlink')))"
        ".map(n => n.textContent).join('').trim()"
    )


def test_search_finds_both_seed_articles_and_opens_one(page, site_url, browser_log, screenshots):
    page.goto(site_url)
    expect(page.locator("h1").first).to_contain_text("Iranian-backed forces in Syria")

    search = page.locator(".md-search__input")
    if not search.is_visible():  # narrow layouts hide the box behind the header's search button
        page.locator("label.md-search__icon, label.md-header__button[for='__search']").first.click()
    search.click()
    expect(search).to_be_focused()
    page.keyboard.type("Aleppo")

    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    for title in (ALEPPO_TITLE, HEZBOLLAH_TITLE):
        expect(results.filter(has_text=title).first).to_be_visible()
    page.screenshot(path=screenshots / "search-aleppo.png")

    page.locator(".md-search-result__item a[href*='articles/']", has_text=ALEPPO_TITLE).first.click()
    page.wait_for_url(re.compile(r"/articles/000-5e54e979575ccf65/"))
    h1 = page.locator("article h1").first
    expect(h1).to_be_visible()
    assert heading_text(h1) == ALEPPO_TITLE

    original = page.get_by_role("link", name="Original text")
    expect(original).to_be_visible()
    response = page.request.get(urljoin(page.url, original.get_attribute("href")))
    assert response.ok, f"the Original text link is broken: {response.status} {response.url}"
    assert ALEPPO_TITLE in response.text()

    page.screenshot(path=screenshots / "article.png", full_page=True)
    print(f"screenshots in {screenshots}")
    assert_no_browser_problems(browser_log)


@pytest.mark.parametrize("path", ["", "browse/", "browse/timeline/", "browse/sources/", "browse/quality/", "about/"])
def test_nav_pages_load_cleanly(page, site_url, browser_log, path):
    response = page.goto(urljoin(site_url, path))
    assert response is not None and response.ok, f"{path or 'home'}: HTTP {response and response.status}"
    expect(page.locator("article h1").first).to_be_visible()
    assert_no_browser_problems(browser_log)
