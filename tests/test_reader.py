"""Reading, browsing and citing (issue 12, part B): the pure parts, on small in-memory archives."""

from __future__ import annotations

import json
from dataclasses import replace
import re
from collections import Counter

import pytest

from builder import emit, render
from builder.aggregate import build_index
from builder.render import related as related_module
from builder.render.related import cooccurrence, date_neighbours, related_articles
from builder.render.browse import browse_index
from builder.render.ftm import ftm_records
from builder.render.linked_data import json_ld_script
from builder.render.subjects import Pager, paged_path, pages_of
from reader_archive import ENTITIES, LOCATIONS, NAMES, busy_archive, make_article, mentions_in

pytestmark = pytest.mark.unit


def rendered(index, per_page=None, monkeypatch=None):
    if per_page and monkeypatch:
        monkeypatch.setattr("builder.render.subjects.ARTICLES_PER_PAGE", per_page)
    pages = emit.html_pages(emit.EmitContext(index, render.Tiles("", ""), lambda code: None))
    return {p.src_uri: p for p in pages}


def small_archive(specs):
    """specs: (body, date) per article → Index, names found as in reader_archive.NAMES."""
    articles, mentions = [], []
    for i, (body, date) in enumerate(specs):
        a = make_article(i, body, date)
        articles.append(a)
        mentions += mentions_in(a, NAMES)
    return build_index(articles, [], inputs=len(articles), mentions=mentions, entities=ENTITIES, locations=LOCATIONS)


# --- pagination and disclosures ---------------------------------------------------------------------------

def test_pages_cover_every_article_once():
    assert pages_of(0, 100) == [Pager(1, 1, 0, 0, 0)]
    assert pages_of(100, 100) == [Pager(1, 1, 0, 100, 100)]
    assert [(p.start, p.end) for p in pages_of(230, 100)] == [(0, 100), (100, 200), (200, 230)]
    assert {p.count for p in pages_of(230, 100)} == {3}
    assert paged_path("entities/hezbollah.md", 1) == "entities/hezbollah.md"
    assert paged_path("entities/hezbollah.md", 3) == "entities/hezbollah/page-3.md"


def test_a_busy_subjects_every_article_is_on_exactly_one_of_its_pages(monkeypatch):
    index = busy_archive(23)
    pages = rendered(index, per_page=10, monkeypatch=monkeypatch)
    subject = index.entities["hezbollah"]
    paths = ["entities/hezbollah.md", "entities/hezbollah/page-2.md", "entities/hezbollah/page-3.md"]
    assert "entities/hezbollah/page-4.md" not in pages
    listed = []
    for path in paths:
        entries = pages[path].content.split('<div class="archive-entries"')[1]
        listed += re.findall(r'<strong><a href="[./]*articles/(a\d+)/"', entries)
    assert listed == subject.article_ids  # newest first, each once, across the three pages
    first, second, last = (pages[p].content for p in paths)
    assert 'href="../../entities/hezbollah/page-2/"' in first and "Older →" in first and "← Newer" not in first
    assert 'href="../../../entities/hezbollah/"' in second and 'href="../../../entities/hezbollah/page-3/"' in second
    assert "Older →" not in last and 'aria-current="page">3<' in last
    assert "Articles 21–23 of 23" in last
    assert pages["entities/hezbollah/page-2.md"].search_type is None  # search lands on the first page only


def test_the_rest_of_an_articles_sentences_sit_in_a_disclosure():
    index = busy_archive(4)
    page = rendered(index)["entities/hezbollah.md"].content
    entry = page.split('<div class="archive-entry">')[1].split('<div class="archive-entry">')[0]
    shown, hidden = entry.split("<details")
    assert shown.count("<blockquote>") == 3
    assert "…and 2 more sentences in this article</summary>" in hidden
    assert hidden.count("<blockquote>") == 2
    assert "A Hezbollah official spoke." in re.sub(r"<[^>]+>", "", hidden)
    assert "Hezbollah left later." in re.sub(r"<[^>]+>", "", hidden)


# --- article page ---------------------------------------------------------------------------------------------

def test_related_articles_rank_by_shared_entities_and_skip_strangers():
    index = small_archive([
        ("Hezbollah and the Quds Force met.", "2020-01-10"),  # a000
        ("Hezbollah and the Quds Force again.", "2020-01-01"),  # a001: shares both
        ("Hezbollah alone.", "2020-03-01"),  # a002: shares one
        ("Nothing named here.", "2020-01-11"),  # a003: shares none
        ("The Quds Force alone, on the same day.", "2020-01-10"),  # a004: shares one, nearer in date than a002
    ])
    related = related_articles(index)
    assert related["a000"] == [("a001", 2), ("a004", 1), ("a002", 1)]
    assert related["a003"] == []
    assert all(aid not in [r for r, _ in rel] for aid, rel in related.items())


def test_entities_in_too_many_articles_do_not_relate_them(monkeypatch):
    index = small_archive([("Hezbollah here.", "2020-01-01"), ("Hezbollah there.", "2020-01-02")])
    assert related_articles(index)["a000"] == [("a001", 1)]
    monkeypatch.setattr(related_module, "MAX_SHARED_BY", 1)
    assert related_articles(index)["a000"] == []


def test_previous_and_next_follow_the_dates_and_skip_undated_articles():
    index = small_archive([("One.", "2020-05-01"), ("Two.", None), ("Three.", "2019-01-01"), ("Four.", "2021-01-01")])
    assert date_neighbours(index) == {"a002": (None, "a000"), "a000": ("a002", "a003"), "a003": ("a000", None)}


def test_article_page_types_its_chips_links_its_source_and_authors_and_orders_reading():
    index = busy_archive(15)
    pages = rendered(index)
    page = pages["articles/a010.md"].content  # by Jane Doe, Gazette, names Hezbollah and Aleppo
    text = re.sub(r"<[^>]+>", " ", page)
    assert re.search(r'archive-legend--organisation">Organisations</span>\s*<span class="archive-chips"><a class="archive-chip '
                     r'archive-chip--organisation" href="../../entities/hezbollah/"', page)
    assert '<span class="archive-legend archive-legend--place">Places</span>' in page
    assert '<a class="archive-meta__source" href="../../browse/sources/#source-gazette"' in page
    assert 'id="source-gazette"' in pages["browse/sources.md"].content  # the anchor it points to exists
    assert 'By <a href="../../entities/jane-doe/"' in page
    older, newer = date_neighbours(index)["a010"]
    assert f'class="archive-prevnext__prev" href="../../articles/{older}/"' in page
    assert f'class="archive-prevnext__next" href="../../articles/{newer}/"' in page
    assert "Related articles" in text and "shared entit" in text
    assert 'data-permalink' in page and ">articles/a010/</a>" in page
    assert "Cite this page:" in text
    source_page = pages["articles/a007.md"].content  # every seventh article has a source URL
    assert '<a class="archive-meta__url" href="https://news.example/7"' in source_page


def test_json_ld_is_data_that_no_title_can_break_out_of():
    hostile = 'Fighters "advance" </script><script>alert(1)</script> & <!-- more'
    index = small_archive([(f"Hezbollah said {hostile}.", "2020-01-01")])
    index = replace(index, articles=[replace(index.articles[0], title=hostile), *index.articles[1:]])
    page = rendered(index)["articles/a000.md"].content
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1 and page.count("<script") == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "NewsArticle" and data["headline"] == hostile
    assert data["mentions"] == [{"@type": "Organization", "name": "Hezbollah", "url": "entities/hezbollah/"}]
    assert "<" not in blocks[0] and ">" not in blocks[0]
    assert json_ld_script({"a": "</script>"}) == '<script type="application/ld+json">{"a":"\\u003c/script\\u003e"}</script>'


def test_subject_pages_carry_json_ld_of_their_kind():
    pages = rendered(busy_archive(6))
    kinds = {}
    for path in ("entities/hezbollah.md", "entities/jane-doe.md", "locations/aleppo.md"):
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', pages[path].content).group(1)
        kinds[path] = json.loads(block)
    assert kinds["entities/hezbollah.md"]["@type"] == "Organization"
    assert kinds["entities/hezbollah.md"]["alternateName"] == ["Hizbullah"]
    assert kinds["entities/jane-doe.md"]["@type"] == "Person"
    assert kinds["locations/aleppo.md"]["@type"] == "Place"
    assert kinds["locations/aleppo.md"]["geo"] == {"@type": "GeoCoordinates", "latitude": 36.2, "longitude": 37.16}


# --- network, browse, timeline ---------------------------------------------------------------------------------

def test_cooccurrence_network_weights_are_shared_articles():
    index = busy_archive(15)
    network = cooccurrence(index.entities["hezbollah"], index)
    assert network["nodes"][0]["id"] == "entity:hezbollah"
    weights = {(link["source"], link["target"]): link["weight"] for link in network["links"]}
    assert weights[("entity:hezbollah", "location:aleppo")] == 8  # every other article of 15
    assert weights[("entity:hezbollah", "entity:iran")] == 5  # every third
    assert weights[("entity:iran", "location:aleppo")] == 3  # a000, a006 and a012
    node_ids = {n["id"] for n in network["nodes"]}
    assert all(link["source"] in node_ids and link["target"] in node_ids for link in network["links"])
    alone = small_archive([("Homs.", None)])
    assert cooccurrence(alone.locations["homs"], alone) == {"nodes": [], "links": []}


def test_browse_index_lists_every_article_and_subject_with_its_facets():
    index = busy_archive(15)
    data = browse_index(index)
    assert len(data["items"]) == len(index.articles) + len(index.entities) + len(index.locations)
    by_url = {item[2]: item for item in data["items"]}
    a = by_url["articles/a010/"]  # 2017, Gazette, Hezbollah + Jane Doe, Aleppo
    assert data["types"][a[0]] == "article" and a[3] == index.by_id["a010"].date and a[4] == [2017]
    assert [data["sources"][s] for s in a[5]] == ["Gazette"]
    assert [data["places"][p][0] for p in a[6]] == ["aleppo"]
    assert sorted(data["entities"][e][0] for e in a[7]) == ["hezbollah", "jane-doe"]
    hezbollah = by_url["entities/hezbollah/"]
    assert data["types"][hezbollah[0]] == "organisation"
    assert data["entities"][hezbollah[7][0]][0] == "hezbollah"  # picking Hezbollah lists its own page
    assert hezbollah[5] == []  # no source of its own
    assert set(hezbollah[4]) == {int(x.date[:4]) for x in index.articles if x.date}


def test_timeline_chart_links_each_month_with_articles_to_its_heading():
    index = small_archive([("A.", "2020-01-05"), ("B.", "2020-01-20"), ("C.", "2020-04-01")])
    page = rendered(index)["browse/timeline.md"].content
    months = re.findall(r'<li class="archive-timeline__month"><a href="#(\d{4}-\d\d)"', page)
    assert months == ["2020-01", "2020-04"]
    assert all(f'id="{m}"' in page for m in months)
    assert page.count("archive-timeline__month--empty") == 2  # February and March: drawn, not links
    assert 'aria-label="January 2020: 2 articles"' in page


# --- FollowTheMoney ----------------------------------------------------------------------------------------------

# Property names from followthemoney 4.11 schema/*.yaml (with those inherited from Thing, Document, Interval, …)
FTM_PROPERTIES = {
    "Article": {"title", "author", "publisher", "publishedAt", "sourceUrl", "summary", "bodyText", "fileName",
                "peopleMentioned", "companiesMentioned", "locationMentioned"},
    "Person": {"name", "alias", "description", "wikidataId"},
    "Organization": {"name", "alias", "description", "wikidataId"},
    "LegalEntity": {"name", "alias", "description", "wikidataId"},
    "Address": {"full", "latitude", "longitude", "country"},
    "Mention": {"document", "resolved", "name", "detectedSchema"},
    "Documentation": {"document", "entity", "role"},
}
FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$")


def test_ftm_records_follow_the_schema_and_reference_each_other():
    index = busy_archive(15)
    records = ftm_records(index)
    ids = {r["id"] for r in records}
    assert len(ids) == len(records)
    for r in records:
        assert FTM_ID.match(r["id"]), r["id"]
        assert set(r["properties"]) <= FTM_PROPERTIES[r["schema"]], r
        assert all(isinstance(v, list) and v and all(isinstance(x, str) for x in v) for v in r["properties"].values())
    schemas = Counter(r["schema"] for r in records)
    assert schemas["Article"] == 15 and schemas["Organization"] == 2 and schemas["Person"] == 1 and schemas["Address"] == 2
    for r in records:
        for prop in ("document", "resolved", "entity"):
            for target in r["properties"].get(prop, []):
                assert target in ids, (r, prop)
    by_id = {r["id"]: r for r in records}
    mentions = [r for r in records if r["schema"] == "Mention"]
    hezbollah = [m for m in mentions if by_id[m["properties"]["resolved"][0]]["properties"]["name"] == ["Hezbollah"]]
    assert len(hezbollah) == 15  # one per article naming it (one spelling each)
    assert hezbollah[0]["properties"]["detectedSchema"] == ["Organization"]
    credits = [r for r in records if r["schema"] == "Documentation" and r["properties"]["role"] == ["author"]]
    assert len(credits) == 3  # a000, a005, a010: bylines by Jane Doe
    aleppo = next(r for r in records if r["schema"] == "Address" and r["properties"]["full"] == ["Aleppo"])
    assert aleppo["properties"]["country"] == ["sy"] and aleppo["properties"]["latitude"] == ["36.20000"]


def test_open_graph_tags_are_escaped_data_for_the_page_head():
    index = busy_archive(10)
    index = replace(index, articles=[replace(index.articles[0], subtitle='A "quoted" <b>dek</b>'), *index.articles[1:]])
    pages = rendered(index)
    article = pages[index.articles[0].page_path]
    assert dict(article.og)["og:description"] == 'A "quoted" <b>dek</b>'
    assert '<meta property="og:description" content="A &quot;quoted&quot; &lt;b&gt;dek&lt;/b&gt;">' in article.og_meta()
    assert dict(article.og)["og:type"] == "article"
    hezbollah = dict(pages["entities/hezbollah.md"].og)
    assert hezbollah["og:title"] == "Hezbollah"
    assert hezbollah["og:description"].startswith("Organisation named in 10 articles of the archive (50 mentions)")
    assert dict(pages["entities/jane-doe.md"].og)["og:type"] == "profile"
