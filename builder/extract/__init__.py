"""Extract: one Article → its Mentions (registry entities, places) and discovered name Candidates.

The hybrid extractor, per article:
1. the dictionary: one Aho-Corasick automaton over every registry alias, gazetteer name and demonym, run once
   over the article's normalised body (same length as the body, so offsets carry over);
2. the model (spaCy NER, when one is installed: model.py), its spans given the guideline's edges and split
   where it glued names together (names.py);
3. the discovery rules (discovery.py): with a model, only names typed by a title or cue word and bracketed
   acronyms or translations; without one, every capitalised run.
Overlaps are settled longest-first, the dictionary deciding a tie. Archive-wide decisions (which candidates
become entities, types, name parts, spelling variants) happen in aggregate.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import ahocorasick

from ..models import Article, Mention
from . import discovery, names
from .discovery import Candidate
from .gazetteer import Gazetteer, load_common_words, looks_like_name, name_key, normalise
from . import model as ner_model
from .model import NerModel
from .registry import Registry
from .sentences import Sentences, split

# Two-letter country abbreviations are too short for the gazetteer's index, but in capitals they are unambiguous.
SHORT_COUNTRY_FORMS = {"US": "united-states", "UK": "united-kingdom"}
_SHORT_COUNTRY = re.compile(r"(?<![\w.])(?:" + "|".join(SHORT_COUNTRY_FORMS) + r")(?![\w])")

# When spans overlap, the longer wins; on equal length, the lower rank wins: a registry alias, then a
# gazetteer place ("Homs" that the model calls an organisation is the city), then the model, then the rules.
# Names kept per article, in body order: a news article names a few hundred; a file naming a place 20,000
# times would otherwise make 20,000 mentions, each quoted on the place's page.
MAX_MENTIONS = 5_000
# Characters of an article searched for names (a 300-page book): a 20 MB file took minutes.
MAX_EXTRACT_CHARS = 1_000_000
RANK = {"entity": 0, "place": 1, "model": 2, "demonym": 3, "candidate": 4}
# With a model, the discovery rules add only what it cannot know: names typed by a title or cue word, and
# acronyms or translations defined in brackets (measured on fakes-dev: the other rules cost precision); and, where
# the model saw nothing, a full name led by a known given name ("1 - Thomas Muster (Austria)": CoNLL train[:200]
# PER recall 0.70 -> 0.74 at precision 0.95; fakes-dev unchanged).
MODEL_ERA_RULES = ("title:", "cue:", "acronym-of:", "bracketed-alias-of:", "first-name:")
# What the model's labels make of a name. NORP (nationalities, religions) is never a name of its own.
# A facility the model finds (a road, an airbase) is a place: mapped when the gazetteer knows it.
MODEL_TYPES = {"PERSON": "person", "ORG": "organisation", "FAC": "place", "GPE": "place", "LOC": "place"}


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
    notes: list[str] = field(default_factory=list)  # what a budget cut: the article's warnings
    failure: str | None = None  # why extraction failed (the article is published without names): an error
    cacheable: bool = True  # False when a clock stopped it: another run may finish


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str  # entity | place | demonym | candidate
    target: str | Candidate  # entity id, place key, country id, or Candidate
    rule: str

    @property
    def key(self) -> str:
        """The entity id, place key or country id of a registry, gazetteer or demonym span."""
        if isinstance(self.target, Candidate):
            raise TypeError(f"a {self.kind} span holds a candidate, not a key")
        return self.target

    @property
    def candidate(self) -> Candidate:
        """The name a candidate or model span found."""
        if not isinstance(self.target, Candidate):
            raise TypeError(f"a {self.kind} span holds the key {self.target!r}, not a candidate")
        return self.target


class Extractor:
    """Built once per build (the automaton is the expensive part), then applied to every article."""

    def __init__(self, registry: Registry, gazetteer: Gazetteer, common_words: frozenset[str], model: NerModel | None = None):
        self.registry = registry
        self.model = model
        self.gazetteer = gazetteer
        self.common_words = common_words
        self.demonym_words = {display for _, display, _ in gazetteer.demonym_forms()}
        self.very_common = load_common_words()["A"]
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

    def extract(self, article: Article, use_model: bool = True) -> ArticleExtraction:
        body = article.body
        notes: list[str] = []  # what a budget cut, for the article's warnings
        if len(body) > MAX_EXTRACT_CHARS:  # names are searched in the first MAX_EXTRACT_CHARS, at a paragraph's end
            cut = body.rfind("\n\n", 0, MAX_EXTRACT_CHARS)
            body = body[:cut if cut > 0 else MAX_EXTRACT_CHARS]
            notes.append(f"extract: names were searched in the first {len(body):,} of {len(article.body):,} characters "
                         f"(the budget: {MAX_EXTRACT_CHARS:,})")
        sentences = split(body)
        spans = self._dictionary_spans(body)
        found = discovery.candidates(body, sentences.is_sentence_start, self.demonym_words, self.common_words)
        if self.model is not None and use_model:
            model_spans = self._model_spans(self.model, body, sentences, spans, notes)
            found = [c for c in found if c.rule.startswith(MODEL_ERA_RULES)]
            spans += model_spans
        spans += [_Span(c.start, c.end, "candidate", c, c.rule) for c in found]
        spans += self._prefixed_places(body, sentences, spans)
        spans = self._teams(body, sentences, spans)
        chosen = _settle_overlaps(spans, body)
        chosen = self._surnames(body, sentences, chosen)
        if len(chosen) > MAX_MENTIONS:
            notes.append(f"extract: {len(chosen):,} names found; only the first {MAX_MENTIONS:,} are kept (a news "
                         "article names a few hundred at most)")
            chosen = chosen[:MAX_MENTIONS]
        result = self._mentions(article, sentences, chosen)
        result.notes.extend(notes)
        return result

    def _dictionary_spans(self, body: str) -> list[_Span]:
        folded = normalise(body)
        spans = [_Span(m.start(), m.end(), "demonym", SHORT_COUNTRY_FORMS[m.group()], f"place:{m.group()}")
                 for m in _SHORT_COUNTRY.finditer(body)]
        for end, (length, values) in self.automaton.iter(folded):
            start, end = end - length + 1, end + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < len(folded) and folded[end].isalnum()
                                                                and not _possessive_s(folded, body, start, end)):
                continue
            written = body[start:end]
            if not looks_like_name(written):
                continue  # names are capitalised somewhere ("al-Bukamal"); "homs", "bar" or "the observatory" in prose are not
            if end < len(body) and body[end] == "." and "." in written:
                end += 1  # the key of "U.S." is "u.s": the final full stop belongs to the abbreviation
            for kind, target, form in values:
                if kind == "entity" and not _written_as(written, form):
                    continue  # "IDF" never as "idf"; "Syrian Army" never as "Syrian army" (a description)
                if kind == "demonym" and (base := self._compound_base(written)):
                    # "US-led", "Britain-based": the place named is a place mention; "Iranian-backed" is a demonym.
                    spans.append(_Span(start, start + len(base), kind, target, f"place:{base}"))
                    break
                if kind == "demonym" and self._country_named(target, written):
                    spans.append(_Span(start, end, kind, target, f"place:{written}"))  # "New Zealand": its own adjective
                    break
                spans.append(_Span(start, end, kind, target, f"alias:{form}" if kind == "entity" else f"{kind}:{form}"))
                break
        return spans

    def _prefixed_places(self, body: str, sentences: Sentences, spans: list[_Span]) -> list[_Span]:
        """ "Kafr Naha", "Tal Antar": a toponym word before a known place makes another place (a village, not
        Naha in Japan); it is a place of its own, mapped when the gazetteer or its spelling knows it."""
        prefixes = names.rules().place_prefixes
        found = []
        for span in spans:
            if span.kind != "place" or span.start < 3:
                continue
            word_start = body.rfind(" ", 0, span.start - 1) + 1
            if body[span.start - 1] == " " and body[word_start:span.start - 1] in prefixes:
                text = body[word_start:span.end]
                candidate = Candidate(text, word_start, span.end, "place", f"place-prefix:{body[word_start:span.start - 1]}",
                                      sentences.is_sentence_start(word_start))
                found.append(_Span(word_start, span.end, "model", candidate, candidate.rule))
        return found

    def _teams(self, body: str, sentences: Sentences, spans: list[_Span]) -> list[_Span]:
        """In a results or standings line ("Hansa Rostock 0 Hamburg 1", "Sheffield 21 10 0 11 574 696 20"), a town
        named with its score stands for its team (an organisation): the place and the model's spans there give way.
        A country so named stays a place (CoNLL's convention for national teams), and so does a registry name."""
        teams = []
        for start, end in score_line_names(body):
            inside = [s for s in spans if s.start < end and start < s.end]
            if not inside or any(s.kind in ("entity", "demonym") or s.kind == "place" and self._is_country(s.key)
                                 for s in inside):
                continue
            if all(w.lower() in self.common_words for w in body[start:end].split()):
                continue
            candidate = Candidate(body[start:end], start, end, "organisation", "team:score line",
                                  sentences.is_sentence_start(start))
            teams.append(_Span(start, end, "model", candidate, candidate.rule))
        if not teams:
            return spans
        taken = [(t.start, t.end) for t in teams]
        kept = [s for s in spans if not any(s.start < e and b < s.end for b, e in taken)]
        return kept + teams

    def _country_named(self, country_id: str, written: str) -> bool:
        """Whether a demonym form is the country's own name ("New Zealand" troops, a match in New Zealand)."""
        country = self.gazetteer.get(country_id)
        return country is not None and name_key(country.name) == name_key(written)

    def _is_country(self, key: str) -> bool:
        places = self.gazetteer.candidates(key)
        return bool(places) and places[0].kind == "country"

    def _compound_base(self, written: str) -> str | None:
        """ "Iran" of "Iran-backed" when that part is a place's name, not an adjective ("Iranian-backed")."""
        base = written.split("-", 1)[0] if "-" in written else None
        if base and (base in SHORT_COUNTRY_FORMS or self.gazetteer.candidates(base)):
            return base
        return None

    def _model_spans(self, model: NerModel, body: str, sentences: Sentences, dictionary: list[_Span],
                     notes: list[str]) -> list[_Span]:
        """The model's names, with their edges made to follow the guideline (no leading "the", no possessive)
        and split where the model glued names together ("US State Department", "Syria Staffan de Mistura")."""
        # `country`: a country's name, also written short ("US", "Britain" of "Britain-based"); a city is none, so
        # "Damascus University", "Manchester United" stay one name (names.split)
        known = [names.Known(s.start, s.end, s.kind, s.kind == "demonym" and s.rule.startswith("place:")
                             or (s.kind == "place" and self._is_country(s.key)))
                 for s in dictionary if s.kind in ("entity", "place", "demonym")]
        exact = {(s.start, s.end) for s in known}
        # A person's name that starts with a given name may share a word with a town ("Peter Blackburn", "Itamar
        # Rabinovich"): it is split only at a country's name or a registry name ("Syria Staffan de Mistura"); other
        # "persons" at any place too ("Aleppos Marjeh", "Burj Rouss Qsaa" are places glued).
        person_splits = [k for k in known if k.kind != "demonym" or k.country]
        given_name_splits = [k for k in known if k.kind == "entity" or k.country]
        # An organisation may start with its town ("Seattle Mariners", "Manchester United", "London Newsroom"): it is
        # not split after a town (after a country, a registry name or a demonym it is: "US State Department").
        never = names.rules().never_names
        spans = []
        found_spans, stopped = model.spans(body)
        headlines: dict[int, bool] = {}
        if stopped is not None:
            notes.append(f"extract: the model read the first {stopped:,} of {len(body):,} characters (its budget: "
                         f"{ner_model.MAX_TOKENS:,} tokens); the rest was searched by the registry, gazetteer and rules only")
        for found in found_spans:
            kind = MODEL_TYPES.get(found.label)
            if kind is None:
                continue
            start, end = names.trim(body, found.start, found.end, exact)
            end = start + _before_aside(body[start:end])
            start, end = _without_numbers(body, start, end)
            if kind == "organisation" and _person_shaped(body[start:end]):
                kind = "person"  # "Naoko Kijimuta", "M. Lathwell": a given name (or initial) and a surname
            splittable = ([k for k in known if k.kind != "place" or k.country or k.start != start] if kind == "organisation"
                          else known if kind != "person" else given_name_splits
                          if _given_name(body[start:end].split(" ", 1)[0]) else person_splits)
            for start, end in names.split(body, start, end, splittable, exact, self.common_words):
                start, end = names.trim(body, start, end, exact)
                if (start, end) in exact and (start, end) != (found.start, found.end):
                    continue  # a known name split off the model's span ("US" of "US State Department"): the dictionary has it
                if kind == "person":
                    start, end = self._person_edges(body, start, end)
                text = body[start:end]
                words = text.split()
                if (end - start < 2 or not looks_like_name(text) or text in self.demonym_words or text in never
                        or text.lower().rstrip(".") in discovery.NEVER_NAMES | discovery.PERSON_TITLES
                        or any(ch.isdigit() for ch in text)
                        or all(w.lower() in self.common_words or w in never for w in words)
                        and not any(w.lower() in names.rules().institution_words for w in words[1:])
                        and not self._place_written_as_name(text, kind, start, sentences)):
                    continue  # "Agencies" of "TRT World and Agencies", "Shot Down" in a headline, dates
                typed = "place" if (start, end) not in exact and names.looks_like_place(text, kind) else kind
                rule = f"model-headline:{found.label}" if _in_headline(body, sentences, start, headlines) else f"model:{found.label}"
                candidate = Candidate(text, start, end, typed, rule, sentences.is_sentence_start(start))
                spans.append(_Span(start, end, "model", candidate, candidate.rule))
        return spans

    def _surnames(self, body: str, sentences: Sentences, chosen: list[_Span]) -> list[_Span]:
        """News names a person in full once, then by surname ("Itamar Rabinovich … Rabinovich is winding up"): the
        surname of a person found in the article, written alone where nothing else was found, is that person (rule
        name-part:<full name>). Not next to another capitalised word (a longer name the rules do not know), not one
        of the commonest words ("Will", "Long"), and a rarer word ("Levy", "Cook") not where it starts a sentence."""
        surnames: dict[str, str] = {}
        for span in chosen:
            if span.kind != "model":
                continue
            c = span.candidate
            if c.type == "person" and " " in c.text:
                last = c.text.rsplit(" ", 1)[1]
                if len(last) >= 3 and last[0].isupper() and not last.isupper() and last.lower() not in self.very_common:
                    surnames.setdefault(last, c.text)
        if not surnames:
            return chosen
        occupied = bytearray(len(body) + 1)
        for span in chosen:
            occupied[span.start:span.end] = b"\x01" * (span.end - span.start)
        added = []
        for m in re.finditer(r"(?<![\w'-])(?:" + "|".join(map(re.escape, sorted(surnames, key=len, reverse=True))) + r")(?![\w-])", body):
            start, end = m.span()
            if any(occupied[start:end]) or _capitalised_neighbour(body, start, end, sentences) or (
                    m.group().lower() in self.common_words and sentences.is_sentence_start(start)):
                continue  # "Levy said" is David Levy; "Levy rates rose" at a sentence start may be the word
            candidate = Candidate(m.group(), start, end, "person", f"name-part:{surnames[m.group()]}",
                                  sentences.is_sentence_start(start))
            added.append(_Span(start, end, "model", candidate, candidate.rule))
        return sorted(chosen + added, key=lambda s: s.start) if added else chosen

    def _place_written_as_name(self, text: str, kind: str, start: int, sentences: Sentences) -> bool:
        """ "In Baltimore, …": one word the model calls a place, capitalised inside a sentence, is a name even when
        the word list counts it as a less common English word (tier B: "Baltimore", "Atlanta" are rare words); the
        commonest words (tier A: "March", "Split") are not."""
        return (kind == "place" and " " not in text and not text.isupper() and text.lower() not in self.very_common
                and not sentences.is_sentence_start(start))

    def _person_edges(self, body: str, start: int, end: int) -> tuple[int, int]:
        """ "Bashar al-Assad Eleven", "Youssef Diab Russians": common words and demonyms after a name are not part
        of it; "Mr Blair", "Nevertheless Franz Ferdinand": nor titles and common words before it."""
        words = body[start:end].split(" ")
        while len(words) > 1 and (words[-1].lower() in self.common_words and not _given_and_surname(words)
                                  or words[-1] in self.demonym_words or words[-1] in names.rules().post_nominals):
            end -= len(words.pop()) + 1
        while len(words) > 1 and (words[0].lower().rstrip(".") in discovery.PERSON_TITLES
                                  or words[0].lower() in self.common_words and not discovery.is_first_name(words[0])
                                  ) and words[1][:1].isupper():
            start += len(words.pop(0)) + 1
        return start, end

    def _mentions(self, article: Article, sentences: Sentences, chosen: list[_Span]) -> ArticleExtraction:
        result = ArticleExtraction(article.id)
        quoted: dict[int, tuple[str, int]] = {}  # one string per sentence, shared by its mentions
        context: Counter[str] = Counter()
        for span in chosen:
            if span.kind == "demonym":
                context[span.key] += 1
            elif span.kind == "place":
                for place in self.gazetteer.candidates(span.key)[:1]:
                    if place.kind == "country":
                        context[place.id] += 1
        for span in chosen:
            if span.kind in ("entity", "place"):
                # "The New Arab" keeps its article (a registry name); "the Netherlands" does not.
                keep_the = {(span.start, span.end)} if span.kind == "entity" and span.rule.split(":", 1)[-1].startswith("The ") else ()
                start, end = names.trim(body := article.body, span.start, span.end, keep_the)
                if body[start:end] in self.demonym_words or end - start < 2:
                    continue  # "Syrian army": a description, not a name
                span = _Span(start, end, span.kind, span.target, span.rule)
            at = sentences.sentence_at(span.start)[0]
            if at not in quoted:
                quoted[at] = sentences.text_at(span.start)
            sentence, sentence_start = quoted[at]
            paragraph = sentences.paragraph_of(span.start)
            if span.kind in ("candidate", "model"):
                result.found.append(Found(span.candidate, sentence, paragraph, sentence_start))
                continue
            kind: Literal["entity", "location"]
            if span.kind == "entity":
                kind, target = "entity", span.key
            else:
                resolved = self.gazetteer.get(span.key) if span.kind == "demonym" else self.gazetteer.resolve(span.key, context)
                if resolved is None:
                    continue
                kind, target = "location", resolved.id
            result.mentions.append(Mention(article.id, kind, target, span.start, span.end, article.body[span.start:span.end],
                                           sentence, paragraph, span.rule, sentence_start))
        return result


_given_name = discovery.is_given_name


def _person_shaped(text: str) -> bool:
    """ "Naoko Kijimuta", "Ernie Els", "M. Lathwell": two or three capitalised words led by a given name or an
    initial, none of them an organisation's word (a company named after its founder says so: "Ford Motor Co",
    "Lehman Brothers", "Opel AG"): a person's name, whatever label the model gave it."""
    words = text.split()
    r = names.rules()
    return (2 <= len(words) <= 3 and _given_name(words[0]) and all(w[:1].isupper() for w in words) and "&" not in text
            and not any(w.lower().rstrip(".") in discovery.ORG_CUES or w.lower() in r.institution_words
                        or w.rstrip(".") in r.company_words for w in words))


def _without_numbers(body: str, start: int, end: int) -> tuple[int, int]:
    """The model's span without the scores and numbers it ran into ("N. Lenham 145", "8 - Nathalie Tauziat"): a
    number or a dash at either edge is no part of a name."""
    words = body[start:end].split(" ")
    while len(words) > 1 and _number_or_dash(words[-1]):
        end -= len(words.pop()) + 1
    while len(words) > 1 and _number_or_dash(words[0]):
        start += len(words.pop(0)) + 1
    return start, end


def _number_or_dash(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or word in ("-", "\u2013", "\u2014")


def _capitalised_neighbour(body: str, start: int, end: int, sentences: Sentences) -> bool:
    """Whether a capitalised word stands right before (not as a sentence's first word) or right after the span."""
    before = body[max(0, start - 40):start]
    after = body[end:end + 40]
    left = before.split()[-1:] if before.endswith(" ") else []
    right = after.split()[:1] if after.startswith(" ") else []
    return any(w[:1].isupper() for w in right) or any(
        w[:1].isupper() and not sentences.is_sentence_start(start - len(before) + before.rstrip().rfind(w))
        for w in left)


def _given_and_surname(words: list[str]) -> bool:
    """ "John Cook", "Clarence Rose": a given name and one more word; that word is the surname, even when it is
    also an English word (a given name alone is seldom how news names a person)."""
    return len(words) == 2 and _given_name(words[0])


def _written_as(written: str, form: str) -> bool:
    """A registry alias in capitals matches only in capitals; one whose words are all capitalised only where
    they are capitalised too. Other differences of case ("al-Nusra", "Al-Nusra") do not matter."""
    if form.isupper():
        return written == form
    form_words, written_words = form.split(), written.split()
    if len(form_words) > 1 and all(w[:1].isupper() for w in form_words):
        return all(w[:1].isupper() for w in written_words)
    return True


def _possessive_s(folded: str, body: str, start: int, end: int) -> bool:
    """ "Syrias", "Hezbollahs": a known name with the apostrophe of its possessive dropped (see names.py)."""
    return (folded[end] == "s" and (end + 1 == len(folded) or not folded[end + 1].isalnum())
            and end - start >= 4 and body[start].isupper() and body[end] == "s")


HEADLINE_MIN_WORDS = 5
HEADLINE_CAPITALISED = 0.7


def _in_headline(body: str, sentences: Sentences, offset: int, memo: dict[int, bool]) -> bool:
    """Whether the offset stands in a Title Case line ("Airstrikes Hit MSF Hospital in Idlib"), such as the
    related-stories lists pasted with an article: there every word looks like a name to the model, so what it
    finds there needs a second mention elsewhere to get a page. `memo`: by sentence, as a sentence may be long
    and name thousands."""
    start, end = sentences.sentence_at(offset)
    if start not in memo:
        memo[start] = _title_case(body[start:end])
    return memo[start]


def _title_case(sentence: str) -> bool:
    words = [w for w in sentence.split() if w[:1].isalpha()]
    if len(words) < HEADLINE_MIN_WORDS or _is_list(sentence):
        return False
    return sum(w[0].isupper() for w in words) >= HEADLINE_CAPITALISED * len(words)


def _is_list(sentence: str) -> bool:
    """ "Nick Faldo (Britain), John Cook, Steve Jones": a list of names (results, line-ups), not a headline: its
    capitals are the names' own. A headline is one clause: it has no run of commas or bracketed asides."""
    return sentence.count(",") >= LIST_COMMAS or sentence.count("(") >= LIST_BRACKETS


LIST_COMMAS, LIST_BRACKETS = 2, 2


# A results, standings or fixture line: names, each followed by its score ("NEC Nijmegen 1 (Van Eykeren 15th) PSV
# Eindhoven 4", "DETROIT 7 Chicago 4"), one name and three figures or more ("Sheffield Wednesday 3 3 0 0 6 2 9",
# "BOSTON 63 64 .496 10"), or two names with "v" or (in capitals) "AT" between them ("OAKLAND AT BOSTON"). Asides in
# brackets are dropped first (a scorer list may run on to the next line).
_TEAM = r"[A-Z][\w.'&-]*(?: (?:[A-Z][\w.'&-]*|de|da|do|del|van|la|le))*"
_SCORE = r"\d{1,3}"
_RESULT_LINE = re.compile(rf"^(?:{_TEAM} {_SCORE} )+{_TEAM} {_SCORE}\.?$")
_FIGURE = r"(?:-?\d{1,4}(?:\.\d+)?|\.\d+|\d+/\d+)"  # 63, -4, .496, 1/2 (games behind)
_STANDINGS_LINE = re.compile(rf"^(?:\d{{1,2}}\.? )?{_TEAM}(?: {_FIGURE}){{3,}}\.?$")
_FIXTURE_LINE = re.compile(rf"^({_TEAM}) (?:v|vs\.?|AT) ({_TEAM})\.?$")  # "Kent v Somerset", "OAKLAND AT BOSTON"
_ASIDE = re.compile(r" ?\([^()]*(?:\)|$)")
_TEAM_NAME = re.compile(rf"{_TEAM}(?= {_FIGURE}(?:[^\d/.]|$))")
MAX_SCORE_LINE = 300


def score_line_names(body: str) -> list[tuple[int, int]]:
    """(start, end) of each team name in the body's results and standings lines."""
    found: list[tuple[int, int]] = []
    at = 0
    for line in body.split("\n"):
        start = at
        at += len(line) + 1
        if len(line) > MAX_SCORE_LINE or not line[:1].isupper() and not line[:1].isdigit():
            continue
        plain = _ASIDE.sub("", line).strip()
        fixture = _FIXTURE_LINE.match(line)
        if fixture and (" AT " not in line or line.isupper()):
            found.extend((start + fixture.start(n), start + fixture.end(n)) for n in (1, 2))
            continue
        if not (_RESULT_LINE.match(plain) or _STANDINGS_LINE.match(plain)):
            continue
        cut = _ASIDE.sub(lambda m: " " * len(m.group()), line)  # same length: offsets hold
        found.extend((start + m.start(), start + m.end()) for m in _TEAM_NAME.finditer(cut))
    return found


def _before_aside(text: str) -> int:
    """Where an aside starts inside a model's span ("Mike (Ruddock", "Arsene Wenger - he"): the name ends there."""
    cuts = [i for i in (text.find("("), text.find(" - "), text.find(" – "), text.find(" — ")) if i > 0]
    return min(cuts) if cuts else len(text)


def _rank(span: _Span) -> int:
    """A country written short ("US", "Britain" of "Britain-based") ranks as a place, not as a demonym."""
    return RANK["place"] if span.kind == "demonym" and span.rule.startswith("place:") else RANK[span.kind]


def _settle_overlaps(spans: list[_Span], body: str) -> list[_Span]:
    """Longest first. A discovered candidate never displaces a dictionary match unless a title or cue word typed
    it and it has more words ("Aleppo International Airport" over "Aleppo"; not "U.S." over the place "U.S")."""
    # Only the spans near a candidate can overlap it: a window found by bisection keeps this linear.
    others = sorted((s for s in spans if s.kind != "candidate"), key=lambda s: s.start)
    starts = [s.start for s in others]
    longest = max((s.end - s.start for s in others), default=0)
    with_model = any(s.kind == "model" for s in others)
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), _rank(s), s.start))
    taken: list[_Span] = []
    occupied = bytearray(len(body) + 1)
    for span in ordered:
        if any(occupied[span.start:span.end]):
            continue
        if span.kind == "candidate":
            near = others[bisect.bisect_left(starts, span.start - longest): bisect.bisect_left(starts, span.end)]
            if _loses_to_dictionary(span, [o for o in near if o.kind != "model"], body) or (
                    with_model and any(o.start < span.end and span.start < o.end for o in near)):
                continue  # with a model, the rules only fill gaps: where it or the dictionary saw a name, their edges are better
        taken.append(span)
        occupied[span.start:span.end] = b"\x01" * (span.end - span.start)
    return sorted(taken, key=lambda s: s.start)


def _loses_to_dictionary(span: _Span, dictionary: list[_Span], body: str) -> bool:
    overlapping = [o for o in dictionary if o.start < span.end and span.start < o.end]
    if not overlapping:
        return False
    if not span.candidate.rule.startswith(("title:", "cue:")):
        return True  # only a title or a cue word makes a name more than the place in it ("London Tory" is not)
    words = len(body[span.start:span.end].split())
    return any(len(body[o.start:o.end].split()) >= words for o in overlapping)
