"""An entity page opens with its summary and pages its articles (issue 19, item 4), in a real browser.

A small archive of 48 articles, rules only: every one names Hezbollah and Damascus; every 2nd Reuters, every 3rd the
Syrian Observatory for Human Rights (news sources), every 4th Bashar al-Assad and Aleppo, every 5th the Quds Force
and Homs. Hezbollah's page: the summary (type, counts, dates, aliases, month chart, the subjects most often named
with it, the news sources left out and named) comes before its articles, which run over three pages of 20; the pager
works from the keyboard and without scripts; axe-core finds no violation, light or dark. (Damascus, in every article,
stays listed: an archive this small has no backdrop; tests/test_entity_summary.py has one.)
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.render.subjects import ARTICLES_PER_PAGE
from conftest import build_rules_only, make_project, serve
from conftest import new_page as conftest_page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "tools" / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 20_000
VIEWPORT = {"width": 1280, "height": 900}
ARTICLES = 48
SOURCES = {"Reuters", "Syrian Observatory for Human Rights"}


def article(i: int) -> str:
    lines = [f"date 2020-{1 + i % 12:02d}-{1 + i % 28:02d} Al-Monitor", f"Fighting report number {i}", "",
             f"Hezbollah fighters moved through Damascus on Monday, residents said in report {i}."]
    if i % 2 == 0:
        lines += ["", "Reuters could not verify the account."]
    if i % 3 == 0:
        lines += ["", "The Syrian Observatory for Human Rights said twelve people were killed."]
    if i % 4 == 0:
        lines += ["", "Bashar al-Assad later visited Aleppo."]
    if i % 5 == 0:
        lines += ["", "The Quds Force sent advisers to Homs."]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("entity-summary") / "archive")
    for seed in (root / "articles").glob("*.txt"):  # only the articles below: the counts are the test's
        seed.unlink()
    folder = root / "articles" / "reports"
    folder.mkdir(parents=True)
    for i in range(ARTICLES):
        (folder / f"report-{i:02d}.txt").write_text(article(i), encoding="utf-8")
    return build_rules_only(root)


@pytest.fixture(scope="module")
def site_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def hezbollah(site) -> dict:
    entities = {e["name"]: e for e in json.loads((site / "data" / "entities.json").read_text("utf-8"))}
    assert len(entities["Hezbollah"]["articles"]) == ARTICLES  # the fixture: three pages of articles
    assert ARTICLES > 2 * ARTICLES_PER_PAGE
    assert SOURCES <= set(entities)
    return entities["Hezbollah"]


def new_page(browser, site_url, problems, **options):
    return conftest_page(browser, site_url, problems, TIMEOUT_MS, VIEWPORT, **options)


@pytest.fixture
def page(browser, site_url):
    expect.set_options(timeout=TIMEOUT_MS)
    problems: list[str] = []
    context, page = new_page(browser, site_url, problems)
    yield page
    context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def listed_articles(page) -> list[str]:
    hrefs = page.locator(".archive-entries .archive-entry > p strong a").evaluate_all("as => as.map(a => a.href)")
    return [re.search(r"articles/(.+)/$", href).group(1) for href in hrefs]


def test_the_summary_comes_first(page, site_url, hezbollah):
    page.goto(site_url + hezbollah["url"])
    summary = page.locator(".archive-summary")
    expect(summary).to_be_visible()
    expect(summary.locator(".archive-subject-meta")).to_contain_text(f"Organisation · {ARTICLES} articles")
    expect(summary.locator(".archive-subject-meta")).to_contain_text("first seen 2020-01-01")
    expect(summary.locator(".archive-aliases")).to_contain_text("Hizbollah")
    expect(summary.locator(".archive-chart")).to_be_visible()
    # before the events and the articles in the page, and in the first screenful on a desktop
    order = page.evaluate("""() => {
        const summary = document.querySelector('.archive-summary'), articles = document.getElementById('articles');
        const events = document.querySelector('.archive-subject-events');
        return [!!(summary.compareDocumentPosition(articles) & Node.DOCUMENT_POSITION_FOLLOWING),
                !events || !!(summary.compareDocumentPosition(events) & Node.DOCUMENT_POSITION_FOLLOWING)]; }""")
    assert order == [True, True]
    top = summary.locator("ol.archive-summary__top")
    box = top.bounding_box()
    assert box["y"] + box["height"] <= VIEWPORT["height"], f"the top list ends at {box['y'] + box['height']} px"
    # ranked by shared articles: Damascus (48), Bashar al-Assad and Aleppo (12 each), the Quds Force and Homs (10
    # each); Reuters (24) and the Syrian Observatory (16) are news sources
    items = top.locator("li").evaluate_all("""lis => lis.map(li => [li.querySelector('a').textContent,
                                                                    li.querySelector('.archive-count').textContent])""")
    assert items == [["Damascus", "48 articles"], ["Aleppo", "12 articles"], ["Bashar al-Assad", "12 articles"],
                     ["Homs", "10 articles"], ["Quds Force", "10 articles"]]
    note = summary.locator(".archive-summary__note")
    expect(note).to_have_text("Counted in articles naming both. Left out as news sources: Reuters (24), "
                              "Syrian Observatory for Human Rights (16). Everything named with it.")
    # the full list at the bottom still names everyone, news sources included
    chips = page.locator("#appears-with ~ .archive-chips a").all_text_contents()
    assert any(c.startswith("Reuters") for c in chips) and any(c.startswith("Syrian Observatory") for c in chips)
    # the network leaves them out too
    network = page.locator(".archive-network")
    expect(network).to_have_attribute("data-network-state", "ready")
    nodes = {n["name"] for n in json.loads(network.get_attribute("data-network"))["nodes"]}
    assert {"Damascus", "Aleppo", "Quds Force"} <= nodes and not nodes & SOURCES


def test_the_pager_works_from_the_keyboard(page, site_url, hezbollah):
    page.goto(site_url + hezbollah["url"])
    seen = listed_articles(page)
    assert len(seen) == ARTICLES_PER_PAGE
    expect(page.locator("#articles")).to_have_text(f"Articles 1–{ARTICLES_PER_PAGE} of {ARTICLES}")

    def tab_to(name: str, limit: int = 120) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate("""() => { const a = document.activeElement;
                return a && a.closest('.archive-pager') ? (a.getAttribute('aria-label') || a.textContent).trim() : null; }""")
            if focused == name:
                return
        raise AssertionError(f"Tab never reached the pager's {name!r}")

    tab_to("Page 2")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/page-2/$"))
    expect(page.locator('.archive-pager [aria-current="page"]').first).to_have_text("2")
    seen += listed_articles(page)
    tab_to("Older →")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/page-3/$"))
    seen += listed_articles(page)
    expect(page.locator(".archive-pager").first.get_by_role("link", name="Older →")).to_have_count(0)
    assert seen == hezbollah["articles"]  # every article once, newest first, across the three pages
    tab_to("Page 1")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + hezbollah["url"])
    expect(page.locator(".archive-summary")).to_be_visible()


def test_without_scripts_everything_is_there(browser, site_url, hezbollah):
    problems: list[str] = []
    context, page = new_page(browser, site_url, problems, java_script_enabled=False)
    try:
        page.goto(site_url + hezbollah["url"])
        expect(page.locator(".archive-summary ol.archive-summary__top li")).to_have_count(5)
        assert len(listed_articles(page)) == ARTICLES_PER_PAGE
        page.locator(".archive-pager").first.get_by_role("link", name="Page 3").click()
        page.wait_for_url(re.compile(r"/page-3/$"))
        assert listed_articles(page) == hezbollah["articles"][2 * ARTICLES_PER_PAGE:]
    finally:
        context.close()
    assert not problems, problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(browser, site_url, hezbollah, scheme):
    if not AXE.is_file():
        reason = f"{AXE.relative_to(ROOT)} is missing: run `npm ci --prefix tests/tools`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    problems: list[str] = []
    context, page = new_page(browser, site_url, problems, color_scheme=scheme)
    found = {}
    try:
        for path in (hezbollah["url"], hezbollah["url"] + "page-2/"):
            page.goto(site_url + path, wait_until="networkidle")
            for details in page.locator("details.archive-subject-events__all").all():  # the events open too
                details.locator("summary").click()
            page.add_script_tag(content=AXE.read_text("utf-8"))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            found[path] = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
                           for v in result["violations"]]
    finally:
        context.close()
    assert not any(found.values()), found
    assert not problems, problems
