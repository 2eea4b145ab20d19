"""A 1,000-article archive with Pagefind, searched in headless Chromium (issue: search at scale).

The articles come from the project's synthetic generator (scripts/synthetic.py), so this runs without
../shared. It checks what a reader sees and what the browser transfers: the first search must stay
far below what lunr would fetch (≤ 500 KB; lunr's index alone is megabytes at this size).
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from builder.app.cli import main
from builder.site import pagefind
from conftest import make_project, serve

ARTICLES = 1000
FIRST_SEARCH_BUDGET = 500_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    from synthetic import write_articles

    root = make_project(tmp_path_factory.mktemp("scale") / "archive")
    write_articles(root / "articles" / "corpus", ARTICLES, seed=11)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("ARCHIVE_TILE_URL", "")
        monkeypatch.setattr(pagefind, "SHARD_PAGES", 1000)  # several shards, merged by the search box
        assert main(["-f", str(root / "mkdocs.yml"), "build", "--strict"]) == 0
    return root / "site"


def test_search_on_a_thousand_articles_with_pagefind(browser, big_site):
    shards = json.loads((big_site / "pagefind" / "shards.json").read_text())["shards"]
    assert len(shards) > 1, shards
    assert all((big_site / "pagefind" / s / "pagefind-entry.json").is_file() for s in shards)
    lunr = json.loads((big_site / "search" / "search_index.json").read_text())  # Material still writes one…
    assert not lunr["docs"]  # …empty: the search box is Pagefind's
    assert len(json.loads((big_site / "data" / "articles.json").read_text())) == ARTICLES + 2
    with serve(big_site) as url:
        context = browser.new_context()
        errors, transferred = [], {}
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_load_state("networkidle")

        def sized(response):
            if "/pagefind/" in response.url:
                transferred[response.url] = len(response.body())
        page.on("response", sized)
        page.locator(".md-search__input").click()
        page.keyboard.type("Baqir")  # one seed names the Baqir brigade; a thousand generated articles do not
        results = page.locator(".md-search-result__item")
        expect(results.filter(has_text="Report: Iranian-backed militia evacuates from Aleppo").first).to_be_visible(timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert 0 < sum(transferred.values()) <= FIRST_SEARCH_BUDGET, transferred
        results.first.locator("a").first.click()
        expect(page.locator("h1").first).to_be_visible()
        assert errors == []
        context.close()
