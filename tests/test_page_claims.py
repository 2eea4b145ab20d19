"""Issue 19, "a page is a claim": which discovered names get a page, and which type the page says.

Unit lane: resolve() on small in-memory extractions. The evidence rules were measured on the fakes-dev gold
(scripts/page_precision.py, `make eval`); these tests hold each rule's behaviour.
"""

from __future__ import annotations

import hashlib

import pytest

from builder.aggregate.entities import resolve, typed_by_form
from builder.extract import ArticleExtraction, Found
from builder.extract.discovery import Candidate
from builder.extract.registry import Registry
from builder.models import Article

pytestmark = pytest.mark.unit


def article(article_id: str, body: str) -> Article:
    return Article(id=article_id, title="t", body=body, original=f"articles/{article_id}.txt", kind="text",
                   sha256=hashlib.sha256(body.encode()).hexdigest())


def found(body: str, name: str, kind: str, rule: str, nth: int = 0) -> Found:
    start = -1
    for _ in range(nth + 1):
        start = body.index(name, start + 1)
    sentence_start = body.rfind(". ", 0, start) + 2 if ". " in body[:start] else 0
    return Found(Candidate(name, start, start + len(name), kind, rule, start == sentence_start), body, 0, 0)


def pages(articles_and_found: list[tuple[Article, list[Found]]]):
    articles = [a for a, _ in articles_and_found]
    extractions = [ArticleExtraction(a.id, [], fs) for a, fs in articles_and_found]
    return resolve(articles, extractions, Registry(), lambda name: False)


def test_a_name_the_model_found_once_is_an_other_name_not_a_page():
    body = "Officials said Rouss Haddad visited the Harmoon Alliance offices on Monday."
    result = pages([(article("a", body), [found(body, "Rouss Haddad", "person", "model:PERSON"),
                                          found(body, "Harmoon Alliance", "organisation", "model:ORG")])])
    assert not [e for e in result.entities.values() if e.origin == "discovered"]
    assert {(m.text, m.target_id, m.kind) for m in result.other_names} == {
        ("Rouss Haddad", "person", "name"), ("Harmoon Alliance", "organisation", "name")}


def test_a_person_the_model_found_once_with_a_known_given_name_gets_a_page():
    # the model's label and the first-names table agree: "Werner" is a given name, "Rouss" is not
    body = "Germany's representative Werner Zwingmann said consumers should wait."
    result = pages([(article("a", body), [found(body, "Werner Zwingmann", "person", "model:PERSON")])])
    assert [(e.name, e.type) for e in result.entities.values()] == [("Werner Zwingmann", "person")]
    assert not result.other_names


@pytest.mark.parametrize("body, name", [
    ("The report by Fadel Abdul Ghani was published.", "Abdul Ghani"),  # a capitalised word before: a cut name
    ("Fighters loyal to Salah al-Din withdrew.", "Salah al-Din"),  # its last word is not capitalised
    ("Gunmen shot Karim on Monday.", "Karim"),  # a given name alone
])
def test_a_given_name_first_is_no_page_when_the_name_may_be_a_fragment_or_no_full_name(body, name):
    result = pages([(article("a", body), [found(body, name, "person", "model:PERSON")])])
    assert not result.entities and [m.text for m in result.other_names] == [name]


def test_a_name_the_model_found_twice_gets_a_page():
    body = "Karim Haddad spoke first. Later Karim Haddad left."
    result = pages([(article("a", body), [found(body, "Karim Haddad", "person", "model:PERSON"),
                                          found(body, "Karim Haddad", "person", "model:PERSON", nth=1)])])
    assert [e.name for e in result.entities.values()] == ["Karim Haddad"] and not result.other_names


def test_a_title_still_types_a_name_from_one_mention():
    body = "General Karim Haddad said the offensive had begun."
    result = pages([(article("a", body), [found(body, "Karim Haddad", "person", "title:General")])])
    assert [e.name for e in result.entities.values()] == ["Karim Haddad"]


def test_a_phrase_also_written_in_lower_case_is_a_description():
    body = "The Border Guard Force fired. Later the border guard force withdrew. The Border Guard Force returned."
    items = [found(body, "Border Guard Force", "organisation", "model:ORG", nth=n) for n in range(2)]
    result = pages([(article("a", body), items)])
    assert not result.entities and not result.other_names


def test_one_word_capitalised_only_where_it_starts_a_sentence_is_no_name():
    body = "Warplanes struck the town. Warplanes returned at night."
    items = [found(body, "Warplanes", "organisation", "model:ORG", nth=n) for n in range(2)]
    result = pages([(article("a", body), items)])
    assert not result.entities and not result.other_names


@pytest.mark.parametrize("name, sentence, expected", [
    ("Jabhat al-Shamiyya", "Fighters of Jabhat al-Shamiyya advanced.", "organisation"),
    ("Ansar al-Sharia", "Ansar al-Sharia claimed it.", "organisation"),
    ("Salem Mosque", "A shell hit the Salem Mosque on Friday.", "facility"),
    ("al-Bahariya", "Shells fell on the al-Bahariya village.", "place"),
    ("Namar", "Troops entered the village of Namar.", "place"),
    ("Karim Haddad", "Karim Haddad said the village was calm.", None),
])
def test_a_names_own_words_and_context_give_its_type(name, sentence, expected):
    assert typed_by_form(name, [("a", found(sentence, name, "person", "model:PERSON"))]) == expected


def test_a_place_word_after_a_name_makes_the_page_a_place_whatever_the_model_said():
    body = "Shells fell on the Zahra neighbourhood. The Zahra neighbourhood was hit again."
    items = [found(body, "Zahra", "person", "model:PERSON", nth=n) for n in range(2)]
    result = pages([(article("a", body), items)])
    assert not result.entities and [loc.name for loc in result.places.values()] == ["Zahra"]


def test_a_facility_head_types_and_earns_a_page_from_one_mention():
    body = "A shell hit the Salem Mosque on Friday."
    result = pages([(article("a", body), [found(body, "Salem Mosque", "organisation", "model:ORG")])])
    assert [(e.name, e.type) for e in result.entities.values()] == [("Salem Mosque", "facility")]


def test_a_run_glued_from_names_the_archive_knows_is_split_into_them():
    first = "Shells hit al-Hamadaniyeh al-Ramouseh overnight."
    second = "In al-Hamadaniyeh residents fled. Later al-Hamadaniyeh was quiet. In al-Ramouseh too. Then al-Ramouseh burned."
    result = pages([
        (article("a", first), [found(first, "al-Hamadaniyeh al-Ramouseh", "place", "model:GPE")]),
        (article("b", second), [found(second, name, "place", "model:GPE", nth=n)
                                for name in ("al-Hamadaniyeh", "al-Ramouseh") for n in range(2)]),
    ])
    names = sorted(loc.name for loc in result.places.values())
    assert names == ["al-Hamadaniyeh", "al-Ramouseh"]
    glued = [m for m in result.mentions if m.article_id == "a"]
    assert sorted(m.text for m in glued) == ["al-Hamadaniyeh", "al-Ramouseh"]
    assert all(first[m.start:m.end] == m.text for m in glued)


def test_name_parts_of_one_person_are_not_split():
    body = "Rami Abdel Rahman said. Rami spoke. Abdel Rahman added. Rami left. Abdel Rahman stayed."
    items = [found(body, "Rami Abdel Rahman", "person", "model:PERSON")]
    items += [found(body, "Rami", "person", "model:PERSON", nth=n) for n in (1, 2)]
    items += [found(body, "Abdel Rahman", "person", "model:PERSON", nth=n) for n in (1, 2)]
    result = pages([(article("a", body), items)])
    assert "Rami Abdel Rahman" in {e.name for e in result.entities.values()}


@pytest.mark.parametrize("body, name", [
    ("Officials of the Syrian Commercial Bank said so.", "Syrian Commercial Bank"),
    ("The Bank of Finland raised rates.", "Bank of Finland"),
    ("Shares of Lichtwer Pharma GmbH fell.", "Lichtwer Pharma GmbH"),  # a company's legal form
])
def test_an_organisation_the_model_found_once_gets_a_page_when_its_head_word_says_so(body, name):
    result = pages([(article("a", body), [found(body, name, "organisation", "model:ORG")])])
    assert [(e.name, e.type) for e in result.entities.values()] == [(name, "organisation")]


@pytest.mark.parametrize("body, name", [
    ("The Local Coordination Committee of Deir al-Adas said so.", "Local Coordination Committee"),  # cut short
    ("Officials of Harmoon Holding said so.", "Harmoon Holding"),  # no cue word for its head
])
def test_an_organisation_the_model_found_once_stays_an_other_name_without_a_head_word(body, name):
    result = pages([(article("a", body), [found(body, name, "organisation", "model:ORG")])])
    assert not result.entities and [m.text for m in result.other_names] == [name]


def test_an_initial_stands_for_a_given_name():
    body = "Somerset were bowled out for 236, with a fifty from M. Lathwell in the morning session."
    result = pages([(article("a", body), [found(body, "M. Lathwell", "person", "model:PERSON")])])
    assert [(e.name, e.type) for e in result.entities.values()] == [("M. Lathwell", "person")]


def test_a_rare_word_typed_a_place_inside_a_sentence_gets_its_page():
    body = "In Baltimore, Cal Ripken had four hits."
    articles_found = [(article("a", body), [found(body, "Baltimore", "place", "model:GPE")])]
    result = resolve([a for a, _ in articles_found], [ArticleExtraction("a", [], fs) for _, fs in articles_found],
                     Registry(), lambda name: False, common_words=frozenset({"baltimore", "fighters"}))
    assert [loc.name for loc in result.places.values()] == ["Baltimore"]


def test_a_full_name_led_by_a_known_given_name_the_rules_found_once_gets_a_page():
    body = "In the first round Thomas Muster beat the holder."
    result = pages([(article("a", body), [found(body, "Thomas Muster", "person", "first-name:Thomas")])])
    assert [(e.name, e.type) for e in result.entities.values()] == [("Thomas Muster", "person")]
