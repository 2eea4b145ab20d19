"""Hardening III: the build cache is checked on read (every record against its dataclass's field types), a page
taken from the cache is published only if sanitising would leave it as it is, and a cache file writes each long
string (a sentence) once."""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass, field
from typing import Literal

import pytest

from builder import cache as cache_module
from builder import pipeline
from conftest import rendered_pages
from builder import render as render_module
from builder.aggregate.events import ArticleEvents, Event, Evidence
from builder.cache import BuildCache
from builder.extract import ArticleExtraction, Found
from builder.extract.discovery import Candidate
from builder.models import Article, Mention, Problem
from builder.render import PageJob, render_jobs

ARTICLE_KEY = ("a.txt", "articles/a.txt", "0" * 64)
SENTENCE = "Shelling hit Aleppo on Monday, the observatory said, and again on Tuesday near the citadel."


def article() -> Article:
    return Article(id="a", title="A", body=SENTENCE, original="articles/a.txt", sha256="0" * 64, kind="text",
                   date="2020-01-02", authors=["Jo Smith"], word_count=16, body_is_markdown=False)


def mention(start: int = 13, sentence: str = SENTENCE) -> Mention:
    return Mention("a", "location", "aleppo", start, start + 6, "Aleppo", sentence, 0, "alias", 0)


def extraction() -> ArticleExtraction:
    candidate = Candidate("Aleppo", 13, 19, "other", "capitalised", False, alias_of=None)
    return ArticleExtraction("a", [mention(), mention(79)], [Found(candidate, SENTENCE, 0, 0)])


def events() -> ArticleEvents:
    evidence = (Evidence("event_type", "shelling", SENTENCE), Evidence("location", "aleppo", SENTENCE))
    event = Event("a", 0, "Explosions/Remote violence", "Shelling/artillery/missile attack", "Shelling", SENTENCE,
                  date="2020-01-02", time_precision=1, location_id="aleppo", latitude=36.2, longitude=37.16,
                  geo_precision=1, fatalities=None, main=True, evidence=evidence)
    return ArticleEvents((event,), ("an impossible date",))


def filled(tmp_path) -> BuildCache:
    cache = BuildCache(tmp_path)
    cache.put("articles", ARTICLE_KEY, (article(), [Problem("articles/a.txt", "warning", "m")]))
    cache.put("extractions", "x", extraction())
    cache.put("events", "e", events())
    cache.put("html", "page", b"packed")
    cache.put("pages", "manifest", {"articles/a.md": (1, 2, "abc")})
    cache.save()
    return cache


def stored_record(data: dict, table: str, key: str):
    return data["entries"][table][key]


def plain(value):
    """A stored string, whether written out or as the first use of a shared one ({"__t__": ...})."""
    return value["__t__"] if isinstance(value, dict) and "__t__" in value else value


# ─── 1. cached records are checked against their types ──────────────────────────────────────────────────


@pytest.mark.unit
def test_valid_records_round_trip_equal_with_tuples_restored(tmp_path):
    filled(tmp_path)
    again = BuildCache(tmp_path)
    got, problems = again.get("articles", ARTICLE_KEY)
    assert got == article() and problems == [Problem("articles/a.txt", "warning", "m")]
    assert again.get("extractions", "x") == extraction()
    assert again.get("events", "e") == events()  # tuple fields come back as tuples, not JSON's lists
    assert isinstance(again.get("events", "e").events[0].evidence, tuple)
    assert again.get("html", "page") == b"packed"
    assert tuple(again.get("pages", "manifest")["articles/a.md"]) == (1, 2, "abc")


def _mention_v(data) -> list:
    return stored_record(data, "extractions", "sx")["v"][1][0]["v"]


def _article_v(data) -> list:
    return stored_record(data, "articles", cache_module._encode_key(ARTICLE_KEY))[0]["v"]


def _event_v(data) -> list:
    return stored_record(data, "events", "se")["v"][0][0]["v"]


def _set(getter, index, value):
    def edit(data):
        getter(data)[index] = value
    return edit


def _truncate(data):
    del _mention_v(data)[-3:]


def _lengthen(data):
    _mention_v(data).extend([0, 0, 0])


def _foreign_in_list(data):
    stored_record(data, "extractions", "sx")["v"][1].append({"__record__": "builder.models:Problem", "v": ["f", "error", "m"]})


def _candidate_as_string(data):
    stored_record(data, "extractions", "sx")["v"][2][0]["v"][0] = "Aleppo"


def _not_a_record_type(data):
    stored_record(data, "extractions", "sx")["__record__"] = "builder.cache:BuildCache"


def _outside_builder(data):
    stored_record(data, "extractions", "sx")["__record__"] = "os:system"


def _unknown_string_reference(data):
    _mention_v(data)[6] = {"__s__": 999}


def _non_string_definition(data):
    _mention_v(data)[6] = {"__t__": 5}


def _evidence_not_a_record(data):
    _event_v(data)[-1].append(5)


DAMAGE = {
    "mention start a string": ("extractions", _set(_mention_v, 3, "13")),
    "mention start a bool": ("extractions", _set(_mention_v, 3, True)),
    "mention start a float": ("extractions", _set(_mention_v, 3, 13.0)),
    "mention kind outside its Literal": ("extractions", _set(_mention_v, 1, "script")),
    "mention text None": ("extractions", _set(_mention_v, 5, None)),
    "v too short": ("extractions", _truncate),
    "v too long": ("extractions", _lengthen),
    "a Problem among the mentions": ("extractions", _foreign_in_list),
    "a candidate that is a string": ("extractions", _candidate_as_string),
    "not a dataclass": ("extractions", _not_a_record_type),
    "not a builder type": ("extractions", _outside_builder),
    "a reference to no string": ("extractions", _unknown_string_reference),
    "a shared string that is not one": ("extractions", _non_string_definition),
    "article authors an int": ("articles", _set(_article_v, 10, 3)),
    "article authors holding an int": ("articles", _set(_article_v, 10, ["Jo", 3])),
    "article word_count a float": ("articles", _set(_article_v, 16, 1.5)),
    "article body_is_markdown an int": ("articles", _set(_article_v, 18, 0)),
    "article date a list": ("articles", _set(_article_v, 7, ["2020"])),
    "event latitude a string": ("events", _set(_event_v, 10, "36.2")),
    "event fatalities a bool": ("events", _set(_event_v, 21, False)),
    "evidence holding an int": ("events", _evidence_not_a_record),
}


@pytest.mark.unit
@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_record_of_the_wrong_shape_drops_its_table_only(tmp_path, damage):
    table, edit = DAMAGE[damage]
    filled(tmp_path)
    path = tmp_path / "build-cache.json"
    data = json.loads(path.read_bytes())
    edit(data)
    path.write_text(json.dumps(data))
    again = BuildCache(tmp_path)
    assert again.previous[table] == {}, "a damaged record was trusted"
    others = {"articles": ARTICLE_KEY, "extractions": "x", "events": "e", "html": "page"}
    for name, key in others.items():
        if name != table:
            assert again.get(name, key) is not None, f"{name} was dropped with {table}"


@pytest.mark.unit
def test_the_field_checks_cover_every_supported_type():
    @dataclass
    class Kinds:
        s: str
        i: int
        f: float
        b: bool
        o: int | None
        l: list[str]
        t: tuple[int, ...]
        pair: tuple[str, int]
        d: dict[str, list[int]]
        lit: Literal["a", "b"]
        n: Problem
        many: list[Problem] = field(default_factory=list)

    check = cache_module._record_check(Kinds)
    p = Problem("f", "error", "m")
    good = ["s", 1, 2.5, True, None, ["x"], [1, 2], ["a", 1], {"k": [1]}, "a", p, [p]]
    assert check(good) == ["s", 1, 2.5, True, None, ["x"], (1, 2), ("a", 1), {"k": [1]}, "a", p, [p]]
    assert check(good[:-1])[-1] == p  # a defaulted field may be left out
    assert check(["s", 1, 2, False, 3, [], [], ["a", 1], {}, "b", p])[2] == 2  # an int is a float
    bad = {0: 1, 1: True, 2: "2", 3: 1, 4: "3", 5: ["x", 1], 6: [1, "2"], 7: ["a"], 8: {"k": ["1"]}, 9: "c", 10: "p",
           11: ["p"]}
    for index, value in bad.items():
        with pytest.raises(ValueError):
            check([*good[:index], value, *good[index + 1:]])
    with pytest.raises(ValueError):
        check(good[:10])  # a required field missing


# ─── 2. what the cache gives back is sanitised before it is published ───────────────────────────────────

BODY = '<h1>A</h1><p class="lead">Hello <a href="../b/">b</a> <span style="width: 40%">bar</span></p>'


class DictStore(dict):
    def put(self, key, value):
        self[key] = value


@pytest.fixture
def page(monkeypatch):
    calls = []
    monkeypatch.setattr(render_module, "render", lambda template, page_path, **context: BODY)

    def context():
        calls.append(1)
        return {"linked_data": {"headline": "A </script><script>alert(1)</script> & more"}}

    def make():
        return PageJob("t.html", "articles/a.md", "A", "article", "2020-01-02", ("a",), context)
    return make, calls


def packed(content: str) -> bytes:
    return zlib.compress(content.encode(), 1)


TAMPER = {
    "a script": lambda c: c.replace("Hello", "Hello<script>alert(1)</script>"),
    "an event handler": lambda c: c.replace("Hello", '<img src="x" onerror="alert(1)">'),
    "a javascript link": lambda c: c.replace('href="../b/"', 'href="javascript:alert(1)"'),
    "a tag the sanitiser drops": lambda c: c.replace("Hello", '<iframe src="https://evil.example/"></iframe>'),
    "a second script after the data block": lambda c: c + "<script>alert(1)</script>",
    "a script in the data block": lambda c: c.replace('{"headline"', '</script><script>alert(1)</script>{"headline"'),
    "a data block of another type": lambda c: c.replace("application/ld+json", "text/javascript"),
    "a handler on the wrapper": lambda c: c.replace('<div class="archive-page"', '<div class="archive-page" onclick="alert(1)"'),
    "a closed wrapper": lambda c: c.replace("<h1>", "</div><script>alert(1)</script><div><h1>"),
}


@pytest.mark.unit
def test_an_untouched_cached_page_is_used_without_rendering(page):
    make, calls = page
    store = DictStore()
    first = render_jobs([make()], store)[0].content
    assert calls == [1] and "<script>alert" not in first and 'type="application/ld+json"' in first
    calls.clear()
    assert render_jobs([make()], store)[0].content == first and not calls


@pytest.mark.unit
@pytest.mark.parametrize("tamper", TAMPER, ids=list(TAMPER))
def test_an_edited_cached_page_is_rendered_again(page, tamper):
    make, calls = page
    store = DictStore()
    fresh = render_jobs([make()], store)[0].content
    key = make().key
    edited = TAMPER[tamper](fresh)
    assert edited != fresh
    store[key] = packed(edited)
    calls.clear()
    published = render_jobs([make()], store)[0].content
    assert published == fresh and calls == [1]
    assert zlib.decompress(store[key]).decode() == fresh  # the cache is mended too


@pytest.mark.unit
def test_cached_bytes_that_are_no_page_are_rendered_again(page):
    make, calls = page
    store = DictStore()
    fresh = render_jobs([make()], store)[0].content
    for junk in (b"not zlib", zlib.compress(b"\xff\xfe not utf-8")):
        store[make().key] = junk
        assert render_jobs([make()], store)[0].content == fresh


@pytest.mark.integration
def test_a_build_never_publishes_script_from_an_edited_cache(project, monkeypatch):
    monkeypatch.setattr(render_module, "PARALLEL_RENDER_FROM", 1)  # the workers check cached pages too
    settings = pipeline.Settings(project_root=project, articles_dir=project / "articles", docs_dir=project / "docs",
                                 registry=project / "entities.yml", cache_dir=project / ".cache", workers=2,
                                 model="none")
    first = {p.src_uri: p.content for p in rendered_pages(settings)}
    path = project / ".cache" / "build-cache.json"
    data = json.loads(path.read_bytes())
    pages = data["entries"]["html"]
    assert pages
    for key, value in pages.items():
        content = zlib.decompress(base64.b64decode(value["__bytes__"])).decode()
        edited = content.replace("</h1>", "</h1><script>alert(1)</script>", 1)
        pages[key] = {"__bytes__": base64.b64encode(zlib.compress(edited.encode())).decode()}
    path.write_text(json.dumps(data))
    again = {p.src_uri: p.content for p in rendered_pages(settings)}
    assert again == first
    assert not any("alert(1)" in content for content in again.values())


# ─── 3. a cache file writes each sentence once ──────────────────────────────────────────────────────────


@pytest.mark.unit
def test_a_sentence_named_twenty_thousand_times_is_written_once(tmp_path):
    sentence = ("Aleppo, " * 22_500)[:180_000]  # 180 KB naming a place 20,000 times
    assert len(sentence) == 180_000
    mentions = [mention(i * 8, sentence) for i in range(20_000)]
    candidate = Candidate("Aleppo", 0, 6, "other", "capitalised", True)
    found = [Found(candidate, sentence, 0, 0) for _ in range(500)]
    big = ArticleExtraction("a", mentions, found)
    copy = "".join(list(sentence))  # an equal string that is another object: shared as well
    evidence = ArticleEvents((Event("a", 0, "Battles", "Armed clash", "clash", copy,
                                    evidence=(Evidence("event_type", "clash", copy),)),))
    cache = BuildCache(tmp_path)
    cache.put("extractions", "big", big)
    cache.put("events", "big", evidence)
    cache.save()
    size = (tmp_path / "build-cache.json").stat().st_size
    assert size < 5_000_000, f"{size} bytes"
    again = BuildCache(tmp_path)
    got = again.get("extractions", "big")
    assert got == big and again.get("events", "big") == evidence
    assert got.mentions[0].sentence is got.mentions[-1].sentence is got.found[0].sentence  # one string in memory
    assert again.get("events", "big").events[0].sentence is got.mentions[0].sentence


@pytest.mark.unit
def test_a_short_or_single_string_is_written_as_it_is(tmp_path):
    cache = BuildCache(tmp_path)
    cache.put("extractions", "x", extraction())
    cache.save()
    data = json.loads((tmp_path / "build-cache.json").read_bytes())
    v = _mention_v(data)
    assert v[0] == "a" and v[5] == "Aleppo"  # short strings are never replaced
    assert plain(v[6]) == SENTENCE
    second = stored_record(data, "extractions", "sx")["v"][1][1]["v"]
    assert second[6] == {"__s__": 0}  # the second use refers to the first
