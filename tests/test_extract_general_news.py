"""Extraction rules added for general news (issue 19, item 6: CoNLL-2003 train/testa, scripts/eval_conll.py).

Unit lane: the Extractor on small in-memory articles, with a stub in place of the spaCy model, so each test
says exactly which spans "the model" proposed and checks what the rules make of them.
"""

from __future__ import annotations

import hashlib

import pytest

from builder.extract import Extractor
from builder.extract.model import ModelSpan
from builder.extract.registry import Registry
from builder.extract.runner import common_words
from builder.models import Article

pytestmark = pytest.mark.unit


class StubModel:
    """Proposes the given (text, label) spans, at each place the text occurs."""

    name, version = "stub", "0"

    def __init__(self, *spans: tuple[str, str]):
        self._spans = spans

    def spans(self, text: str):
        found = []
        for name, label in self._spans:
            at = text.find(name)
            while at >= 0:
                found.append(ModelSpan(at, at + len(name), label))
                at = text.find(name, at + 1)
        return sorted(found, key=lambda s: s.start), None


def article(body: str) -> Article:
    return Article(id="a", title="t", body=body, original="articles/a.txt", kind="text",
                   sha256=hashlib.sha256(body.encode()).hexdigest())


def found_names(gazetteer, body: str, *spans: tuple[str, str]) -> set[tuple[str, str]]:
    extraction = Extractor(Registry(), gazetteer, common_words(), StubModel(*spans)).extract(article(body))
    return {(f.candidate.text, f.candidate.type) for f in extraction.found}


def test_a_person_with_a_given_name_keeps_a_surname_that_is_also_a_town(gazetteer):
    # "Blackburn" and "Itamar" are towns in the gazetteer; "Peter" and "Itamar" are given names
    body = "The column was written by Peter Blackburn. Israel's envoy Itamar Rabinovich said on Friday it was wrong."
    names = found_names(gazetteer, body, ("Peter Blackburn", "PERSON"), ("Itamar Rabinovich", "PERSON"))
    assert ("Peter Blackburn", "person") in names and ("Itamar Rabinovich", "person") in names


def test_a_person_with_a_given_name_is_still_split_at_a_country(gazetteer):
    body = "The envoy said in Syria Karim Haddad had been freed."
    names = found_names(gazetteer, body, ("Syria Karim Haddad", "PERSON"))
    assert ("Karim Haddad", "person") in names and not any(n.startswith("Syria") for n, _ in names)


def test_a_person_without_a_given_name_is_still_split_at_a_place(gazetteer):
    # "Aleppos Marjeh": a possessive place glued to another place; no given name starts it
    body = "Shells fell on Aleppos Marjeh district."
    names = found_names(gazetteer, body, ("Aleppos Marjeh", "PERSON"))
    assert not any(n == "Aleppos Marjeh" for n, _ in names)


def found_rules(gazetteer, body: str, *spans: tuple[str, str]) -> dict[str, str]:
    extraction = Extractor(Registry(), gazetteer, common_words(), StubModel(*spans)).extract(article(body))
    return {f.candidate.text: f.candidate.rule for f in extraction.found}


def test_a_given_name_that_is_an_english_word_starts_a_name_and_a_surname_that_is_one_ends_it(gazetteer):
    # "Nick", "Mark" are given names and English words; "Cook" is a surname and an English word
    body = "The leaders were Nick Faldo and John Cook on Sunday, with Mark Brooks third."
    names = found_names(gazetteer, body, ("Nick Faldo", "PERSON"), ("John Cook", "PERSON"), ("Mark Brooks", "PERSON"))
    assert {("Nick Faldo", "person"), ("John Cook", "person"), ("Mark Brooks", "person")} <= names


def test_a_common_word_before_a_name_is_still_cut(gazetteer):
    body = "He left. Nevertheless Franz Ferdinand stayed in the city."
    names = found_names(gazetteer, body, ("Nevertheless Franz Ferdinand", "PERSON"))
    assert ("Franz Ferdinand", "person") in names


def test_a_list_of_names_is_not_a_headline(gazetteer):
    # a results line is Title Case too, but its capitals are the names' own: the model's names there count
    results = "Leading scores: Nick Faldo (Britain) 68, Steve Jones 69, Corey Pavin (U.S.) 70, Scott Hoch 71."
    headline = "Airstrikes Hit Harmoon Group Offices In Idlib On Tuesday Night"
    rules = found_rules(gazetteer, results + "\n\n" + headline, ("Steve Jones", "PERSON"), ("Harmoon Group", "ORG"))
    assert rules["Steve Jones"] == "model:PERSON"
    assert rules["Harmoon Group"] == "model-headline:ORG"


def test_a_city_before_an_institution_stays_one_name_a_country_is_split_off(gazetteer):
    # guideline rule 8: "US State Department" is US + State Department; "Damascus University" is one name (its
    # final s is no possessive: "Damascus" is a name of its own)
    body = "Students of Damascus University met staff of the Aleppo Media Center, the US State Department said."
    names = found_names(gazetteer, body, ("Damascus University", "ORG"), ("Aleppo Media Center", "ORG"),
                        ("US State Department", "ORG"))
    assert {("Damascus University", "organisation"), ("Aleppo Media Center", "organisation"),
            ("State Department", "organisation")} <= names


def extraction(gazetteer, body: str, *spans: tuple[str, str]):
    return Extractor(Registry(), gazetteer, common_words(), StubModel(*spans)).extract(article(body))


def test_a_town_with_its_score_in_a_results_line_is_its_team(gazetteer):
    body = ("Hamburg won the derby on Saturday.\n\nHansa Rostock 0 Hamburg 1 (Baeron 64th min).\n\n"
            "Sheffield Wednesday 3 3 0 0 6 2 9\n\nGermany 2 Italy 1")
    x = extraction(gazetteer, body, ("Hansa Rostock", "ORG"))
    teams = {(f.candidate.text, f.candidate.type, f.candidate.rule) for f in x.found}
    assert {("Hansa Rostock", "organisation", "team:score line"), ("Hamburg", "organisation", "team:score line"),
            ("Sheffield Wednesday", "organisation", "team:score line")} <= teams
    places = [m.text for m in x.mentions if m.kind == "location"]
    assert places.count("Hamburg") == 1  # the town of the prose sentence stays a place
    assert "Germany" in places and "Italy" in places  # a country with its score: the national side, a place (CoNLL)


def test_a_casualty_list_or_a_date_line_is_no_results_line(gazetteer):
    body = "LONDON 1996-08-30\n\nShelling killed Aleppo 12, Idlib 7 on Monday.\n\nAleppo 12, Idlib 7"
    x = extraction(gazetteer, body)
    assert not any(f.candidate.rule.startswith("team:") for f in x.found)


def test_a_score_the_model_ran_into_is_no_part_of_a_name(gazetteer):
    body = "At Northampton the home side batted first, N. Lenham 145 and V. Drakes 59 not out, before rain."
    names = found_names(gazetteer, body, ("N. Lenham 145", "PERSON"), ("8 - V. Drakes", "PERSON"))
    assert ("N. Lenham", "person") in names


def test_a_given_name_and_a_surname_the_model_calls_an_organisation_is_a_person(gazetteer):
    body = "Naoko Kijimuta beat her rival, and shares of Ford Motor Co and Lehman Brothers rose."
    names = found_names(gazetteer, body, ("Naoko Kijimuta", "ORG"), ("Ford Motor Co", "ORG"), ("Lehman Brothers", "ORG"))
    assert {("Naoko Kijimuta", "person"), ("Ford Motor Co", "organisation"), ("Lehman Brothers", "organisation")} <= names


def test_standings_and_fixture_lines_name_teams(gazetteer):
    body = "Boston lies on the coast.\n\nBOSTON 63 64 .496 10\n\nTORONTO AT BOSTON\n\nKent v Somerset"
    x = extraction(gazetteer, body, ("Somerset", "GPE"))  # the model saw it, the gazetteer has no county
    teams = {f.candidate.text for f in x.found if f.candidate.rule == "team:score line"}
    assert {"BOSTON", "TORONTO", "Kent", "Somerset"} <= teams
    assert [m.text for m in x.mentions if m.kind == "location"] == ["Boston"]


def test_a_line_of_capitalised_words_with_at_is_no_fixture(gazetteer):
    x = extraction(gazetteer, "Clinton At Chicago Rally")
    assert not any(f.candidate.rule.startswith("team:") for f in x.found)


def test_an_organisation_may_start_with_its_town_but_not_with_its_country(gazetteer):
    body = "The Seattle Mariners beat Boston, London Newsroom reported, and the US State Department agreed."
    names = found_names(gazetteer, body, ("Seattle Mariners", "ORG"), ("London Newsroom", "ORG"),
                        ("US State Department", "ORG"))
    assert {("Seattle Mariners", "organisation"), ("London Newsroom", "organisation"),
            ("State Department", "organisation")} <= names


def test_a_rare_word_the_model_calls_a_place_inside_a_sentence_is_a_name(gazetteer):
    # "baltimore" is in the word list's tier B (a rare English word); "Split" (tier A) stays a word
    body = "In Baltimore, Cal Ripken had four hits. Split the difference, he said."
    names = found_names(gazetteer, body, ("Baltimore", "GPE"), ("Split", "GPE"))
    assert ("Baltimore", "place") in names and not any(n == "Split" for n, _ in names)



def test_a_surname_alone_after_the_full_name_is_that_person(gazetteer):
    body = ("Itamar Rabinovich told the radio it was wrong. Rabinovich is winding up his term. Minister David Levy "
            'agreed, "Levy said" in the report. Levy rates rose. Rabinovich Street is closed.')
    x = extraction(gazetteer, body, ("Itamar Rabinovich", "PERSON"), ("David Levy", "PERSON"))
    parts = [(f.candidate.text, f.candidate.start, f.candidate.rule) for f in x.found
             if f.candidate.rule.startswith("name-part:")]
    # not "Levy rates" (a rare word starting a sentence) nor "Rabinovich Street" (a longer name)
    assert [(t, r) for t, _, r in parts] == [("Rabinovich", "name-part:Itamar Rabinovich"), ("Levy", "name-part:David Levy")]
    assert body[parts[0][1]:].startswith("Rabinovich is") and body[parts[1][1]:].startswith("Levy said")


def test_a_country_named_like_its_adjective_is_a_place(gazetteer):
    x = extraction(gazetteer, "Li Feng of New Zealand won, and Iranian officials watched.")
    rules = {m.text: m.rule for m in x.mentions if m.kind == "location"}
    assert rules["New Zealand"] == "place:New Zealand" and rules["Iranian"].startswith("demonym:")


def test_where_the_model_saw_nothing_a_known_given_name_starts_a_person(gazetteer):
    body = "1 - Thomas Muster (Austria) beat Daniel Nestor (Canada) 6-3 7-5"
    rules = found_rules(gazetteer, body, ("Daniel Nestor", "PERSON"))
    assert rules["Thomas Muster"] == "first-name:Thomas" and rules["Daniel Nestor"] == "model:PERSON"
