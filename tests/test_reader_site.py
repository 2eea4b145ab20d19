"""Reading, browsing and citing in a built site: pagination, browse page, exports, JSON-LD (issue 12, part B)."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest

from conftest import make_project
from test_build import _assert_links_resolve

pytestmark = pytest.mark.integration

PER_PAGE = 4  # small, so a 30-article archive has subjects with several pages of articles


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory):
    """The seeds and 30 generated articles, built (strict, every internal link and anchor checked) with
    PER_PAGE articles to a subject's page."""
    from synthetic import write_articles

    project = make_project(tmp_path_factory.mktemp("reader") / "archive")
    write_articles(project / "articles" / "corpus", 30, seed=3)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("builder.render.subjects.ARTICLES_PER_PAGE", PER_PAGE)
        _assert_links_resolve(project)  # builds with --strict, then follows every internal link
    return project / "site"


def article_links(html: str) -> list[str]:
    entries = html.split('<div class="archive-entries"', 1)[1]
    return re.findall(r'<strong><a href="[./]*(articles/[^"]+/)"', entries)


def test_every_article_of_every_busy_subject_is_reachable_page_by_page(reader_site):
    entities = json.loads((reader_site / "data" / "entities.json").read_text("utf-8"))
    busy = [e for e in entities if len(e["articles"]) > PER_PAGE]
    assert busy, "the corpus should give some entity more articles than a page holds"
    for entity in busy:
        folder = reader_site / entity["url"]
        pages = [folder / "index.html"] + [folder / f"page-{n}" / "index.html" for n in range(2, 2 + (len(entity["articles"]) - 1) // PER_PAGE)]
        assert not (folder / f"page-{len(pages) + 1}").exists()
        listed = [link for page in pages for link in article_links(page.read_text("utf-8"))]
        assert listed == [f"articles/{a}/" for a in entity["articles"]], entity["id"]
        second = pages[1].read_text("utf-8")
        assert "← Newer" in second and 'aria-current="page">2<' in second


def test_browse_page_is_in_the_nav_and_its_index_lists_everything(reader_site):
    page = (reader_site / "browse" / "index.html").read_text("utf-8")
    assert re.search(r'md-tabs__item--active">\s*<a href="[^"]*" class="md-tabs__link">\s*Browse', page)
    assert 'data-browse="../data/browse.json"' in page
    assert "archive-reader.js" in page
    data = json.loads((reader_site / "data" / "browse.json").read_text("utf-8"))
    articles = json.loads((reader_site / "data" / "articles.json").read_text("utf-8"))
    entities = json.loads((reader_site / "data" / "entities.json").read_text("utf-8"))
    locations = json.loads((reader_site / "data" / "locations.geojson").read_text("utf-8"))["features"]
    assert len(data["items"]) == len(articles) + len(entities) + len(locations)
    urls = {item[2] for item in data["items"]}
    assert all((reader_site / url / "index.html").is_file() for url in urls)


def test_ftm_export_loads_as_entities_and_mentions(reader_site):
    lines = (reader_site / "data" / "entities.ftm.json").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    schemas = Counter(r["schema"] for r in records)
    articles = json.loads((reader_site / "data" / "articles.json").read_text("utf-8"))
    entities = json.loads((reader_site / "data" / "entities.json").read_text("utf-8"))
    assert schemas["Article"] == len(articles)
    assert schemas["Person"] + schemas["Organization"] + schemas["LegalEntity"] == len(entities)
    assert schemas["Mention"] > 0
    ids = {r["id"] for r in records}
    assert all(r["properties"]["document"][0] in ids and r["properties"]["resolved"][0] in ids
               for r in records if r["schema"] == "Mention")


def test_pages_carry_json_ld_and_a_cite_line_through_the_sanitiser_and_policy(reader_site):
    article = next((reader_site / "articles").glob("*/index.html")).read_text("utf-8")
    assert 'http-equiv="Content-Security-Policy"' in article
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', article, re.S).group(1)
    assert json.loads(block)["@type"] == "NewsArticle"
    assert "Cite this page:" in article and "data-permalink" in article
    hezbollah = (reader_site / "entities" / "hezbollah" / "index.html").read_text("utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', hezbollah, re.S).group(1)
    assert json.loads(block) | {"name": "Hezbollah", "@type": "Organization"} == json.loads(block)
    network = re.search(r'data-network="([^"]+)"', hezbollah).group(1)
    nodes = json.loads(html.unescape(network))["nodes"]
    assert nodes[0]["name"] == "Hezbollah" and len(nodes) > 3


def test_article_and_entity_pages_have_open_graph_tags_in_their_head(reader_site):
    page = (reader_site / "articles" / "000-5e54e979575ccf65" / "index.html").read_text("utf-8")
    head = page[: page.index("</head>")]
    assert head.index('http-equiv="Content-Security-Policy"') < head.index('<meta property="og:type" content="article">')
    assert '<meta property="og:title" content="Report: Iranian-backed militia evacuates from Aleppo">' in head
    assert '<meta property="article:published_time" content="2020-05-06">' in head
    entity = (reader_site / "entities" / "hezbollah" / "index.html").read_text("utf-8")
    assert re.search(r'<meta property="og:description" content="Organisation named in \d+ articles? of the archive', entity)


def test_syrian_places_are_listed_under_their_governorate(reader_site):
    page = (reader_site / "locations" / "index.html").read_text("utf-8")
    syria = page.split('<h2 id="syria">', 1)[1].split("<h2 ", 1)[0]
    sections = dict(re.findall(r"<h3 id=\"[^\"]+\">([^<(]+?) \(\d+\)</h3>(.*?)(?=<h3 |$)", syria, re.S))
    assert {"Aleppo Governorate", "Deir ez-Zor Governorate"} <= set(sections)
    assert ">Aleppo</a>" in sections["Aleppo Governorate"] and ">Deir ez-Zor</a>" in sections["Deir ez-Zor Governorate"]
    assert ">Aleppo</a>" not in sections["Deir ez-Zor Governorate"]
    aleppo = (reader_site / "locations" / "aleppo-sy" / "index.html").read_text("utf-8")
    assert re.search(r'archive-type">Place</span> in (<a [^>]+>)?Aleppo Governorate', aleppo)
