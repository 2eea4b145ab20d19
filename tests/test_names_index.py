"""The search box's name index (data/names.json, builder/render/names.py): the folding and what the file holds.

FOLD_VECTORS are the folding's specification by example; tests/test_search_best_match_browser.py runs the same
vectors through archive-search.js's `fold` in Chromium, so Python and JavaScript fold alike."""

from __future__ import annotations

from dataclasses import replace

import json

import pytest

from builder.aggregate import Index, Subject
from builder.models import Entity, Location
from builder.render.names import fold, name_index, names_json

pytestmark = pytest.mark.unit

FOLD_VECTORS = [
    ("Aleppo", "alepo"),
    ("ALEPPO", "alepo"),
    ("Bashar al-Assad", "bashar asad"),
    ("Bashar al Assad", "bashar asad"),
    ("Bashar Assad", "bashar asad"),
    ("al-Assad", "asad"),
    ("Al Qaeda", "qaeda"),
    ("El-Nusra", "nusra"),
    ("Nusra", "nusra"),
    ("Al", "al"),  # the article alone is kept
    ("al-", "al"),
    ("Daesh", "daesh"),
    ("Ḥamāh", "hamah"),
    ("Hama", "hama"),
    ("Deir ez-Zor", "deir ez zor"),
    ("Qur'an", "quran"),
    ("Qur’an", "quran"),
    ("Ma‘arrat", "marat"),
    ("Hezbollah", "hezbolah"),
    ("Douma", "duma"),
    ("Duma", "duma"),
    ("Khan Sheikhoun", "kan sheikun"),
    ("Schaeffer", "shaefer"),
    ("Deeb", "dib"),
    ("Idlib\u00a0city", "idlib city"),
    ("  St. Petersburg ", "st petersburg"),
    ("Ａｌｅｐｐｏ", "alepo"),  # full-width letters (NFKD)
    ("Zürich", "zurich"),
    ("Jabhat Fateh al-Sham", "jabhat fateh sham"),
    ("U.S.", "u s"),
    ("ISIS", "isis"),
    ("", ""),
    ("-'-", ""),
    ("الأسد", "الاسد"),  # Arabic script: the hamza (a combining mark after NFKD) goes
    ("1st Division", "1st division"),
]


@pytest.mark.parametrize(("text", "folded"), FOLD_VECTORS)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_is_idempotent():
    for text, folded in FOLD_VECTORS:
        assert fold(folded) == folded, text


def _subject(kind, record, mentions):
    return Subject(id=record.id, kind=kind, record=record, mentions=[None] * mentions)


def _index() -> Index:
    index = Index(articles=[], problems=[], inputs=0)
    islamic = Entity("islamic-state", "Islamic State", "organisation",
                     aliases=["ISIS", "ISIL", "IS", "Daesh", "DAESH", "Islamic State of Iraq and Syria"])
    assad = Entity("bashar-al-assad", "Bashar al-Assad", "person", aliases=["Bashar Assad", "Assad", "al-Assad"])
    index = replace(index, entities={"bashar-al-assad": _subject("entity", assad, 7), "islamic-state": _subject("entity", islamic, 12)})
    aleppo = Location("aleppo", "Aleppo", 36.2, 37.16, "SY", aliases=["Halab", "Ḥalab"], kind="place")
    index = replace(index, locations={"aleppo": _subject("location", aleppo, 30)})
    return index


def test_name_index_lists_every_page_with_its_names_keys_type_and_mentions():
    data = name_index(_index())
    assert data["v"] == 1
    pages = {row[0]: row for row in data["pages"]}
    assert [row[0] for row in data["pages"]] == ["entities/bashar-al-assad/", "entities/islamic-state/", "locations/aleppo/"]
    url, kind, mentions, names, keys = pages["entities/islamic-state/"]
    assert (kind, mentions) == ("organisation", 12)
    assert names == ["Islamic State", "ISIS", "ISIL", "IS", "Daesh", "DAESH", "Islamic State of Iraq and Syria"]
    assert keys == ["islamic state", "isis", "isil", "is", "daesh", "", "islamic state of iraq and syria"]  # DAESH = Daesh
    _, kind, mentions, names, keys = pages["entities/bashar-al-assad/"]
    assert (kind, mentions) == ("person", 7)
    assert keys == ["bashar asad", "", "asad", ""]  # one key per spelling: al-Assad folds as Assad
    _, kind, mentions, names, keys = pages["locations/aleppo/"]
    assert (kind, mentions, names, keys) == ("place", 30, ["Aleppo", "Halab", "Ḥalab"], ["alepo", "halab", ""])


def test_names_json_is_valid_deterministic_and_escapes_line_separators():
    index = _index()
    index.entities["islamic-state"].record.aliases.append("odd\u2028name")
    first, second = names_json(index), names_json(index)
    assert first == second
    assert b"\xe2\x80\xa8" not in first and b"\\u2028" in first
    assert json.loads(first) == name_index(index)
    assert first.count(b"\n") == len(name_index(index)["pages"]) + 2  # one page a line


def test_the_name_shards_hold_each_page_under_the_first_character_of_each_of_its_keys():
    from builder.render.names import name_shards, shard_of

    index = _index()
    shards = {name: json.loads(data) for name, data in name_shards(index).items()}
    pages = name_index(index)["pages"]
    for page in pages:
        for key in filter(None, page[4]):
            assert page in shards[shard_of(key)]["pages"]  # the shard the search box fetches for this key
    for name, data in shards.items():  # and only there: each page of a shard has a key starting with its character
        assert all(any(k and shard_of(k) == name for k in page[4]) for page in data["pages"])
    assert sum(len(d["pages"]) for d in shards.values()) < 3 * len(pages)
    assert (shard_of("aleppo"), shard_of("9 april"), shard_of("a"), shard_of("حلب"), shard_of("")) == ("al", "9_", "a_", "__", "__")
