"""The first-names table that types discovered names as persons (builder/data/first_names.txt)."""

import pytest

from builder.extract import discovery
from builder.extract.discovery import is_first_name

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("word", [
    "Benny", "Bashar", "Hafez", "Qassem", "Qasem", "Recep", "Tayyip", "Sergei", "Sergey", "Vladimir", "Naftali",
    "Ehud", "Tzvi", "Debbie", "Hossein", "Javad", "Esmail", "Walid", "Asma", "Ali", "Mohammed", "Abu", "Hassan",
    "Mark", "Will", "Rose", "José", "Şükrü", "Çağlar", "François", "Nouri", "Ollie", "Jermaine",
])
def test_given_names_from_many_countries(word):
    assert is_first_name(word)


@pytest.mark.parametrize("word", [
    "Syria", "Aleppo", "Damascus", "Idlib", "Reuters", "Monday", "July", "Israel", "Jordan", "Iran", "Russia",
    "London", "Paris", "Washington", "General", "Sheikh", "President", "Syrian", "Arab", "Sunni", "Khan",
    "Hezbollah", "Gantz", "The", "He", "In", "Tal", "Umm", "Thu", "La", "Bin",
])
def test_places_titles_and_words_are_not(word):
    assert not is_first_name(word)


@pytest.mark.parametrize("word", ["benny", "BENNY", "FA", "UK", "Al-Assad", "Benny2", "", "B"])
def test_only_capitalised_alphabetic_words(word):
    assert not is_first_name(word)


def test_the_table_is_loaded_once_as_a_frozenset():
    table = discovery._first_names()
    assert isinstance(table, frozenset) and 40_000 < len(table) < 80_000
    assert discovery._first_names() is table
    assert all(name.isascii() and name.islower() for name in table)
