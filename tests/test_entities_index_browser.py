"""The entities index at scale (issue 19, item 4) and three reviewer findings (item 5), in a real browser.

A small archive (the two seed articles and a dozen synthetic ones, rules only, as the accessibility tests build
it) is built and served on 127.0.0.1.

Entities index (builder/site/assets/archive-entities.js over entities_index.html.j2): without scripts the A–Z
lists by type, A–Z by subjects.az_key (a leading "a", "the" or "al-" passed over); with scripts a filter box,
a sort (most mentioned by default, or A–Z), a type facet and a live count ("N of M shown"), all usable from
the keyboard, and no serious or critical axe violation, light or dark.

Item 5: hover previews do not fetch sitemap.xml (Material fetches it for links marked `data-preview`); the
search panel closes when focus tabs out of it; incident pages' facts reach the search index as "Date: …",
not "Date7 October 2017".
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.render.subjects import az_key
from conftest import build_rules_only, make_project, serve
from conftest import new_page as conftest_page
from synthetic import write_articles

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "tools" / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 20_000
BLOCKING = ("serious", "critical")
COUNT = re.compile(r"^(\d+) of (\d+) shown$")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("entities-index") / "archive")
    write_articles(root / "articles" / "synthetic", 12, seed=5)
    return build_rules_only(root)


@pytest.fixture(scope="module")
def site_url(site):
    with serve(site) as url:
        yield url


def new_page(browser, site_url, problems, **options):
    return conftest_page(browser, site_url, problems, TIMEOUT_MS, None, **options)


@pytest.fixture
def page(browser, site_url):
    expect.set_options(timeout=TIMEOUT_MS)
    problems: list[str] = []
    context, page = new_page(browser, site_url, problems)
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def entities(site: Path) -> list[dict]:
    return json.loads((site / "data" / "entities.json").read_text("utf-8"))


def visible_entries(page) -> list[dict]:
    """The shown entries of the enhanced list, in order: name, type, A–Z key, mentions."""
    return page.eval_on_selector_all("#entities-list > li:not([hidden])", """items => items.map(li => ({
        name: li.querySelector("a").textContent, type: li.dataset.type, key: li.dataset.name,
        mentions: parseInt(li.querySelector(".archive-count__mentions").textContent, 10)}))""")


def shown_count(page) -> tuple[int, int]:
    status = page.locator(".archive-entities-tools__status")
    expect(status).to_have_text(COUNT)
    shown, total = COUNT.match(status.inner_text().strip()).groups()
    return int(shown), int(total)


# --- the A–Z key ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, key", [
    ("a United Nations Security Council", "united nations security council"), ("The Times", "times"),
    ("al-Nusra Front", "nusra front"), ("Al-Qaeda", "qaeda"), ("An Nabk Council", "nabk council"),
    ("Alice", "alice"), ("Al Pacino", "al pacino"), ("Élysée", "elysee"), ("the", "the"), ("“Quoted”", "quoted”"),
])
def test_a_to_z_key_passes_over_a_leading_article(name, key):
    assert az_key(name) == key


# --- without scripts ------------------------------------------------------------------------------------------

def test_without_scripts_the_full_a_to_z_lists_work(browser, site, site_url):
    problems: list[str] = []
    context, page = new_page(browser, site_url, problems, java_script_enabled=False)
    try:
        page.goto(site_url + "entities/")
        expect(page.locator(".archive-entities-az")).to_be_visible()
        expect(page.locator(".archive-entities-tools")).to_be_hidden()  # empty: nothing to show without scripts
        items = page.locator(".archive-entities-az li")
        assert items.count() == len(entities(site))
        for group in page.locator(".archive-entities-az ul").all():
            keys = group.locator("li").evaluate_all("items => items.map(li => li.dataset.name)")
            assert keys == sorted(keys), "each type's list is A–Z by its key"
        names = items.evaluate_all("items => items.map(li => [li.querySelector('a').textContent, li.dataset.name])")
        assert all(key == az_key(name) for name, key in names)
    finally:
        context.close()
    assert not problems, problems


# --- with scripts ---------------------------------------------------------------------------------------------

def test_sorted_by_mentions_then_by_name(page, site, site_url):
    page.goto(site_url + "entities/")
    expect(page.locator(".archive-entities-az")).to_be_hidden()
    expect(page.locator("#entities-sort")).to_have_value("mentions")
    total = len(entities(site))
    assert shown_count(page) == (total, total)
    rows = visible_entries(page)
    assert len(rows) == total
    assert [r["mentions"] for r in rows] == sorted((r["mentions"] for r in rows), reverse=True)
    assert rows[0]["mentions"] == max(e["mentions"] for e in entities(site))

    page.locator("#entities-sort").select_option("name")
    rows = visible_entries(page)
    assert [r["key"] for r in rows] == sorted(r["key"] for r in rows)
    assert len(rows) == total
    # every entry shows its type once the lists are one
    expect(page.locator("#entities-list > li").first.locator(".archive-legend")).to_be_visible()


def test_filter_as_you_type_and_live_count(page, site, site_url):
    page.goto(site_url + "entities/")
    total = len(entities(site))
    top = max(entities(site), key=lambda e: e["mentions"])
    word = max(top["name"].split(), key=len)
    box = page.get_by_label("Filter names")
    box.press_sequentially(word[: max(3, len(word) - 1)].upper())  # case does not matter
    rows = visible_entries(page)
    assert rows and any(r["name"] == top["name"] for r in rows)
    assert all(word[: max(3, len(word) - 1)].lower() in r["name"].lower() for r in rows)
    assert shown_count(page) == (len(rows), total)
    box.fill("zzqx no such name")
    assert shown_count(page) == (0, total)
    expect(page.locator(".archive-entities-tools__empty")).to_be_visible()
    box.press("Escape")
    assert shown_count(page) == (total, total)


def test_type_facet(page, site, site_url):
    page.goto(site_url + "entities/")
    by_type: dict[str, int] = {}
    for e in entities(site):
        by_type[e["type"]] = by_type.get(e["type"], 0) + 1
    total = sum(by_type.values())
    assert len(by_type) >= 2, "the fixture archive names more than one type"
    kind = max(by_type, key=by_type.get)
    page.locator(f"#entities-type-{kind}").uncheck()
    assert shown_count(page) == (total - by_type[kind], total)
    assert all(r["type"] != kind for r in visible_entries(page))
    page.locator(f"#entities-type-{kind}").check()
    assert shown_count(page) == (total, total)


def test_a_type_heading_fragment_selects_that_type(page, site, site_url):
    people = sum(e["type"] == "person" for e in entities(site))
    page.goto(site_url + "entities/#people")
    assert shown_count(page) == (people, len(entities(site)))
    expect(page.locator("#entities-type-person")).to_be_checked()
    expect(page.locator("#entities-type-organisation")).not_to_be_checked()


def test_keyboard_only(page, site, site_url):
    page.goto(site_url + "entities/")
    total = len(entities(site))
    box = page.get_by_label("Filter names")
    box.focus()
    page.keyboard.type("zzqx")
    assert shown_count(page) == (0, total)
    page.keyboard.press("Escape")
    assert shown_count(page) == (total, total)
    expect(box).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Sort by")).to_be_focused()
    page.keyboard.press("ArrowDown")  # a focused <select> changes its value with the arrow keys
    expect(page.get_by_label("Sort by")).to_have_value("name")
    rows = visible_entries(page)
    assert [r["key"] for r in rows] == sorted(r["key"] for r in rows)
    page.keyboard.press("Tab")
    first_type = page.locator(".archive-entities-tools__types input").first
    expect(first_type).to_be_focused()
    page.keyboard.press("Space")
    expect(first_type).not_to_be_checked()
    assert shown_count(page)[0] < total
    page.keyboard.press("Space")
    assert shown_count(page) == (total, total)


def test_names_are_text(page, site, site_url):
    """Names reach the page as text: the enhanced list holds exactly the names the data lists."""
    page.goto(site_url + "entities/")
    names = page.eval_on_selector_all("#entities-list > li > a", "links => links.map(a => a.textContent)")
    assert sorted(names) == sorted(e["name"] for e in entities(site))
    assert page.locator("#entities-list script, #entities-list img").count() == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_no_serious_violations(browser, site_url, scheme):
    if not AXE.is_file():
        reason = f"{AXE.relative_to(ROOT)} is missing: run `npm ci --prefix tests/tools`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    problems: list[str] = []
    context, page = new_page(browser, site_url, problems, color_scheme=scheme)
    try:
        page.goto(site_url + "entities/")
        expect(page.locator(".archive-entities-tools__status")).to_have_text(COUNT)
        page.get_by_label("Filter names").fill("a")
        page.add_script_tag(content=AXE.read_text("utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    blocking = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
                for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)


# --- item 5: sitemap, search tab-out, search text -------------------------------------------------------------

def test_previews_fetch_no_sitemap(page, site, site_url):
    articles = json.loads((site / "data" / "articles.json").read_text("utf-8"))
    top = max(entities(site), key=lambda e: e["mentions"])
    for path in (articles[0]["url"], top["url"]):
        page.requests.clear()
        page.goto(site_url + path.lstrip("/"))
        page.wait_for_load_state("networkidle")
        link = page.locator("a[data-archive-preview], a[data-preview]").first  # the latter before the fix
        link.hover()
        expect(page.locator("#archive-preview")).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert not [u for u in page.requests if "sitemap" in u], f"{path} fetched the sitemap"
        assert page.locator("a[data-preview]").count() == 0, "Material mounts its own previews on data-preview"


def open_search(page, site_url: str):
    page.goto(site_url)
    box = page.locator(".md-search__input")
    box.click()
    expect(box).to_be_focused()
    expect(page.locator("#__search")).to_be_checked()
    return box


def test_search_closes_when_focus_tabs_out(page, site_url):
    box = open_search(page, site_url)
    box.press_sequentially("Hezbollah")
    expect(page.locator("[data-archive-search-list] > li").first).to_be_visible()
    inside = "() => !!document.activeElement.closest('[data-archive-search]')"
    for _ in range(60):  # through the results, then out of the box
        if not page.evaluate(inside):
            break
        page.keyboard.press("Tab")
    assert not page.evaluate(inside), "Tab never left the search box"
    expect(page.locator("#__search")).not_to_be_checked()

    box = open_search(page, site_url)
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#__search")).not_to_be_checked()

    # a click on the box's own text keeps it open
    box = open_search(page, site_url)
    box.press_sequentially("Hezbollah")
    page.locator("[data-archive-search-meta]").click()
    expect(page.locator("#__search")).to_be_checked()


def test_search_text_separates_labels_from_values(site):
    """Pagefind's fragments hold each page's indexed text: an incident's facts read "Date: 5 May 2021"."""
    facts = []
    for path in (site / "pagefind").glob("*/fragment/*.pf_fragment"):  # one folder per shard
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        if fragment["url"].startswith("/events/") and "/events/index" not in fragment["url"]:
            facts.append(fragment["content"])
    assert facts, "the fixture archive has incident pages"
    for content in facts:
        assert re.search(r"\bDate: \S", content), content[:300]
        assert not re.search(r"(Date|Place|Actors|Fatalities)[0-9A-Z]", content), content[:300]
