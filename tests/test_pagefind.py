"""Pagefind search: the index (builder/site/pagefind.py) and the search box in Chromium.

One archive of the two seed articles is built (search is always Pagefind) and served on 127.0.0.1. The
browser test types "Aleppo" in the header's search box, narrows the results with the type and source
filters, opens a result, and checks that nothing was fetched before the box was used, that the first
search stayed within the transfer budget, and that the browser reported no errors.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from builder.app.cli import main as archive
from builder.site import pagefind
from conftest import keep_to_site, make_project, serve

TIMEOUT_MS = 20_000
FIRST_SEARCH_BUDGET = 500_000  # bytes; the limit for a 10,000-article archive
ALEPPO_TITLE = "Report: Iranian-backed militia evacuates from Aleppo"
HEZBOLLAH_TITLE = "Iran-backed forces including Hezbollah withdrawing from Syria after IDF strikes"


def build(root: Path, monkeypatch, search: str | None) -> Path:
    monkeypatch.setenv("ARCHIVE_TILE_URL", "")
    assert archive(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    return root / "site"


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("pagefind") / "archive")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build(root, monkeypatch, "pagefind")


# --- the index ------------------------------------------------------------------------------------

@pytest.mark.integration
def test_the_site_carries_a_pagefind_bundle_and_no_lunr_index(site):
    shards = json.loads((site / "pagefind" / pagefind.MANIFEST).read_text(encoding="utf-8"))["shards"]
    assert shards == ["shard-1-0"], "a small archive is one shard"
    for name in shards:
        bundle = site / "pagefind" / name
        assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
        assert not (bundle / "pagefind-ui.js").exists(), "Pagefind's own UI bundles are pruned"
    assert (site / "assets/archive/pagefind-ui/archive-search.js").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "data-archive-search" in home and "archive-search.js" in home
    assert 'data-md-component="search"' not in home, "Material's lunr search must stay idle"
    assert '"docs":[]' in (site / "search/search_index.json").read_text(encoding="utf-8").replace(" ", "")


@pytest.mark.integration
def test_templates_mark_body_and_filters_and_they_survive_sanitising(site):
    article = (site / "articles/000-5e54e979575ccf65/index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="archive-page" data-pagefind-body[^>]* data-pagefind-filter="type:article"', article)
    assert 'data-pagefind-meta="date:2020-05-06"' in article
    assert 'data-pagefind-filter="year:2020"' in article
    assert re.search(r'data-pagefind-filter="source"[^>]*>The Jerusalem Post<', article)
    assert 'class="archive-typed-chips" data-pagefind-ignore' in article
    entities = sorted((site / "entities").glob("*/index.html"))
    locations = sorted((site / "locations").glob("*/index.html"))
    assert entities and locations
    for entity in entities:
        assert re.search(r'data-pagefind-body[^>]* data-pagefind-filter="type:(person|organisation|facility|other)"',
                         entity.read_text(encoding="utf-8")), entity
    for location in locations:
        assert re.search(r'data-pagefind-body[^>]* data-pagefind-filter="type:[a-z]+"', location.read_text(encoding="utf-8")), location
    assert 'data-pagefind-filter="type:place"' in (site / "locations/aleppo-sy/index.html").read_text(encoding="utf-8")
    for page in ("index.html", "entities/index.html", "locations/index.html", "browse/timeline/index.html"):
        assert "data-pagefind-body" not in (site / page).read_text(encoding="utf-8"), page


@pytest.mark.integration
def test_only_article_entity_location_and_incident_pages_are_indexed(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    result = pagefind.index_site(copy)
    pages = sum(1 for _ in (site / "articles").glob("*/index.html"))
    pages += sum(1 for p in (site / "entities").glob("*/index.html"))
    pages += sum(1 for p in (site / "locations").glob("*/index.html"))
    pages += sum(1 for p in (site / "events").glob("*/index.html"))  # incidents; not the events index itself
    assert result.pages == pages
    assert result.filters == 3  # type, year, source
    assert result.deterministic


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page as Pagefind stored it (gzip, a signature, then JSON), by URL."""
    pages = {}
    for path in (site / "pagefind").glob("*/fragment/*"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(pagefind.SIGNATURE)
        page = json.loads(data[len(pagefind.SIGNATURE):])
        pages[page["url"]] = page
    return pages


@pytest.mark.integration
def test_what_the_index_holds_for_a_page(site):
    pages = fragments(site)
    article = pages["/articles/000-5e54e979575ccf65/"]
    assert article["meta"] == {"title": ALEPPO_TITLE, "date": "2020-05-06"}  # no "¶" from the permalink
    assert article["filters"] == {"type": ["article"], "year": ["2020"], "source": ["The Jerusalem Post"]}
    assert "Baqir brigade began relocating" in article["content"]
    assert "Original text" not in article["content"], "provenance is boilerplate"
    aleppo = pages["/locations/aleppo-sy/"]
    assert aleppo["filters"] == {"type": ["place"]} and aleppo["meta"]["title"] == "Aleppo"
    for url, page in pages.items():
        assert "Mentions per month" not in page["content"] and "Articles." not in page["content"], url
        if not url.startswith("/articles/"):
            assert "Original text" not in page["content"], url


@pytest.mark.integration
def test_the_bundle_is_byte_identical_from_run_to_run(site, tmp_path):
    """Pagefind writes filter values in a random order; index_site() puts them in a canonical one, and so does
    index_shards() in each shard: indexing the same site again, without the cache, gives the site's bytes."""
    first, second = tmp_path / "one", tmp_path / "two"
    shutil.copytree(site, first)
    shutil.copytree(site, second)
    pagefind.index_site(first)
    pagefind.index_site(second)
    assert digest(first / "pagefind") == digest(second / "pagefind")
    searchable = [(p.relative_to(site).as_posix(), "-") for p in site.rglob("index.html")
                  if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    third = tmp_path / "three"
    shutil.copytree(site, third)
    pagefind.index_shards(third, searchable, tmp_path / "cache")
    assert digest(third / "pagefind") == digest(site / "pagefind")


@pytest.mark.integration
def test_an_unexpected_bundle_layout_is_left_as_written(site, tmp_path):
    bundle = tmp_path / "pagefind"
    shutil.copytree(site / "pagefind" / "shard-1-0", bundle)
    victim = next((bundle / "filter").iterdir())
    victim.write_bytes(b"not a pagefind file")
    before = digest(bundle)
    with pytest.raises(pagefind._Unexpected):
        pagefind.canonicalise(bundle)
    assert digest(bundle) == before


@pytest.mark.integration
def test_a_missing_binary_is_a_clear_error(site, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(pagefind.PagefindError, match="pagefind binary was not found"):
        pagefind.index_site(site)


@pytest.mark.integration
def test_an_archive_with_nothing_searchable_still_builds(tmp_path, monkeypatch):
    """No article, hence no searchable page: the build succeeds without a search index, and says so."""
    root = make_project(tmp_path / "archive")
    for path in (root / "articles").iterdir():
        path.unlink()
    built = build(root, monkeypatch, None)
    assert (built / "index.html").is_file() and not (built / "pagefind").exists()


# --- the search box in a browser ----------------------------------------------------------------------



@pytest.fixture(scope="module")
def site_url(site):
    with serve(site) as url:
        yield url


@pytest.mark.browser
def test_search_box_finds_filters_and_opens_with_pagefind(browser, site, site_url):
    from playwright.sync_api import expect

    problems: list[str] = []
    requested: list[tuple[str, str]] = []  # (phase, site path)
    phase = ["load"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.on("console", lambda msg: msg.type == "error" and problems.append(f"console error: {msg.text}"))
    context.on("weberror", lambda err: problems.append(f"page error: {err.error}"))
    context.on("requestfinished", lambda req: requested.append((phase[0], unquote(urlparse(req.url).path))))

    keep_to_site(context, site_url, problems)
    try:
        page = context.new_page()
        page.goto(site_url)
        expect(page.locator("h1").first).to_contain_text("Iranian-backed forces in Syria")
        page.wait_for_load_state("networkidle")
        assert not [p for _, p in requested if "/pagefind/" in p], "Pagefind must load only when search is used"

        phase[0] = "search"
        search = page.locator(".md-search__input")
        search.click()
        expect(search).to_be_focused()
        page.keyboard.type("Aleppo")
        results = page.locator(".md-search-result__item")
        for title in (ALEPPO_TITLE, HEZBOLLAH_TITLE):
            expect(results.filter(has_text=title).first).to_be_visible(timeout=TIMEOUT_MS)
        everything = results.count()
        assert everything > 2, "entity and location pages are found too"
        page.wait_for_load_state("networkidle")
        first_search = [p for ph, p in requested if ph == "search"]
        assert any(p.endswith("/pagefind/shard-1-0/pagefind.js") for p in first_search)
        assert not [p for p in first_search if "/filter/" in p], "filter files load only when a filter is opened"
        transferred = sum((site / p.lstrip("/")).stat().st_size for p in set(first_search) if (site / p.lstrip("/")).is_file())
        assert transferred <= FIRST_SEARCH_BUDGET, f"first search fetched {transferred} bytes"

        page.locator(".archive-search__facet-name", has_text="Type").click()
        page.locator(".archive-search__option", has_text="Article").click()
        expect(results).to_have_count(2)
        expect(page.locator(".md-search-result__meta")).to_have_text("2 matching documents")

        page.locator(".archive-search__facet-name", has_text="Source").click()
        page.locator(".archive-search__option", has_text="The Jerusalem Post").click()
        expect(results).to_have_count(1)
        expect(results.first).to_contain_text(ALEPPO_TITLE)
        expect(results.first).to_contain_text("The Jerusalem Post")

        results.first.locator("a").click()
        page.wait_for_url(re.compile(r"/articles/000-5e54e979575ccf65/$"))
        expect(page.locator("article h1").first).to_contain_text(ALEPPO_TITLE)
        expect(page.locator("#__search")).not_to_be_checked()
        assert not problems, "the browser reported problems:\n" + "\n".join(problems)
    finally:
        context.close()


# --- ranking: a subject's own page before the articles that mention it --------------------------------

RANKING_ARTICLES = [  # short articles that name Aleppo and Hezbollah often, in the title too: hard competition
    ("2020-06-01", "Aleppo: Hezbollah moves fighters into Aleppo",
     "Hezbollah moved fighters into Aleppo on Monday. Residents of Aleppo said Hezbollah convoys crossed the city."),
    ("2020-06-08", "Strikes near Aleppo hit Hezbollah depot",
     "Airstrikes near Aleppo hit a Hezbollah weapons depot. Hezbollah said the strikes on Aleppo changed nothing."),
    ("2020-07-15", "Aleppo airport closed after strikes",
     "The airport of Aleppo was closed after strikes overnight. Flights to Aleppo were diverted to Damascus."),
    ("2020-08-03", "Hezbollah denies losses in Aleppo",
     "Hezbollah denied losses in Aleppo. A Hezbollah official said its units in Aleppo were intact."),
    ("2020-09-21", "Residents of Aleppo report explosions",
     "Residents of Aleppo reported explosions late on Tuesday. The Syrian Observatory said Aleppo was struck twice."),
]


def first_hits(page, query: str, n: int = 3) -> list[str]:
    """Type `query` in the header's search box → the URLs of the first `n` results, in Pagefind's order."""
    from playwright.sync_api import expect

    search = page.locator(".md-search__input")
    search.click()
    search.fill("")
    links = page.locator(".md-search-result__item a")
    expect(links).to_have_count(0)  # the previous query's results are gone
    page.keyboard.type(query)
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching", timeout=TIMEOUT_MS)
    expect(links.first).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    return [urlparse(href).path for href in links.evaluate_all("(as) => as.map((a) => a.href)")][:n]


@pytest.fixture(scope="module")
def ranking_site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("ranking") / "archive")
    for i, (date, title, body) in enumerate(RANKING_ARTICLES):
        (root / "articles" / f"r{i}.txt").write_text(f"date {date} The Jerusalem Post - Israel News\n{title}\n\n{body}\n",
                                                     encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build(root, monkeypatch, "pagefind")


@pytest.mark.integration
def test_subject_pages_weight_their_name_and_aliases(ranking_site):
    aleppo = (ranking_site / "locations/aleppo-sy/index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1[^>]* data-pagefind-weight="10" data-pagefind-meta="name"[^>]*>Aleppo', aleppo)
    hezbollah = (ranking_site / "entities/hezbollah/index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1[^>]* data-pagefind-weight="10" data-pagefind-meta="name"[^>]*>Hezbollah', hezbollah)
    assert re.search(r'class="archive-aliases">Also written: <span data-pagefind-weight="8">Hizbollah', hezbollah)
    # Names no article writes (Halab, the exonyms) are not "also written"; they stay on the page, and in search,
    # behind a disclosure.
    assert "also written:" not in aleppo
    assert re.search(r'<summary>Other names in the gazetteer \(\d+\)</summary><span class="archive-aliases" '
                     r'data-pagefind-weight="8">[^<]*Halab', aleppo)
    assert 'class="archive-entries" data-pagefind-ignore' in hezbollah, "quoted sentences stay on the articles"


@pytest.mark.browser
def test_a_subjects_own_page_ranks_first_for_its_name(browser, ranking_site):
    with serve(ranking_site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            page.goto(url)
            aleppo = first_hits(page, "Aleppo")
            assert aleppo[0] == "/locations/aleppo-sy/", aleppo
            hezbollah = first_hits(page, "Hezbollah")
            assert hezbollah[0] == "/entities/hezbollah/", hezbollah
            assert first_hits(page, "Hizballah")[0] == "/entities/hezbollah/", "an alias finds the entity page first"
        finally:
            context.close()
