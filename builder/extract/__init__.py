"""Extract: one Article → its Mentions (registry entities, places) and discovered name Candidates.

One Aho-Corasick automaton holds every registry alias, gazetteer name and demonym; it runs once
over the article's normalised body (same length as the body, so offsets carry over). Overlapping
matches are settled longest-first; discovered names fill in what the automaton does not know.
Archive-wide decisions (which candidates become entities, name-part merging) happen in aggregate.
"""

from __future__ import annotations

import bisect

import re
from collections import Counter
from dataclasses import dataclass, field

import ahocorasick

from ..models import Article, Mention
from . import discovery
from .discovery import Candidate
from .gazetteer import Gazetteer, looks_like_name, name_key, normalise
from .registry import Registry
from .sentences import Sentences, split

# Two-letter country abbreviations are too short for the gazetteer's index, but in capitals they are unambiguous.
SHORT_COUNTRY_FORMS = {"US": "united-states", "UK": "united-kingdom"}
_SHORT_COUNTRY = re.compile(r"(?<![\w.])(?:" + "|".join(SHORT_COUNTRY_FORMS) + r")(?![\w])")

# When spans overlap, the longer wins; on equal length, the lower rank wins.
RANK = {"entity": 0, "place": 1, "demonym": 2, "candidate": 3}


@dataclass(frozen=True)
class Found:
    """A candidate with its provenance in the article, ready for archive-wide resolution."""

    candidate: Candidate
    sentence: str
    paragraph: int
    sentence_start: int


@dataclass
class ArticleExtraction:
    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str  # entity | place | demonym | candidate
    target: object  # entity id, place key, country id, or Candidate
    rule: str


class Extractor:
    """Built once per build (the automaton is the expensive part), then applied to every article."""

    def __init__(self, registry: Registry, gazetteer: Gazetteer, common_words: frozenset[str]):
        self.registry = registry
        self.gazetteer = gazetteer
        self.common_words = common_words
        self.demonym_words = {display for _, display, _ in gazetteer.demonym_forms()}
        automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple]] = {}
        for form, entity in registry.by_alias().items():
            entries.setdefault(name_key(form), []).append(("entity", entity.id, form))
        for key, display in gazetteer.surface_forms():
            entries.setdefault(key, []).append(("place", key, display))
        for key, display, country_id in gazetteer.demonym_forms():
            entries.setdefault(key, []).append(("demonym", country_id, display))
        for key, values in entries.items():
            automaton.add_word(key, (len(key), tuple(values)))
        automaton.make_automaton()
        self.automaton = automaton

    def extract(self, article: Article) -> ArticleExtraction:
        body = article.body
        sentences = split(body)
        spans = self._dictionary_spans(body)
        found = discovery.candidates(body, sentences.is_sentence_start, self.demonym_words, self.common_words)
        spans += [_Span(c.start, c.end, "candidate", c, c.rule) for c in found]
        chosen = _settle_overlaps(spans, body)
        return self._mentions(article, sentences, chosen)

    def _dictionary_spans(self, body: str) -> list[_Span]:
        folded = normalise(body)
        spans = [_Span(m.start(), m.end(), "demonym", SHORT_COUNTRY_FORMS[m.group()], f"place:{m.group()}")
                 for m in _SHORT_COUNTRY.finditer(body)]
        for end, (length, values) in self.automaton.iter(folded):
            start, end = end - length + 1, end + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < len(folded) and folded[end].isalnum()):
                continue
            written = body[start:end]
            for kind, target, form in values:
                if kind == "entity" and form.isupper() and written != form:
                    continue  # registry acronyms only in capitals: "IDF", never "idf"
                if kind != "entity" and not looks_like_name(written):
                    continue  # place names are capitalised somewhere ("al-Bukamal"); "homs" or "bar" in prose are not
                spans.append(_Span(start, end, kind, target, f"alias:{form}" if kind == "entity" else f"{kind}:{form}"))
                break
        return spans

    def _mentions(self, article: Article, sentences: Sentences, chosen: list[_Span]) -> ArticleExtraction:
        result = ArticleExtraction(article.id)
        context = Counter()
        for span in chosen:
            if span.kind == "demonym":
                context[span.target] += 1
            elif span.kind == "place":
                for place in self.gazetteer.candidates(span.target)[:1]:
                    if place.kind == "country":
                        context[place.id] += 1
        for span in chosen:
            sentence, sentence_start = sentences.text_at(span.start)
            paragraph = sentences.paragraph_of(span.start)
            if span.kind == "candidate":
                result.found.append(Found(span.target, sentence, paragraph, sentence_start))
                continue
            if span.kind == "entity":
                kind, target = "entity", span.target
            else:
                place = self.gazetteer.get(span.target) if span.kind == "demonym" else self.gazetteer.resolve(span.target, context)
                if place is None:
                    continue
                kind, target = "location", place.id
            result.mentions.append(Mention(article.id, kind, target, span.start, span.end, article.body[span.start:span.end],
                                           sentence, paragraph, span.rule, sentence_start))
        return result


def _settle_overlaps(spans: list[_Span], body: str) -> list[_Span]:
    """Longest first. A discovered candidate never displaces a dictionary match unless a title or cue word typed
    it and it has more words ("Aleppo International Airport" over "Aleppo"; not "U.S." over the place "U.S")."""
    dictionary = sorted((s for s in spans if s.kind != "candidate"), key=lambda s: s.start)
    starts = [s.start for s in dictionary]  # only the dictionary spans near a candidate can overlap it
    longest = max((s.end - s.start for s in dictionary), default=0)
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), RANK[s.kind], s.start))
    taken: list[_Span] = []
    occupied = bytearray(len(body) + 1)
    for span in ordered:
        if any(occupied[span.start:span.end]):
            continue
        near = dictionary[bisect.bisect_left(starts, span.start - longest): bisect.bisect_left(starts, span.end)]
        if span.kind == "candidate" and _loses_to_dictionary(span, near, body):
            continue
        taken.append(span)
        occupied[span.start:span.end] = b"\x01" * (span.end - span.start)
    return sorted(taken, key=lambda s: s.start)


def _loses_to_dictionary(span: _Span, dictionary: list[_Span], body: str) -> bool:
    overlapping = [o for o in dictionary if o.start < span.end and span.start < o.end]
    if not overlapping:
        return False
    if not span.target.rule.startswith(("title:", "cue:")):
        return True  # only a title or a cue word makes a name more than the place in it ("London Tory" is not)
    words = len(body[span.start:span.end].split())
    return any(len(body[o.start:o.end].split()) >= words for o in overlapping)
