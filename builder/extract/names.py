"""The edges of a name as the annotation guideline draws them, whichever part of the extractor found it.

* a leading "the" is not part of a name ("the Nusra Front" → "Nusra Front"), unless the registry or the
  gazetteer knows the name with it ("The New Arab");
* a possessive is not part of a name, with or without its apostrophe ("Iran's", "Assads" → "Assad"): the
  corpus this archive grew from drops apostrophes, so an "s" is cut when what is left is a known name;
* lower-case head and direction words ("Idlib province", "eastern Ghouta") are not part of a name;
* names the model glued together are split ("US State Department", "Syria Staffan de Mistura").

The word lists are data: builder/data/name_rules.yml.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

import yaml

LEADING = ("the ", "The ", "THE ")
POSSESSIVE = ("'s", "\u2019s", "'", "\u2019")
OPENING = "\"'(\u201c\u2018[-\u2013\u2014 "


@dataclass(frozen=True)
class NameRules:
    lower_heads: frozenset[str]
    lower_directions: frozenset[str]
    head_words: frozenset[str]
    institution_words: frozenset[str]
    never_names: frozenset[str]
    place_prefixes: frozenset[str]
    post_nominals: frozenset[str]
    quarter_words: frozenset[str]
    organisation_prefixes: frozenset[str]
    facility_heads: frozenset[str]
    place_context_words: frozenset[str]
    company_words: frozenset[str]


@cache
def rules() -> NameRules:
    data = yaml.safe_load(resources.files("builder").joinpath("data/name_rules.yml").read_text("utf-8"))
    return NameRules(**{field: frozenset(data[field]) for field in NameRules.__dataclass_fields__})


class Known(NamedTuple):
    """A registry or gazetteer match, as the splitting rules see it."""

    start: int
    end: int
    kind: str  # entity | place | demonym
    country: bool  # a country's name ("US", "Russia"), not an adjective ("Syrian")


def trim(body: str, start: int, end: int, known: Container[tuple[int, int]] = frozenset()) -> tuple[int, int]:
    """(start, end) of the name inside body[start:end]. `known` holds (start, end) spans of registry and
    gazetteer matches: a span known with its "the" keeps it, and a trailing "s" goes when the rest is known."""
    r = rules()
    while start < end and body[start] in OPENING:
        start += 1
    while end > start and not body[end - 1].isalnum() and body[end - 1] != ".":
        end -= 1
    if body[start:end].startswith(LEADING) and (start, end) not in known:
        start += 4
    for ending in POSSESSIVE:
        if body[start:end].endswith(ending) and end - len(ending) > start:
            end -= len(ending)
            break
    else:
        if end - start > 3 and body[end - 1] == "s" and (start, end - 1) in known:
            end -= 1
    words = body[start:end].split(" ")
    while len(words) > 1 and (words[-1] in r.lower_heads or words[-1] in r.never_names or words[-1] in r.lower_directions
                              or words[-1] in ("the", "of", "and", "in", "on")):  # "Idlib province", "Hama central"
        end -= len(words.pop()) + 1
    while len(words) > 1 and (words[0] in r.lower_directions or words[0] in r.never_names):  # "eastern Ghouta"
        start += len(words.pop(0)) + 1
    return start, end


GLUE = frozenset({"the", "for", "in", "at", "on", "from", "to", "near"})  # lower-case words between glued names


def split(body: str, start: int, end: int, known: list[Known], exact: set, common_words=frozenset()) -> list[tuple[int, int]]:
    """Where a model's span glues names together, its parts:

    * "X and Y" is two names unless it ends in an institution's word ("Studies and Research Center");
    * a known name at the start followed by more capitalised words is two names ("Syria Staffan de Mistura",
      "Aleppo Syrias"); a country before an institution too ("US State Department" → "US", "State
      Department"); but not a place before a head word ("Aleppo Governorate"), a city before an institution
      ("Damascus University") nor an adjective before anything ("Syrian Arab Army");
    * a known name at the end after a capitalised name is two names ("Tokhar Amnesty International"), and after
      a common word it is the name alone ("Capital Damascus").
    """
    if (start, end) in exact or end <= start:
        return [(start, end)] if end > start else []
    r = rules()
    for k in known:  # a possessive ends a name: "Syrias the Idlib", "al-Qaedas Syria", "Aleppos Old City"
        if (start <= k.start and k.end < end and body[k.end] == "s" and (k.end + 1 == end or body[k.end + 1] == " ")
                and (k.start, k.end + 1) not in exact):  # "Damascus", "Athens" end in s and are names themselves
            return split(body, start, k.end, known, exact, common_words) + split(body, k.end + 2, end, known, exact, common_words)
    text = body[start:end]
    words = text.split(" ")
    if " and " in text and words[-1].lower() not in r.institution_words:
        cut = start + text.index(" and ")
        return split(body, start, cut, known, exact, common_words) + split(body, cut + 5, end, known, exact, common_words)
    leading = [k for k in known if k.start == start and k.end < end]
    if leading:
        first = max(leading, key=lambda k: k.end)
        rest = first.end
        if body[rest:rest + 1] == "s" and body[rest + 1:rest + 2] == " ":
            rest += 1  # "Aleppos Marjeh": the possessive of the first name
        while rest < end and body[rest] == " ":
            rest += 1
        remainder = body[rest:end].split(" ")
        if rest < end and body[rest].isupper() and remainder[0].lower() not in r.head_words:
            institution = any(w.lower() in r.institution_words for w in remainder)
            exact_rest = (rest, end) in exact
            if (first.kind != "demonym" or first.country or exact_rest) and (not institution or first.country or exact_rest):
                return [(start, first.end)] + split(body, rest, end, known, exact, common_words)
    trailing = [k for k in known if k.end == end and k.start > start and body[k.start - 1] == " " and (k.kind != "demonym" or k.country)]
    if trailing:
        last = min(trailing, key=lambda k: k.start)
        before = body[start:last.start - 1].split(" ")
        glue = 0
        while len(before) > 1 and before[-1] in GLUE:  # "Raqqa for Palmyra", "al-Bulel the Observatory"
            glue += len(before.pop()) + 1
        if before and before[-1][:1].isupper():
            if len(before) == 1 and (before[0].lower() in common_words or before[0] in r.never_names):
                return [(last.start, end)]  # "Capital Damascus", "Once Syrias"
            if not any(w.lower() in r.institution_words for w in before) and before[-1].lower() not in r.head_words:
                return split(body, start, last.start - 1 - glue, known, exact, common_words) + [(last.start, end)]
    return [(start, end)]


ARABIC_ARTICLE = ("al-", "Al-", "el-", "El-", "al ", "Al ")


def looks_like_place(text: str, kind: str) -> bool:
    """Whatever the model said: a name led by a toponym word is a place ("Tal Antar", "Kafr Zeita", "Beit Jinn"),
    and so is a "person" every word of which carries the Arabic article ("al-Foua", "al-Shaar al-Sukkari"): a
    person's name starts with a given name."""
    first, _, rest = text.partition(" ")
    if rest and first in rules().place_prefixes:
        return True
    words = text.replace("Al ", "Al-").replace("al ", "al-").split()
    return kind == "person" and all(w.startswith(ARABIC_ARTICLE) for w in words)
