"""Events in ACLED's shape, from the text itself: who did what, where and when, with how many killed.

Cheap rules (builder/data/event_rules.yml) over one article's sentences and its resolved mentions (entities and
locations, so it runs after aggregation). Every field keeps the sentence and the rule that produced it.

    article + mentions → candidate per trigger sentence → merged within the article → main event marked

One module per job: records (Event, Evidence, sentences), rules (event_rules.yml, numbers), triggers (what
happened, background, coreference, territory), dates, places, actors (with event_actors.yml and the dependency
parse), tolls, merging (one telling, one event), confidence (event_confidence.yml); this one runs them in order.
Everything stays importable from the package (`from builder.aggregate.events import Event, extract_events`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ...models import Article, Location, Mention
from .actors import _Countries, _actors, _claimed, _claimed_in_article, _parsed_agent, _source, _unattributed, _unattributed_air
from .dates import _date, _report_day
from .merging import _absorb, _merge
from .places import _is_capital, _headline_place, _is_place, _lead_place, _located, _place, _unmapped_place, home_country
from .records import Event, Evidence, _Sentence, _ends, _sentences, _without
from .rules import Rules, load_rules
from .tolls import _fatalities, _part_of_the_dead
from .triggers import ARMED_WORDS, _antecedent, _background, _past_month, _taken, _trigger

# Everything the modules define, importable from the package as before the split
# (`from builder.aggregate.events import Event, extract_events, …`).
from .records import (  # noqa: F401
    Evidence, Event, _Sentence, _sentences, LOOK, _ends,
    _starts, ArticleEvents, _without, _short,
)
from .rules import (  # noqa: F401
    RULES_PATH, _UNITS, _TENS, _SCALES, _NUMBER_WORD, NUM,
    MAX_DIGITS, _U, _TEEN, _T, _BELOW_100, _BELOW_1000,
    _WELL_FORMED, read_number, parse_number, Pattern, EventType, Territory,
    RelativeDate, Rules, load_rules,
)
from .confidence import (  # noqa: F401
    CONFIDENCE_PATH, CONFIDENCE_FIELDS, CONFIDENCE_COLUMNS, rule_family, _KEPT_MARKS, load_confidence,
    field_confidence, confidence_cells,
)
from .dates import (  # noqa: F401
    MONTHS, WEEKDAYS, _MONTH, EXPLICIT_DATES, WEEKDAY, DAY_BEFORE,
    _shift, _WORD_NEXT, _written_as_date, _date, REPORT_DAY, _report_day,
    _clause, _dated,
)
from .triggers import (  # noqa: F401
    ARMED_WORDS, _taken, _antecedent, _background, _past_month, _own_day,
    _trigger,
)
from .places import (  # noqa: F401
    SPECIFICITY, GEO_PRECISION, HEADLINE_KM, CAPITAL_KM, _NAME_START, HEADLINE_WEIGHT,
    _is_place, _rank, _level, _foreign_country, _is_dateline, home_country,
    _place, _unmapped_place, _within, _located, _is_governorate, _holds,
    _is_capital, _town_in_its_capitals_stead, km, _named_in, _headline_place, _lead_place,
)
from .tolls import (  # noqa: F401
    find_fatalities, _fatalities, _part_of_the_dead, _headline_toll,
)
from .actors import (  # noqa: F401
    _Countries, _actor_name, _can_act, _claimed, ACTORS_PATH, USE_PARSER,
    PARSE_CHARS, _VERB_TRIGGER, _BY_AFTER, load_agents, _parser, _parsed_agent,
    _claimed_in_article, _described_actor, _actors, parser_identity, _source, _unattributed, _unattributed_air,
)
from .merging import (  # noqa: F401
    _compatible, _absorb, _merge, _ALL, _ANY, _Slots,
    _told,
)


NEIGHBOUR_SENTENCES = 2  # a place or date may be written this many sentences after the trigger (same paragraph)

# Characters of an article read for events: a dossier of 100,000 event sentences took minutes; past this the
# rest is left out, with a warning (the rules cost about 0.3 ms a sentence).
MAX_EVENT_CHARS = 300_000

HEADLINE_SENTENCES = 3  # the first sentences searched for a repeated headline glued to the text after it

HEADLINE_MIN_WORDS = 4  # a headline this short may be an ordinary clause ("Aleppo"): not cut


def _without_headline(sentences: list[_Sentence], title: str) -> list[_Sentence]:
    """Headline furniture glued into a sentence: a paste that joined a stamp, a byline and the repeated headline to
    the first sentence ("Posted on April 4 2017 by Jordan Dakamseh Toxic Gas Dropped … The President of …") makes
    the byline's names actors and the stamp the event's date. The sentence is read from the headline's end; a
    sentence that is only a stamp and the headline is kept whole (the stamp dates the headline's event)."""
    title = " ".join(title.split()).rstrip(" .")
    if len(title.split()) < HEADLINE_MIN_WORDS:
        return sentences
    out = list(sentences)
    for i, s in enumerate(sentences[:HEADLINE_SENTENCES]):
        at = s.text.find(title)
        if at < 0:
            continue
        cut = at + len(title)
        rest = s.text[cut:]
        if len(rest.split()) < HEADLINE_MIN_WORDS:
            continue
        skip = len(rest) - len(rest.lstrip(" .:-–—|"))
        start = s.start + cut + skip
        out[i] = _Sentence(s.text[cut + skip:], start, s.end, s.paragraph, tuple(m for m in s.mentions if m.start >= start))
    return out


def extract_events(article: Article, mentions: list[Mention], places: Mapping[str, Location],
                   entity_names: Mapping[str, str], rules: Rules | None = None,
                   warnings: list[str] | None = None) -> tuple[Event, ...]:
    """The events of one article, merged within it (the same event told twice is one), the main one marked.
    `mentions`: the article's resolved mentions in body order; `places`: location id → Location;
    `entity_names`: entity id → name (only entities with a page). What was refused (a date that does not exist or
    steps out of the calendar, an implausible or unreadable toll) is appended to `warnings`, once each.
    Linear in the article: nothing here compares every sentence, mention or event with every other."""
    rules = rules or load_rules()
    notes: list[str] = []
    if len(article.body) > MAX_EVENT_CHARS:  # a dossier: its first pages, at a paragraph's end
        cut = article.body.rfind("\n\n", 0, MAX_EVENT_CHARS)
        cut = cut if cut > 0 else MAX_EVENT_CHARS
        notes.append(f"events were read in the first {cut:,} of {len(article.body):,} characters (the budget: "
                     f"{MAX_EVENT_CHARS:,}; a news article has under 30,000)")
        article = replace(article, body=article.body[:cut])
        mentions = [m for m in mentions if m.end <= cut]
    sentences = _without_headline(_sentences(article, mentions), article.title)
    home = home_country(mentions, places, article.title, rules)
    lead = _lead_place(sentences, places, home)
    lead_anywhere: list = []  # the lead in any country, for events placed nowhere: looked up once, when needed
    countries = _Countries(places)
    title = _Sentence(article.title, -1, -1, -1, ())
    # an article about armed conflict: its weaker triggers need no armed word in their own sentence
    armed_article = len({m.group(0).lower() for m in rules.armed_context.finditer(article.body)}) >= ARMED_WORDS
    candidates: list[tuple[Event, bool, bool]] = []  # (event, has a date of its own, is the headline's)
    for si, s in enumerate([title, *sentences]):
        if not rules.any_trigger.search(s.text) or _background(s.text, article, rules):
            continue
        found = _trigger(s.text, rules, armed_article)
        if found is None:
            continue
        kind, pattern, match = found
        if _past_month(s.text, match, article, rules):
            continue
        ev = Event(article.id, len(candidates), kind.event_type, kind.sub_event_type, match.group(0), s.text,
                   evidence=(Evidence("event_type", f"trigger:{pattern.name}", s.text),))
        if si == 0:  # the headline: an event to match, its fields come from the body (its attacker when the body
            # names none: "7 killed in regime strikes on … Homs neighbourhood")
            ev = _actors(ev, s, match, places, entity_names, rules, countries)
            candidates.append((_headline_place(ev, article.title, mentions, places, home), False, True))
            continue
        neighbours = []  # the sentences after s (= sentences[si - 1]) in its paragraph, until one tells another event
        for n in sentences[si: si + NEIGHBOUR_SENTENCES]:
            if n.paragraph != s.paragraph or rules.new_event.search(n.text):
                break
            neighbours.append(n)
        ev, dated = _date(ev, s, match, article.date, rules, notes)
        ev = _place(ev, s, match, neighbours, places, home, lead, rules)
        ev = _unmapped_place(ev, [s, *neighbours[:1]], places, rules)
        ev = _actors(ev, s, match, places, entity_names, rules, countries)
        ev = _claimed(ev, [s, *neighbours[:1]], entity_names, rules)
        if ev.actor1 is None:
            ev = _parsed_agent(ev, s, match, places, entity_names, rules, countries)
        if kind.territory:
            ev = _taken(ev, s, match, places, rules)
        # the toll may be in the next sentence, unless that one tells its own event or the war's ("More than
        # 400000 people have been killed since the conflict erupted")
        quiet = [n for n in neighbours[:1] if not (rules.any_trigger.search(n.text) or _background(n.text, article, rules))]
        ev = _fatalities(ev, s, quiet, rules, notes)
        ev = _source(ev, s, entity_names, rules)
        if candidates and ev.date is None and ev.fatalities is None and not any(_is_place(m, places) for m in s.mentions):
            continue  # says neither when nor where nor how many: more about an event already told
        if not dated and ((told := _antecedent(ev, s, match, candidates, rules)) is not None
                          or (told := _deaths_of(pattern, candidates)) is not None):
            # "the attack", "the strike", "these raids" with no day of their own: the event already told, told again
            if _part_of_the_dead(ev):  # "there were 11 children among the dead": not the event's toll
                ev = replace(ev, fatalities=None, fatalities_text=None, evidence=_without(ev.evidence, "fatalities"))
            if _report_day(ev):  # "The attack is part of the operation, the army announced on Sunday": not its day
                ev = replace(ev, date=None, time_precision=None, evidence=_without(ev.evidence, "date"))
            candidates[told] = (_absorb(candidates[told][0], ev), candidates[told][1], candidates[told][2])
            continue
        candidates.append((ev, dated, False))
        for other in _listed_places(ev, s, match, places, rules):  # "took Sanei, Tal al-Hawa and Tal-Arous": three
            candidates.append((other, dated, False))
    deaths_only = {f"trigger:{p.name}" for t in rules.types for p in t.triggers if p.deaths_only}
    events = _merge(candidates, places, notes, deaths_only)

    def lead_of() -> tuple[Mention, _Sentence] | None:
        if not lead_anywhere:
            lead_anywhere.append(lead or _lead_place(sentences, places, None))
        return lead_anywhere[0]

    events = _claimed_in_article(events, sentences, entity_names, rules)
    events = [_finish(_unattributed(e, rules), article, lead_of, places) for e in events]
    events = _unattributed_air(events, article, rules)
    if warnings is not None:
        warnings.extend(dict.fromkeys(notes))
    return tuple(_mark_main(events, article))


def _listed_places(ev: Event, s: _Sentence, trigger, places, rules: Rules) -> list[Event]:
    """Each other place of a list the event's own place stands in, after the trigger ("strikes on Fuaa and Kafraya",
    "took Sanei, Tal al-Hawa and Tal-Arous"): ACLED's one event per place (events-gold.md §2: strikes on three
    towns are three). Each is the event at that place, without the toll (a toll for several places with no
    breakdown goes on the first, §6). Only towns, villages and quarters joined by commas or "and"."""
    if ev.location_id is None or rules.place_list is None:
        return []
    t0 = s.start + trigger.start()
    found = [m for m in s.mentions if m.start >= t0 and _is_place(m, places) and places[m.target_id].kind != "country"
             and places[m.target_id].kind != "region"]
    runs: list[list] = []
    for m in found:
        if runs and rules.place_list.match(s.text[runs[-1][-1].end - s.start: m.start - s.start]):
            runs[-1].append(m)
        else:
            runs.append([m])
    run = next((r for r in runs if any(m.target_id == ev.location_id for m in r)), None)
    if run is None or len({m.target_id for m in run}) < 2 or _ends(rules.not_a_list_before, s.text, run[0].start - s.start) \
            or any(_is_capital(places[m.target_id].name, places[m.target_id].admin1) for m in run):
        return []  # "between Aleppo and Raqqa", "across Idlib and Aleppo" (provinces): one area, not places hit
    out, seen = [], {ev.location_id}
    for m in run:
        if m.target_id in seen:
            continue
        seen.add(m.target_id)
        loc = places[m.target_id]
        rule = "place:one of the places the sentence lists"
        if loc.lat is not None and loc.country == ev.country:
            other = _located(ev, loc, rule, s.text)
        else:  # a village the gazetteer cannot place: at the listed place's coordinates (ACLED precision 2)
            other = replace(ev, location_id=loc.id, location=loc.name, geo_precision=2, evidence=(
                *_without(ev.evidence, "location"), Evidence("location", rule + " (not in the gazetteer)", s.text)))
        out.append(replace(other, fatalities=None, fatalities_text=None, evidence=_without(other.evidence, "fatalities")))
    return out


def _deaths_of(pattern, candidates: list) -> int | None:
    """A sentence that says only who died ("there were 11 children among the dead": a `deaths_only` trigger) and
    gives no day of its own tells of the event already told, not a new one: the latest candidate of the body."""
    if not pattern.deaths_only:
        return None
    body = [i for i, (_, _, headline) in enumerate(candidates) if not headline]
    return body[-1] if body else None


def _finish(ev: Event, article: Article, lead_of, places) -> Event:
    """No date written: the publication date (when there is one), said so. No place: the lead's (the first sentence
    naming one, dateline included: `lead_of()`). No reporter named: the outlet."""
    if not ev.location_id:
        lead = lead_of()
        if lead is not None:
            ev = _located(ev, places[lead[0].target_id], "place:most specific in the lead (none in the sentence)", lead[1].text)
    if not ev.date and article.date and ev.why("date") is None:  # a date refused (see _date) is not replaced
        ev = replace(ev, date=article.date, time_precision=1, evidence=(
            *ev.evidence, Evidence("date", f"date:publication date {article.date} (no date in the text)", ev.sentence)))
    if not ev.source and article.source:
        ev = replace(ev, source=article.source,
                     evidence=(*ev.evidence, Evidence("source", "source:the article's outlet", ev.sentence)))
    return ev


def _mark_main(events: list[Event], article: Article) -> list[Event]:
    """The headline's event when the headline has one, else the first event of the lead."""
    if not events:
        return events
    main = 0
    return [replace(e, main=(i == main)) for i, e in enumerate(events)]
