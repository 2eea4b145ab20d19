"""The sharded search index (issue 22, item 1): builder/site/pagefind.py's plan_shards and index_shards, the build
re-indexing only the shards whose pages changed, and the search box merging the shards in Chromium."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from builder.app.cli import main as archive
from test_pagefind import RANKING_ARTICLES
from builder.site import pagefind
from conftest import make_project, serve

TIMEOUT_MS = 20_000
# short articles naming Aleppo and Hezbollah (test_pagefind's), so their results spread over several article shards
ARTICLES = RANKING_ARTICLES
SMALL_SHARDS = 10  # pages per shard in the built archives below: several shards
SMALL_CHUNKS = 1_500  # bytes of an index chunk in them: Pagefind's chunks are cut into several


def ids(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [(f"articles/{rng.getrandbits(64):016x}/index.html", "x") for _ in range(n)]


# --- the plan ---------------------------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("n", [1, 999, 1000, 1001, 1600, 1601, 5000, 10_000, 30_000, 100_000])
@pytest.mark.parametrize("most", [None, 1000])
def test_a_shard_holds_at_most_shard_pages_and_their_number_is_a_power_of_two(n, most):
    shards = pagefind.plan_shards(ids(n, n), most)
    most = most or pagefind.SHARD_PAGES
    sizes = [len(pages) for pages in shards.values()]
    assert sum(sizes) == n
    assert max(sizes) <= most
    count = pagefind.shard_count(n, most)
    assert count & (count - 1) == 0 and len(shards) <= count
    assert count == 1 or n > count // 2 * most * pagefind.SHARD_FILL, "no more shards than needed"


@pytest.mark.unit
def test_a_page_stays_in_its_shard_and_page_families_are_mixed():
    pages = ids(3000, 1) + [(f"entities/e{i}/index.html", "y") for i in range(500)] + [("locations/aleppo-sy/index.html", "z")]
    before = pagefind.plan_shards(pages, 1000)
    assert list(before) == [f"shard-8-{i}" for i in range(8)]
    assert pagefind.plan_shards(list(reversed(pages)), 1000) == before, "the order the pages come in does not matter"
    where = {path: name for name, members in before.items() for path, _ in members}
    for members in before.values():  # each shard a sample of the whole site (BM25 statistics alike)
        assert 0.05 < sum(p.startswith("entities/") for p, _ in members) / len(members) < 0.25
    # one article added, one changed, one removed: every other page keeps its shard, and only the shards
    # holding those three change
    added = ("articles/ffffffffffffffff/index.html", "x")
    changed = (pages[10][0], "new")
    removed = pages[11]
    after = pagefind.plan_shards([added, changed] + [p for p in pages if p not in (pages[10], removed)], 1000)
    assert {path: name for name, members in after.items() for path, _ in members if path != added[0]} == \
        {path: name for path, name in where.items() if path != removed[0]}
    moved = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert moved <= {where[changed[0]], where[removed[0]], next(n for n, m in after.items() if added in m)}
    assert pagefind.shard_digest("shard-8-1", before["shard-8-1"]) != pagefind.shard_digest("shard-8-1", before["shard-8-2"])


@pytest.mark.unit
def test_the_glob_names_exactly_the_pages_escaping_what_would_be_a_pattern():
    assert pagefind._glob(["articles/a/index.html"]) == "articles/a/index.html"
    assert pagefind._glob(["articles/b/index.html", "articles/a/index.html", "events/x/index.html"]) == \
        "{articles/{a,b}/index.html,events/x/index.html}"
    assert pagefind._glob(["articles/a{1,2}*/index.html"]) == r"articles/a\{1\,2\}\*/index.html"


# --- the build ---------------------------------------------------------------------------------------------------

def project(root: Path) -> Path:
    make_project(root)
    for i, (date, title, body) in enumerate(ARTICLES):
        (root / "articles" / f"r{i}.txt").write_text(f"date {date} The Jerusalem Post - Israel News\n{title}\n\n{body}\n",
                                                     encoding="utf-8")
    return root


def build(root: Path, monkeypatch) -> list[tuple[str, int]]:
    """`archive build` with small shards → the Pagefind runs: (the glob's first page, pages indexed)."""
    runs: list[tuple[str, int]] = []
    real = pagefind._run

    def counted(source, output, **kwargs):
        result = real(source, output, **kwargs)
        runs.append((kwargs.get("glob") or str(source), result.pages))
        return result

    monkeypatch.setenv("ARCHIVE_TILE_URL", "")
    monkeypatch.setattr(pagefind, "SHARD_PAGES", SMALL_SHARDS)
    monkeypatch.setattr(pagefind, "CHUNK_BYTES", SMALL_CHUNKS)
    monkeypatch.setattr(pagefind, "_run", counted)
    assert archive(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    return runs


def shards_of(site: Path) -> dict[str, os.stat_result]:
    names = json.loads((site / "pagefind" / pagefind.MANIFEST).read_text(encoding="utf-8"))["shards"]
    return {name: (site / "pagefind" / name / "pagefind-entry.json").stat() for name in names}


@pytest.fixture(scope="module")
def sharded(tmp_path_factory) -> Path:
    root = project(tmp_path_factory.mktemp("shards") / "archive")
    with pytest.MonkeyPatch.context() as monkeypatch:
        build(root, monkeypatch)
    return root


@pytest.mark.integration
def test_a_changed_article_re_indexes_its_shard_only(tmp_path, monkeypatch):
    root = project(tmp_path / "archive")
    first = build(root, monkeypatch)
    before = shards_of(root / "site")
    assert len(before) >= 4 and len(first) == len(before), "every shard indexed once in the first build"

    again = build(root, monkeypatch)
    assert again == [], "nothing changed: no Pagefind run"

    edited = root / "articles" / "r2.txt"  # a sentence naming nothing: only its own page changes
    edited.write_text(edited.read_text(encoding="utf-8") + "The weather was mild.\n", encoding="utf-8")
    runs = build(root, monkeypatch)
    after = shards_of(root / "site")
    assert after.keys() == before.keys()
    page = next(p.parent.relative_to(root / "site").as_posix() for p in (root / "site" / "articles").glob("*/index.html")
                if "The weather was mild." in p.read_text(encoding="utf-8"))
    own = next(name for name in after if f"{page}/index.html" in _pages(root / "site" / "pagefind" / name))
    assert len(runs) == 1 and page.split("/")[1] in runs[0][0], runs  # one shard: the edited article's
    assert runs[0][1] == len(_pages(root / "site" / "pagefind" / own))
    for name in before:
        same = (after[name].st_ino, after[name].st_mtime_ns) == (before[name].st_ino, before[name].st_mtime_ns)
        assert same == (name != own), name  # the other shards are the very same files
    assert len(runs) < len(before), "shards whose pages did not change were reused"
    # the kept bundles are the current shards' only
    kept = {p.name for p in (root / ".cache" / "search").iterdir() if not p.name.startswith(".trash")}
    assert len(kept) == len(after)


@pytest.mark.integration
def test_a_deleted_site_reuses_every_shard_byte_for_byte(sharded, tmp_path, monkeypatch):
    site = sharded / "site"
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    moved = tmp_path / "old-site"
    site.rename(moved)
    try:
        assert build(sharded, monkeypatch) == [], "every shard came from the cache"
        after = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
        assert after == before
    finally:
        import shutil
        shutil.rmtree(site, ignore_errors=True)
        moved.rename(site)


@pytest.mark.integration
def test_cut_index_chunks_hold_every_word_once_in_order_within_their_bounds(sharded, tmp_path, monkeypatch):
    site = sharded / "site"
    searchable = [(p.relative_to(site).as_posix(), "-") for p in site.rglob("index.html")
                  if "data-pagefind-body" in p.read_text(encoding="utf-8")]

    def words(cache: Path, chunk_bytes: int) -> tuple[list[str], list[list[str]]]:
        copy = tmp_path / f"site-{chunk_bytes}"
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
        monkeypatch.setattr(pagefind, "CHUNK_BYTES", chunk_bytes)
        pagefind.index_shards(copy, searchable, cache, max_pages=10**6)  # one shard
        bundle = copy / "pagefind" / "shard-1-0"
        meta = pagefind._load(next(bundle.glob("*.pf_meta")))
        chunks = [[w[0] for w in pagefind._load(bundle / "index" / f"{name}.pf_index")[0]] for _, _, name in meta[2]]
        for (low, high, _), chunk in zip(meta[2], chunks):
            assert low <= chunk[0] and chunk[-1][:len(high)] <= high, (low, high, chunk[0], chunk[-1])
        return [w for chunk in chunks for w in chunk], meta[2]

    whole, whole_meta = words(tmp_path / "one", 10**9)
    cut, cut_meta = words(tmp_path / "two", SMALL_CHUNKS)
    assert cut == whole and len(cut_meta) > len(whole_meta) + 5
    for (_, high, _), (low, _, _) in zip(cut_meta, cut_meta[1:]):
        assert high < low, (high, low)  # Pagefind's rule: cut one character past the shared prefix


@pytest.mark.integration
def test_a_shard_too_long_for_a_glob_is_indexed_from_a_linked_copy_of_its_pages(sharded, tmp_path):
    site = sharded / "site"
    pages = [p.relative_to(site).as_posix() for p in site.glob("articles/*/index.html")]
    missing = [f"articles/{'x' * 60}-{i}/index.html" for i in range(3000)]  # no such pages: a glob of 200 KB
    assert len(pagefind._glob(pages + missing)) > pagefind.MAX_GLOB
    globbed = pagefind._index_pages(site, pages, tmp_path / "globbed")
    linked = pagefind._index_pages(site, pages + [p for p in missing if (site / p).is_file()], tmp_path / "linked")
    assert globbed.pages == linked.pages == len(ARTICLES) + 2
    with pytest.raises(FileNotFoundError):  # the long glob's path really links the pages it names
        pagefind._index_pages(site, pages + missing, tmp_path / "missing")
    monkey = pytest.MonkeyPatch()
    try:
        monkey.setattr(pagefind, "MAX_GLOB", 0)
        copied = pagefind._index_pages(site, pages, tmp_path / "copied")
    finally:
        monkey.undo()
    assert copied.pages == globbed.pages
    files = lambda folder: {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert files(tmp_path / "copied") == files(tmp_path / "globbed"), "the same bundle either way"


# --- the browser ---------------------------------------------------------------------------------------------------

@pytest.mark.browser
def test_a_query_finds_and_filters_results_from_several_shards(browser, sharded):
    from playwright.sync_api import expect

    site = sharded / "site"
    shard_of = {f"/{path[:-len('index.html')]}": name
                for name in shards_of(site) for path in _pages(site / "pagefind" / name)}
    with serve(site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        problems: list[str] = []
        context.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
        try:
            page = context.new_page()
            page.goto(url)
            search = page.locator(".md-search__input")
            search.click()
            page.keyboard.type("Aleppo")
            links = page.locator(".md-search-result__item a")
            expect(page.locator(".md-search-result__meta")).to_contain_text("matching", timeout=TIMEOUT_MS)
            expect(links.first).to_be_visible()
            page.wait_for_load_state("networkidle")
            urls = [urlparse(h).path for h in links.evaluate_all("(as) => as.map((a) => a.href)")]
            assert urls[0] == "/locations/aleppo-sy/", urls  # the place's own page first, as with one bundle
            assert len({shard_of[u] for u in urls[1:]}) >= 2, urls

            search.fill("")
            page.keyboard.type("Hezbol")  # a prefix: its words may sit in the next of the cut chunks
            expect(page.locator(".md-search-result__meta")).to_contain_text("matching", timeout=TIMEOUT_MS)
            page.wait_for_load_state("networkidle")
            expect(page.locator('.md-search-result__item a[href$="/entities/hezbollah/"]').first).to_be_visible()
            search.fill("")
            page.keyboard.type("Aleppo")
            expect(links.first).to_be_visible()

            articles = len(ARTICLES) + 2  # and the two seeds
            page.locator(".archive-search__facet-name", has_text="Type").click()
            page.locator(".archive-search__option", has_text="Article").click()
            expect(page.locator(".md-search-result__meta")).to_have_text(f"{articles} matching documents")
            expect(links).to_have_count(articles)
            urls = [urlparse(h).path for h in links.evaluate_all("(as) => as.map((a) => a.href)")]
            assert len({shard_of[u] for u in urls}) >= 3, "the articles' results come from several shards"
            count = page.locator(".archive-search__option", has_text="Article").locator(".archive-search__count")
            expect(count).to_have_text(str(articles))  # the facet's count, summed over the article shards
            assert not problems, problems
        finally:
            context.close()


def _pages(bundle: Path) -> list[str]:
    """The site paths of the pages in one shard's bundle (from its fragments)."""
    import gzip

    paths = []
    for fragment in (bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        url = json.loads(data[len(pagefind.SIGNATURE):])["url"]
        paths.append(url.lstrip("/") + "index.html")
    return paths
