"""Search finds the subject (issue 19): a query naming a page lists that page first, as "Best match".

A small archive (the two seed articles and a dozen synthetic ones, rules only, as the accessibility tests build
it; its registry given one alias no article writes, and one written as markup) is built and served on 127.0.0.1.
The queries are the names and aliases of its most-mentioned entities and places (from data/names.json), the
registry-only alias, transliteration, diacritic and case variants and a whole-word prefix; for each, the first
link in the open search results must be that page. archive-search.js's `fold` is also run on the vectors of
tests/test_names_index.py, so Python and JavaScript fold alike; axe checks the open results.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from builder.render.names import fold
from conftest import build_rules_only, keep_to_site, make_project, serve
from synthetic import write_articles
from test_names_index import FOLD_VECTORS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "builder" / "site" / "assets" / "pagefind-ui" / "archive-search.js"
AXE = ROOT / "tests" / "tools" / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 20_000
REGISTRY_ALIAS = "Party of God"  # added to Hezbollah's aliases; no article writes it
MARKUP_ALIAS = "Hizb <i>Allah</i>"  # a name is text: shown as these characters, never as an element
TOP = 3  # the most-mentioned entities and places whose names are queried
NAMES_PER_PAGE = 6


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("best-match") / "archive")
    write_articles(root / "articles" / "synthetic", 12, seed=5)
    registry = root / "entities.yml"
    text = registry.read_text("utf-8")
    old = "aliases: [Hizbollah, Hizballah, Hizbullah, Hezballah]"
    assert old in text
    registry.write_text(text.replace(old, f'aliases: [Hizbollah, Hizballah, Hizbullah, Hezballah, {REGISTRY_ALIAS}, '
                                          f'"{MARKUP_ALIAS}"]'), "utf-8")
    return build_rules_only(root)


@pytest.fixture(scope="module")
def site_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    context.on("console", lambda msg: msg.type in ("error", "warning") and problems.append(f"console {msg.type}: {msg.text}"))
    context.on("weberror", lambda err: problems.append(f"page error: {err.error}"))
    keep_to_site(context, site_url, problems)
    page = context.new_page()
    yield page
    context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def names_index(site: Path) -> list[list]:
    return json.loads((site / "data" / "names.json").read_text("utf-8"))["pages"]


def expected_first(pages: list[list], query: str) -> str | None:
    """The page a query names: exact key before whole-word prefix, then most mentions; None when two pages tie."""
    q = fold(query)
    ranked = []
    for url, _, mentions, _, keys in pages:
        ranks = [0 if k == q else 1 for k in keys if k and (k == q or k.startswith(q + " "))]
        if ranks:
            ranked.append((min(ranks), -mentions, url))
    ranked.sort()
    if not ranked or (len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]):
        return None
    return ranked[0][2]


def open_search(page, site_url: str) -> None:
    page.goto(site_url)
    box = page.locator(".md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search'], label.md-search__icon").first.click()
    box.click()
    expect(box).to_be_focused()


def search_for(page, query: str) -> None:
    """Empty the box (and wait for the list to empty), then type the query as a reader would."""
    box = page.locator(".md-search__input")
    box.press("Control+a")
    box.press("Backspace")
    expect(page.locator("[data-archive-search-list] > li")).to_have_count(0)
    box.press_sequentially(query)


def first_link(page):
    return page.locator("[data-archive-search-list] > li").first.locator("a")


def queries(pages: list[list]) -> list[tuple[str, str]]:
    """(query, expected page URL): names and aliases of the most-mentioned entities and places, and variants."""
    entities = sorted((p for p in pages if p[0].startswith("entities/")), key=lambda p: -p[2])[:TOP]
    places = sorted((p for p in pages if p[0].startswith("locations/")), key=lambda p: -p[2])[:TOP]
    found = []
    for url, _, _, names, keys in entities + places:
        for name in [n for n, k in zip(names, keys) if k][:NAMES_PER_PAGE]:
            if expected_first(pages, name) == url:
                found.append((name, url))
    hezbollah = "entities/hezbollah/"
    assert hezbollah in {p[0] for p in pages}, "the seed articles name Hezbollah"
    found += [
        (REGISTRY_ALIAS, hezbollah),  # a registry alias no article writes
        ("Hizboullah", hezbollah),  # transliteration: ou = u (alias Hizbullah)
        ("HEZBOLAH", hezbollah),  # case, and a doubled letter written once
        ("Ḥizballah", hezbollah),  # diacritics (alias Hizballah)
        ("bashar EL-ASSAD", "entities/bashar-al-assad/"),  # the article and case (name Bashar al-Assad)
        ("Bashar", "entities/bashar-al-assad/"),  # a whole-word prefix of the name
        ("Islamic Revolutionary", "entities/islamic-revolutionary-guard-corps/"),  # a whole-word prefix
    ]
    for query, url in found:
        assert expected_first(pages, query) == url, f"the site's own index does not name {url} for {query!r}"
    return found


def test_fold_in_the_browser_is_the_builders_fold(browser):
    source = SEARCH_JS.read_text("utf-8")
    part = re.search(r"// fold: begin[^\n]*\n(.*?)\n\s*// fold: end", source, re.S)
    assert part, "archive-search.js lost its `// fold: begin` … `// fold: end` markers"
    page = browser.new_page()
    try:
        texts = [text for text, _ in FOLD_VECTORS]
        folded = page.evaluate(f"(texts) => {{\n{part.group(1)}\nreturn texts.map(fold);\n}}", texts)
    finally:
        page.close()
    assert folded == [expected for _, expected in FOLD_VECTORS]


def test_a_query_naming_a_page_lists_it_first(page, site, site_url):
    pages = names_index(site)
    cases = queries(pages)
    assert len(cases) >= 15, cases
    open_search(page, site_url)
    wrong = []
    for query, url in cases:
        search_for(page, query)
        link = first_link(page)
        try:
            expect(link).to_have_attribute("href", urljoin(site_url, url))
        except AssertionError:
            wrong.append(f"{query!r}: first is {link.get_attribute('href')}, expected {url}")
            continue
        item = page.locator("[data-archive-search-list] > li").first
        expect(item).to_have_class(re.compile(r"\barchive-search__best\b"))
        expect(link).to_contain_text("Best match")
        # Pagefind's results follow, without the best match again
        hrefs = page.locator("[data-archive-search-list] > li a").evaluate_all("links => links.map(a => a.href)")
        assert hrefs.count(urljoin(site_url, url)) == 1, f"{query!r}: {url} listed twice"
    assert not wrong, "the page a query names is not first:\n" + "\n".join(wrong)


def test_best_match_is_text_and_keyboard_reachable(page, site_url):
    open_search(page, site_url)
    search_for(page, MARKUP_ALIAS)
    link = first_link(page)
    expect(link).to_have_attribute("href", urljoin(site_url, "entities/hezbollah/"))
    expect(link).to_contain_text(f"also “{MARKUP_ALIAS}”")  # the characters, not an <i> element
    assert page.locator("[data-archive-search-list] i").count() == 0
    expect(link).to_contain_text("Hezbollah")

    page.keyboard.press("ArrowDown")  # from the box to the first link: the best match
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/entities/hezbollah/$"))
    expect(page.locator("article h1").first).to_contain_text("Hezbollah")


def test_no_best_match_when_the_query_names_no_page(page, site_url):
    open_search(page, site_url)
    search_for(page, "Aleppo evacuates")  # words of an article, no page's name
    expect(page.locator("[data-archive-search-list] > li").first).to_be_visible()
    expect(page.locator(".archive-search__best")).to_have_count(0)


def test_open_results_with_a_best_match_pass_axe(page, site_url):
    if not AXE.is_file():
        reason = f"{AXE.relative_to(ROOT)} is missing: run `npm ci --prefix tests/tools`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    open_search(page, site_url)
    search_for(page, "Hezbollah")
    expect(page.locator(".archive-search__best")).to_have_count(1)
    page.add_script_tag(content=AXE.read_text("utf-8"))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v =>
            `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.slice(0, 5).map(n => n.target.join(' ')).join('; '));
    }""")
    assert not found, "axe found serious or critical violations with the results open:\n" + "\n".join(found)
