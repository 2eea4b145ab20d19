"""Reading and browsing in headless Chromium: every article of the busiest entity reachable through the pages,
the sentence disclosure, browse facets, hover previews and the co-occurrence network (issue 12, part B)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from conftest import keep_to_site, make_project, serve

pytestmark = pytest.mark.browser

PER_PAGE = 4
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory):
    from synthetic import write_articles
    from test_build import build

    project = make_project(tmp_path_factory.mktemp("reader-browser") / "archive")
    write_articles(project / "articles" / "corpus", 30, seed=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("builder.render.subjects.ARTICLES_PER_PAGE", PER_PAGE)
        patch.setenv("ARCHIVE_TILE_URL", "")  # no network here: a failed tile request is a console error
        assert build(project) == 0
    return project / "site"


@pytest.fixture(scope="module")
def site_url(reader_site):
    with serve(reader_site) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    problems = []
    context.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    context.on("weberror", lambda err: problems.append(f"page error: {err.error}"))

    keep_to_site(context, site_url, problems)
    page = context.new_page()
    yield page
    context.close()
    assert problems == []


def busiest(site) -> dict:
    entities = json.loads((site / "data" / "entities.json").read_text("utf-8"))
    return max(entities, key=lambda e: (len(e["articles"]), e["id"]))


def test_every_article_of_the_busiest_entity_is_reachable_through_the_pages(page, reader_site, site_url):
    entity = busiest(reader_site)
    assert len(entity["articles"]) > 2 * PER_PAGE  # three pages at least
    page.goto(site_url + entity["url"])
    seen, pages = [], 0
    while True:
        pages += 1
        links = page.locator(".archive-entries .archive-entry > p strong a")
        seen += [re.search(r"articles/(.+)/$", href).group(1) for href in links.evaluate_all("as => as.map(a => a.href)")]
        older = page.locator(".archive-pager").first.get_by_role("link", name="Older →")
        if older.count() == 0:
            break
        older.click()
        page.wait_for_load_state()
    assert seen == entity["articles"]
    assert pages == -(-len(entity["articles"]) // PER_PAGE)
    expect(page.locator('.archive-pager [aria-current="page"]').first).to_have_text(str(pages))
    page.locator(".archive-entries .archive-entry > p strong a").first.click()  # the links lead to the articles
    page.wait_for_load_state()
    assert page.url == site_url + f"articles/{entity['articles'][-PER_PAGE if len(entity['articles']) % PER_PAGE == 0 else -(len(entity['articles']) % PER_PAGE)]}/"


def test_the_rest_of_an_articles_sentences_open_from_the_disclosure(page, reader_site, site_url):
    entity = busiest(reader_site)
    disclosure = None
    for n in range(1, 1 + -(-len(entity["articles"]) // PER_PAGE)):
        page.goto(site_url + entity["url"] + ("" if n == 1 else f"page-{n}/"))
        if page.locator("details.archive-entry__more").count():
            disclosure = page.locator("details.archive-entry__more").first
            break
    assert disclosure is not None, "no article of the busiest entity has more than three sentences naming it"
    hidden = disclosure.locator("blockquote").first
    expect(hidden).to_be_hidden()
    disclosure.locator("summary").click()
    expect(hidden).to_be_visible()
    expect(hidden.locator("mark a").first).to_be_visible()


def test_browse_facets_filter_the_list(page, reader_site, site_url):
    data = json.loads((reader_site / "data" / "browse.json").read_text("utf-8"))
    total = len(data["items"])
    articles = sum(1 for item in data["items"] if data["types"][item[0]] == "article")
    page.goto(site_url + "browse/")
    browse = page.locator(".archive-browse")
    expect(browse).to_have_attribute("data-browse-state", "ready")
    status = page.locator(".archive-browse__status")
    expect(status).to_have_text(f"{total} of {total} items.")
    page.locator('[data-facet="type"]').get_by_label(re.compile(r"^Article")).check()
    expect(status).to_have_text(f"{articles} of {total} items match the filters.")
    labels = page.locator(".archive-browse__item .archive-legend").all_text_contents()
    assert labels and set(labels) == {"Article"}
    year_facet = page.locator('[data-facet="year"] input').first
    year = int(year_facet.get_attribute("value"))
    year_facet.check()
    in_year = sum(1 for item in data["items"] if data["types"][item[0]] == "article" and year in item[4])
    expect(status).to_have_text(f"{in_year} of {total} items match the filters.")
    dates = page.locator(".archive-browse__item .archive-entry__meta").all_text_contents()
    assert dates and all(f" {year}-" in d for d in dates)
    page.get_by_role("button", name="Clear all filters").click()
    expect(status).to_have_text(f"{total} of {total} items.")


def test_hover_preview_and_network(page, reader_site, site_url):
    entity = busiest(reader_site)
    article = entity["articles"][0]
    page.goto(site_url + f"articles/{article}/")
    chip = page.locator(".archive-typed-chips a[data-archive-preview]").first
    chip.hover()
    preview = page.locator("#archive-preview")
    expect(preview).to_be_visible()
    expect(preview.locator(".archive-preview__name")).to_have_text(chip.inner_text().strip())
    expect(preview.locator(".archive-preview__meta")).to_contain_text("article")
    assert chip.get_attribute("aria-describedby") == "archive-preview"
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    page.goto(site_url + entity["url"])
    network = page.locator(".archive-network")
    expect(network).to_have_attribute("data-network-state", "ready")
    nodes = network.locator("svg a")
    data = json.loads(network.get_attribute("data-network"))
    expect(nodes).to_have_count(len(data["nodes"]))
    assert network.locator("svg line").count() == len(data["links"])
    permalink = page.locator("a[data-permalink]")
    expect(permalink).to_have_text(site_url + entity["url"])
