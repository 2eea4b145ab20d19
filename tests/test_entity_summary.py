"""The summary an entity or place page opens with (issue 19, item 4), on small in-memory archives: the subjects most
often named with it, news sources (data/sources.yml, data/publications.yml) and the archive's backdrop left out and
named; the network leaves out the same; the articles follow page by page."""

from __future__ import annotations

import re

import pytest

from builder import render
from builder.aggregate import build_index
from builder.models import Entity, Location, Mention
from builder.render import related
from builder.render.related import co_mentions, cooccurrence, is_publication
from builder.render.subjects import ARTICLES_PER_PAGE, made_of, pages_of, subject_context
from reader_archive import make_article

pytestmark = pytest.mark.unit

ENTITIES = {e.id: e for e in [
    Entity("isis", "Islamic State", "organisation", aliases=["ISIS"]),
    Entity("nusra", "Nusra Front", "organisation"),
    Entity("assad", "Bashar al-Assad", "person"),
    Entity("reuters", "Reuters", "organisation"),  # an outlet sources.yml lists
    Entity("afp", "Agence France-Presse", "organisation", aliases=["AFP"]),  # ... by its alias too
    Entity("amaq", "Amaq News Agency", "organisation"),  # not in sources.yml: its name ends "News Agency"
    Entity("interfax", "Interfax", "organisation"),  # publications.yml's own outlets
    Entity("coalition", "Syrian Coalition", "organisation"),  # in sources.yml, but a party (publications.yml)
    Entity("post", "Tom Post", "person"),  # a person is never a news source, whatever the name's last word
    *[Entity(f"brigade-{c}", f"Brigade {c.upper()}", "organisation") for c in "abcdefgh"],
]}
LOCATIONS = {p.id: p for p in [
    Location("syria", "Syria", 35.0, 38.0, "SY", kind="country"),
    Location("aleppo-gov", "Aleppo Governorate", 36.2, 37.5, "SY", kind="region"),
    Location("aleppo", "Aleppo", 36.2, 37.16, "SY", admin1="Aleppo Governorate", admin1_id="aleppo-gov"),
    Location("homs", "Homs", 34.73, 36.72, "SY"),
]}
SPELLING = {**{e.name: ("entity", e.id) for e in ENTITIES.values()}, "AFP": ("entity", "afp"),
            **{p.name: ("location", p.id) for p in LOCATIONS.values()}}
SPELLING.pop("Agence France-Presse")


def archive(named: list[list[str]]):
    """One dated article per list, naming each of its spellings once (a sentence each) → the Index."""
    articles, mentions = [], []
    for i, names in enumerate(named):
        body = " ".join(f"{name} was named." for name in names)
        a = make_article(i, body, f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}")
        articles.append(a)
        for name in names:
            kind, target = SPELLING[name]
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", body):
                start = body.rfind(". ", 0, m.start())
                start = 0 if start < 0 else start + 2
                end = body.index(".", m.end()) + 1
                mentions.append(Mention(a.id, kind, target, m.start(), m.end(), name, body[start:end], 0, "alias",
                                        sentence_start=start))
    return build_index(articles, [], inputs=len(articles), mentions=mentions, entities=ENTITIES, locations=LOCATIONS)


def names(pairs) -> list[tuple[str, int]]:
    return [(s.name, n) for s, n in pairs]


# Each with Islamic State: Reuters 12, Nusra 11, Aleppo 10, AFP 9, Amaq 8, Syrian Coalition 7, Bashar al-Assad 6,
# Homs 5, Interfax 5, Tom Post 5, brigades A–H 4, 4, 3, 3, 2, 2, 1, 1; Syria in all but the last four articles.
COUNTS = {"Reuters": 12, "Nusra Front": 11, "Aleppo": 10, "AFP": 9, "Amaq News Agency": 8, "Syrian Coalition": 7,
          "Bashar al-Assad": 6, "Homs": 5, "Interfax": 5, "Tom Post": 5,
          **dict(zip((f"Brigade {c}" for c in "ABCDEFGH"), (4, 4, 3, 3, 2, 2, 1, 1)))}


def busy(total: int = related.BACKDROP_FROM + 4):
    return archive([["Islamic State"] + [name for name, n in COUNTS.items() if i < n] + (["Syria"] if i < total - 4 else [])
                    for i in range(total)])


def test_top_ten_by_shared_articles_without_news_sources():
    index = busy()
    summary = co_mentions(index.entities["isis"], index)
    assert names(summary.top) == [
        ("Nusra Front", 11), ("Aleppo", 10), ("Syrian Coalition", 7), ("Bashar al-Assad", 6), ("Homs", 5),
        ("Tom Post", 5), ("Brigade A", 4), ("Brigade B", 4), ("Brigade C", 3), ("Brigade D", 3)]  # ties by name
    # left out, each with its count: those that would have ranked among the ten
    assert names(summary.sources) == [("Reuters", 12), ("Agence France-Presse", 9), ("Amaq News Agency", 8),
                                      ("Interfax", 5)]
    assert names(summary.backdrop) == [("Syria", 100)]  # in 100 of 104 articles: the archive's backdrop


def test_what_is_a_news_source():
    index = busy()
    assert {e.id for e in index.entities.values() if is_publication(e)} == {"reuters", "afp", "amaq", "interfax"}
    assert not any(is_publication(p) for p in index.locations.values())
    # the same name is a news source as an organisation, not as a person
    person = index.entities["post"]
    assert not is_publication(person)
    assert related._names_a_publication("Tom Post", ())
    assert related._names_a_publication("The New Arab", ()) and related._names_a_publication("New Arab", ())
    assert related._names_a_publication("Al Mayadeen", ())  # spelling aside
    assert not related._names_a_publication("Islamic State", ("ISIS", "IS"))
    assert not related._names_a_publication("Syrian National Coalition", ())


def test_the_backdrop_is_only_left_out_of_a_large_enough_archive():
    small = busy(related.BACKDROP_FROM - 1)
    summary = co_mentions(small.entities["isis"], small)
    assert summary.backdrop == [] and names(summary.top)[0] == ("Syria", related.BACKDROP_FROM - 5)
    large = busy(related.BACKDROP_FROM + 8)
    assert names(co_mentions(large.entities["isis"], large).backdrop) == [("Syria", related.BACKDROP_FROM + 4)]


def test_fewer_than_ten_and_none():
    index = archive([["Islamic State", "Reuters", "Homs"], ["Islamic State", "Homs"], ["Nusra Front"]])
    summary = co_mentions(index.entities["isis"], index)
    assert names(summary.top) == [("Homs", 2)] and names(summary.sources) == [("Reuters", 1)]
    alone = co_mentions(index.entities["nusra"], index)
    assert alone.top == alone.sources == alone.backdrop == []


def test_a_place_does_not_list_its_own_governorate_and_country():
    index = archive([["Aleppo", "Aleppo Governorate", "Syria", "Homs", "Nusra Front"], ["Aleppo", "Syria", "Homs"]])
    assert names(co_mentions(index.locations["aleppo"], index).top) == [("Homs", 2), ("Nusra Front", 1)]
    # the governorate's own page lists the city in it, and its country is a page of its own
    assert ("Aleppo", 1) in names(co_mentions(index.locations["aleppo-gov"], index).top)
    assert ("Aleppo", 2) in names(co_mentions(index.locations["syria"], index).top)


def test_the_network_leaves_out_news_sources_and_the_backdrop():
    index = busy()
    nodes = {n["id"] for n in cooccurrence(index.entities["isis"], index)["nodes"]}
    assert {"entity:nusra", "entity:coalition", "location:aleppo"} <= nodes
    assert not nodes & {"entity:reuters", "entity:afp", "entity:amaq", "entity:interfax", "location:syria"}


def test_the_summary_is_in_the_pages_cache_key(monkeypatch):
    index = busy()
    s = index.entities["isis"]
    second = pages_of(len(s.article_ids), 10)[1]
    before, second_before = made_of(s, index), made_of(s, index, second)
    monkeypatch.setattr(related, "_publication_rules", lambda: ((), frozenset(), frozenset({"Reuters"})))
    related._names_a_publication.cache_clear()
    try:
        assert names(co_mentions(s, index).top)[0] == ("Reuters", 12)  # a party now: listed
        assert made_of(s, index) != before
        assert made_of(s, index, second) == second_before  # page 2 shows no summary
    finally:
        related._names_a_publication.cache_clear()


def page(index, s, number=1):
    pager = pages_of(len(s.article_ids))[number - 1]
    path = s.page_path if number == 1 else f"{s.page_path[:-3]}/page-{number}.md"
    template = "subject_more.html.j2" if number > 1 else ("entity.html.j2" if s.kind == "entity" else "location.html.j2")
    context = subject_context(s, index, path, pager)
    extra = {"network": cooccurrence(s, index)} if s.kind == "entity" else dict(
        tiles=render.Tiles("", ""), zoom=9, country=None, country_page=None, region_page=None)
    return render.sanitise(render.render(template, path, **context, **extra))


def test_the_page_opens_with_the_summary_and_pages_its_articles():
    index = busy()  # 104 articles: six pages
    s = index.entities["isis"]
    html = page(index, s)
    summary_at, articles_at = html.index('class="archive-summary"'), html.index('<h2 id="articles">')
    assert summary_at < articles_at
    summary = html[summary_at:articles_at]
    assert re.search(r'class="archive-subject-meta">.*Organisation.*· 104 articles', summary)
    assert "Also written: " in summary and "ISIS" in summary
    assert 'id="mentions-per-month"' in summary
    assert re.search(r'class="archive-chart"[^>]* aria-label="Mentions per month, 2020-01 to 2020-12: most in 2020-\d\d \(\d+\)"', summary)
    top = re.search(r'<ol class="archive-summary__top".*?</ol>', summary, re.S).group(0)
    listed = re.findall(r'<a [^>]*>([^<]+)</a> <span class="archive-count">(\d+) articles?</span>', top)
    assert [name for name, _ in listed] == [x.name for x, _ in co_mentions(s, index).top]
    assert len(listed) == 10 and "Reuters" not in top and "Syria<" not in top
    note = re.search(r'<p class="archive-summary__note".*?</p>', summary, re.S).group(0)
    assert "Left out as news sources" in note and ">Reuters</a> (12)" in note and ">Syria</a> (100; in 96% of all articles)" in note
    # the articles: the first page's, a pager to the rest
    assert f"Articles 1–{ARTICLES_PER_PAGE} of 104" in html
    assert len(re.findall(r'<div class="archive-entry">', html)) == ARTICLES_PER_PAGE
    assert 'href="../../entities/isis/page-3/"' in html and 'href="../../entities/isis/page-6/"' in html
    assert 'href="../../entities/isis/page-4/"' not in html  # 1 2 3 … 6
    last = page(index, s, 6)
    assert "archive-summary" not in last and len(re.findall(r'<div class="archive-entry">', last)) == 104 - 5 * ARTICLES_PER_PAGE


def test_the_pager_shows_the_ends_and_the_neighbours():
    pagers = pages_of(40 * ARTICLES_PER_PAGE)
    assert pagers[0].window == [1, 2, 3, None, 40]
    assert pagers[19].window == [1, None, 18, 19, 20, 21, 22, None, 40]
    assert pagers[3].window == [1, 2, 3, 4, 5, 6, None, 40]  # a gap of one page is shown, not "…"
    assert pagers[39].window == [1, None, 38, 39, 40]
    assert [p.window for p in pages_of(3 * ARTICLES_PER_PAGE)] == [[1, 2, 3]] * 3
    assert pages_of(0)[0].window == [1]
