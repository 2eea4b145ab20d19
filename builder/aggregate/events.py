"""Events in ACLED's shape, from the text itself: who did what, where and when, with how many killed.

Cheap rules (builder/data/event_rules.yml) over one article's sentences and its resolved mentions (entities and
locations, so it runs after aggregation). Every field keeps the sentence and the rule that produced it.

    article + mentions → candidate per trigger sentence → merged within the article → main event marked
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..extract.registry import entity_id
from ..ingest.sources import known_source
from ..models import Article, Location, Mention
from .entities import PLACE_PREFIX
from ..extract.sentences import split

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "event_rules.yml"
SPECIFICITY = {"facility": 4, "neighbourhood": 4, "place": 3, "region": 2, "country": 1}  # higher: more specific
GEO_PRECISION = {4: 1, 3: 1, 2: 3, 1: 3}  # ACLED: 1 the place itself, 2 near it, 3 only the region is known
HEADLINE_KM = 60  # a headline's place ("Idlib") and the body's ("Sarmin") that far apart may be the same event
CAPITAL_KM = 40  # a town this near a governorate's namesake city may be where "<city>" in a headline happened
_NAME_START = re.compile(r"(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[A-Z]")  # "Tall Tawil", "al-Aziziyeh"
ARMED_WORDS = 3  # distinct armed_context words that make an article one about armed conflict
HEADLINE_WEIGHT = 2  # a place the headline names counts this much more towards the article's own country
NEIGHBOUR_SENTENCES = 2  # a place or date may be written this many sentences after the trigger (same paragraph)
# Characters of an article read for events: a dossier of 100,000 event sentences took minutes; past this the
# rest is left out, with a warning (the rules cost about 0.3 ms a sentence).
MAX_EVENT_CHARS = 300_000

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9})
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
EXPLICIT_DATES = [
    ("day month", re.compile(r"\b(?:on )?(?P<day>[0-3]?\d)(?:st|nd|rd|th)? (?:of )?" + _MONTH + r"(?:,? (?P<year>(?:19|20)\d\d))?\b", re.I)),
    ("month day", re.compile(r"\b(?:on )?" + _MONTH + r" (?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:,? (?P<year>(?:19|20)\d\d))?\b", re.I)),
]
WEEKDAY = re.compile(r"\b(?:on |late |early |last |since )?(?P<weekday>" + "|".join(WEEKDAYS) + r")(?:'s|’s|s)?\b", re.I)
DAY_BEFORE = re.compile(r"\b(?:the previous day|the day before|a day earlier|the previous night|the night before)\b", re.I)

# Numbers written as words ("Fourteen", "twenty-one", "a dozen"); digits with thousands separators.
_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen", "a", "and"], key=len, reverse=True))
NUM = (r"(?:\d{1,3}(?:,\d{3})+|\d+|(?:(?:" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
       + r"|a dozen|dozen)(?:(?:[\s-]+|\s+and\s+)(?:" + _NUMBER_WORD + r")\b)*))")


MAX_DIGITS = 12  # a figure of more significant digits is no toll: refused unread (int() of 4,301 digits raises)
_U = "one|two|three|four|five|six|seven|eight|nine"
_TEEN = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_T = "|".join(_TENS)
_BELOW_100 = rf"(?:(?:{_T})(?: (?:{_U}))?|{_TEEN}|{_U})"  # 1 … 99: "twenty one", "fifteen", "seven"
_BELOW_1000 = rf"(?:(?:{_BELOW_100}|a) hundred(?: (?:and )?{_BELOW_100})?|{_BELOW_100})"  # "a hundred and five", "fifteen hundred"
# English number words as news writes a count: one "thousand" at most, after a number below a thousand, and one
# "hundred" in each part ("two thousand three hundred and five"); "one hundred thousand thousand" is none.
_WELL_FORMED = re.compile(rf"zero|(?:{_BELOW_1000}|a) thousand(?: (?:and )?{_BELOW_1000})?|{_BELOW_1000}"
                          rf"|(?:(?:a|{_U}) )?dozen")


def read_number(text: str) -> tuple[int | None, str | None]:
    """(the number, None), or (None, why it is refused): digits with more than MAX_DIGITS significant digits (never
    converted), or number words that are not one well-formed number ("twenty thirty", "hundred thousand thousand").
    (None, None): not a number at all."""
    text = text.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text):
        digits = text.replace(",", "").lstrip("0") or "0"
        if len(digits) > MAX_DIGITS:
            return None, f"a number of {len(digits)} digits"
        return int(digits), None
    words = [w for w in re.split(r"[\s-]+", text) if w]
    while words and words[-1] == "and":  # "killing seven and wounding …": NUM takes the "and" along
        words.pop()
    if not words or "a" in words[1:] or any(w not in _UNITS and w not in _TENS and w not in _SCALES
                                            and w not in ("a", "and", "dozen") for w in words):
        return None, None  # "five and a child": the words run on past the number (skipped, as always)
    if not _WELL_FORMED.fullmatch(" ".join(words)):
        return None, "not one well-formed number"
    total = current = 0
    for i, w in enumerate(words):
        if w == "a" and i == 0:
            current = 1
        elif w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "thousand":
            total += (current or 1) * 1000
            current = 0
    return total + current, None


def parse_number(text: str) -> int | None:
    """'14' → 14, 'Fourteen' → 14, 'twenty-one' → 21, 'one hundred and five' → 105, 'a dozen' → 12; else None
    (also for a number refused by read_number: too many digits, malformed words)."""
    return read_number(text)[0]


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern
    needs_context: bool = False  # an event only with armed_context elsewhere in the sentence
    deaths_only: bool = False  # says who died, not how: a headline with only this cue tells the body's event of any type


@dataclass(frozen=True)
class EventType:
    event_type: str
    sub_event_type: str
    triggers: tuple[Pattern, ...]
    territory: bool = False  # a place taken: the taker decides the sub-type (Rules.territory)


@dataclass(frozen=True)
class Territory:
    government: str
    non_state: str
    government_actors: frozenset[str]
    government_words: re.Pattern
    non_state_words: re.Pattern
    taker_after: re.Pattern


@dataclass(frozen=True)
class RelativeDate:
    name: str
    regex: re.Pattern
    days: int
    precision: int


@dataclass(frozen=True)
class Rules:
    types: tuple[EventType, ...]
    background: tuple[re.Pattern, ...]
    fatalities: tuple[Pattern, ...]
    relative_dates: tuple[RelativeDate, ...]
    alleged: re.Pattern
    by_actor: re.Pattern
    source_before: re.Pattern
    source_after: re.Pattern
    actor_window: int
    any_trigger: re.Pattern  # every trigger in one pattern: most sentences are ruled out by one search
    any_background: re.Pattern
    fatality_cue: re.Pattern  # a word every fatality pattern needs
    past_year: re.Pattern
    dateline_agency: re.Pattern
    armed_context: re.Pattern
    described_actors: tuple[tuple[str, re.Pattern], ...]  # (actor name, how the text describes it)
    described_victim_after: re.Pattern
    described_counted_before: re.Pattern
    actor2_window: int
    claimed: re.Pattern
    armed_nouns: re.Pattern
    civilian_words: re.Pattern
    place_before: re.Pattern
    period_before: re.Pattern
    unmapped_place_named: re.Pattern
    unmapped_place_after: re.Pattern
    province_before: re.Pattern
    province_after: re.Pattern
    clause_break: re.Pattern
    new_event: re.Pattern
    place_after: re.Pattern | None = None
    anaphor_before: re.Pattern | None = None
    anaphor_noun: re.Pattern | None = None
    anaphor_start: re.Pattern | None = None
    past_month: re.Pattern | None = None
    recall: re.Pattern | None = None
    blamed_before: re.Pattern | None = None
    unattributed_air: dict | None = None
    report_before: re.Pattern | None = None
    report_after: re.Pattern | None = None
    territory: Territory | None = None
    subgroup_of: re.Pattern | None = None
    controller_before: re.Pattern | None = None
    controller_after: re.Pattern | None = None
    max_fatalities: int = 10000  # a larger toll is refused (event_rules.yml says why)
    led_coalition: re.Pattern | None = None
    unattributed_actor: str | None = None
    unattributed_sub_event_types: frozenset[str] = frozenset()
    # … and those whose weapon names the actor wherever it stands in the sentence ("chlorine dropped alongside
    # barrel bombs": the barrel bombs are the regime's)
    weapon_actors: tuple[tuple[str, re.Pattern], ...] = ()


@functools.cache
def load_rules(path: Path = RULES_PATH) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    c = lambda p: re.compile(p, re.I)  # noqa: E731
    t = data["territory"]
    return Rules(
        types=tuple(EventType(t["event_type"], t["sub_event_type"], tuple(Pattern(p["name"], c(p["pattern"]), bool(p.get("needs_context")), bool(p.get("deaths_only")))
                                                                          for p in t["triggers"]), bool(t.get("territory")))
                    for t in data["types"]),
        territory=Territory(t["government"], t["non_state"], frozenset(t["government_actors"]), c(t["government_words"]),
                            re.compile(t["non_state_words"]), c(t["taker_after"])),
        background=tuple(c(p) for p in data["background"]),
        fatalities=tuple(Pattern(p["name"], c(p["pattern"].replace("NUM", NUM))) for p in data["fatalities"]),
        relative_dates=tuple(RelativeDate(d["name"], c(d["pattern"]), int(d["days"]), int(d["precision"]))
                             for d in data["relative_dates"]),
        alleged=c(data["alleged"]), by_actor=c(data["by_actor"]), source_before=c(data["source_before"]),
        source_after=c(data["source_after"]), actor_window=int(data["actor_window"]),
        clause_break=c(data["clause_break"]), new_event=c(data["new_event"]),
        any_trigger=c("|".join(f"(?:{p['pattern']})" for t in data["types"] for p in t["triggers"])),
        any_background=c("|".join(f"(?:{p})" for p in data["background"])),
        fatality_cue=c(data["fatality_cue"]), past_year=c(data["past_year"]),
        dateline_agency=re.compile(data["dateline_agency"]), armed_context=c(data["armed_context"]), place_before=c(data["place_before"]),
        period_before=c(data["period_before"]),
        unmapped_place_named=c(data["unmapped_place_named"]), unmapped_place_after=c(data["unmapped_place_after"]),
        province_before=c(data["province_before"]), province_after=c(data["province_after"]),
        described_actors=tuple((d["actor"], c(d["pattern"])) for d in data.get("described_actors") or ()),
        weapon_actors=tuple((d["actor"], c(d["pattern"])) for d in data.get("described_actors") or () if d.get("anywhere")),
        described_victim_after=c(data["described_victim_after"]), described_counted_before=c(data["described_counted_before"]),
        claimed=c(data["claimed"]), actor2_window=int(data["actor2_window"]), armed_nouns=c(data["armed_nouns"]), civilian_words=c(data["civilian_words"]),
        max_fatalities=int(data["max_fatalities"]), led_coalition=c(data["led_coalition"]),
        unattributed_actor=data["unattributed_actor"], place_after=c(data["place_after"]),
        anaphor_before=c(data["anaphor_before"]), anaphor_noun=c(data["anaphor_noun"]),
        anaphor_start=c(data["anaphor_start"]), past_month=re.compile(data["past_month"]),
        recall=c("|".join(f"(?:{p})" for p in data["recall"])),
        report_before=c(data["report_before"]), blamed_before=c(data["blamed_before"]),
        unattributed_air={**data["unattributed_air"], "other": re.compile(data["unattributed_air"]["other_air_forces"])}, report_after=c(data["report_after"]),
        subgroup_of=c(data["subgroup_of"].replace("NUM", NUM)),
        controller_before=c(data["controller_before"]), controller_after=c(data["controller_after"]),
        unattributed_sub_event_types=frozenset(data["unattributed_sub_event_types"]),
    )


@dataclass(frozen=True)
class Evidence:
    """Why a field has its value: the rule and the sentence it matched."""

    field: str
    rule: str
    sentence: str


@dataclass(frozen=True)
class Event:
    """One event one article reports. `date` is None when the article has no date (never invented)."""

    article_id: str
    n: int  # its order in the article (0 = first reported)
    event_type: str
    sub_event_type: str
    trigger: str  # the words that matched
    sentence: str  # the sentence the event was found in
    date: str | None = None  # YYYY-MM-DD
    time_precision: int | None = None  # ACLED: 1 day, 2 week, 3 month
    location_id: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    country: str | None = None
    admin1: str | None = None  # the place's governorate (ACLED's admin1), where the gazetteer knows it
    actor1: str | None = None
    actor1_id: str | None = None  # an entity or (for demonyms) a location id
    alleged: bool = False  # actor1 is "alleged"/"suspected"
    actor2: str | None = None
    actor2_id: str | None = None
    fatalities_text: str | None = None  # as written: "Fourteen"
    fatalities: int | None = None
    source: str | None = None  # who reported it: "according to SOHR", else the article's outlet
    main: bool = False
    evidence: tuple[Evidence, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.article_id}#{self.n}"

    @property
    def confidence(self) -> dict[str, float]:
        """How far to trust each field that has a value: the measured precision of the rule that made it
        (builder/data/event_confidence.yml, `make eval-confidence`), by field of CONFIDENCE_FIELDS."""
        return field_confidence(self)

    def why(self, name: str) -> Evidence | None:
        return next((e for e in self.evidence if e.field == name), None)


CONFIDENCE_PATH = RULES_PATH.parent / "event_confidence.yml"
# the fields a confidence is given for, and the evidence field whose rule made each
CONFIDENCE_FIELDS = {"event_type": "event_type", "sub_event_type": "sub_event_type", "date": "date",
                     "location": "location", "actor1": "actor1", "actor2": "actor2", "fatalities": "fatalities"}
CONFIDENCE_COLUMNS = [f"confidence_{f}" for f in CONFIDENCE_FIELDS]  # events.csv / event_reports.csv, after ACLED's


def rule_family(rule: str) -> str:
    """A rule as measured: its name without what it matched ("date:weekday 'on Monday' before publication …" →
    "date:weekday"; "place:most specific in the next sentences, 'Idlib' named as its province" → "place:most
    specific in the next sentences"; "… (the headline)" and "(dependency parse)" kept apart: they are other rules)."""
    base = re.split(r",|\s\d|\(", re.sub(r"'[^']*'", "", rule), maxsplit=1)[0]
    return " ".join((base + "".join(f" ({m})" for m in _KEPT_MARKS if m in rule)).split())


_KEPT_MARKS = ("the headline", "dependency parse", "the report's day", "not in the gazetteer", "alleged")


@functools.cache
def load_confidence(path: Path = CONFIDENCE_PATH) -> dict:
    """event_confidence.yml: {field: {"precision": p, "rules": {family: {"precision": p, "n": n}}}}."""
    try:
        return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("fields") or {}
    except OSError:
        return {}


def field_confidence(ev: "Event") -> dict[str, float]:
    """{field: the measured precision of the rule that made it} for each field of CONFIDENCE_FIELDS with a value: a
    rule measured on the dev gold gives its own (smoothed) precision, another rule the field's overall one. The
    sub-event type is made by the trigger unless a territory rule changed it."""
    measured = load_confidence()
    out: dict[str, float] = {}
    for name, source in CONFIDENCE_FIELDS.items():
        value = ev.location if name == "location" else getattr(ev, name)
        if value is None or name not in measured:
            continue
        why = ev.why(source) or (ev.why("event_type") if name == "sub_event_type" else None)
        rules = measured[name].get("rules") or {}
        known = rules.get(rule_family(why.rule)) if why is not None else None
        out[name] = float(known["precision"] if known else measured[name]["precision"])
    return out


def confidence_cells(confidence: dict[str, float]) -> list[str]:
    """The CONFIDENCE_COLUMNS cells of a row ("" for a field without a value)."""
    return [f"{confidence[f]:.2f}" if f in confidence else "" for f in CONFIDENCE_FIELDS]


@dataclass(frozen=True)
class _Sentence:
    text: str
    start: int
    end: int
    paragraph: int
    mentions: tuple[Mention, ...]


def _sentences(article: Article, mentions: list[Mention]) -> list[_Sentence]:
    """The body's sentences, each with the mentions starting in it (in the order of `mentions`). The mentions are
    found by bisection over their sorted starts: sentences × mentions was hours for a dossier of 100,000 events."""
    spans = split(article.body)
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)  # "in body order": already sorted, as a rule
    starts = [mentions[i].start for i in order]
    in_order = all(order[i] < order[i + 1] for i in range(len(order) - 1))
    out = []
    for i, start in enumerate(spans.starts):
        end = spans.starts[i + 1] if i + 1 < len(spans.starts) else len(article.body)
        raw = article.body[start:end]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if not text:
            continue
        s0 = start + lead
        picked = order[bisect.bisect_left(starts, s0): bisect.bisect_left(starts, s0 + len(text))]
        out.append(_Sentence(text, s0, s0 + len(text), spans.paragraph_of(s0),
                             tuple(mentions[j] for j in (picked if in_order else sorted(picked)))))
    return out


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


LOOK = 200  # characters a rule reads before or after a mention: a few words, never the rest of a long sentence


def _ends(pattern: re.Pattern, text: str, end: int) -> re.Match | None:
    """`pattern` (anchored at the end: `$`) searched in text[:end], within its last LOOK characters: per mention,
    neither a copy nor a scan of the whole sentence before it (a sentence may be a megabyte of names). The window's
    first word is seen whole: `\b` looks at the character before `pos`."""
    return pattern.search(text, max(0, end - LOOK), end)


def _starts(pattern: re.Pattern, text: str, start: int, match: bool = False) -> re.Match | None:
    """`pattern` (anchored at the start: `^`) searched (or matched) in text[start:], within its first LOOK characters."""
    window = text[start: start + LOOK]
    return pattern.match(window) if match else pattern.search(window)


def _is_place(m: Mention, places: Mapping[str, Location]) -> bool:
    return m.kind == "location" and not m.rule.startswith("demonym") and m.target_id in places


@dataclass(frozen=True)
class ArticleEvents:
    """One article's events and what extracting them refused (an impossible date or toll), as the build cache keeps
    them; add_events (aggregate/incidents.py) reports the warnings as the article's problems."""

    events: tuple[Event, ...]
    warnings: tuple[str, ...] = ()


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
        if not dated and (told := _antecedent(ev, s, match, candidates, rules)) is not None:
            # "the attack", "the strike", "these raids" with no day of their own: the event already told, told again
            if _report_day(ev):  # "The attack is part of the operation, the army announced on Sunday": not its day
                ev = replace(ev, date=None, time_precision=None, evidence=_without(ev.evidence, "date"))
            candidates[told] = (_absorb(candidates[told][0], ev), candidates[told][1], candidates[told][2])
            continue
        candidates.append((ev, dated, False))
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


def _taken(ev: Event, s: _Sentence, trigger: re.Match, places, rules: Rules) -> Event:
    """A place taken: the government's side regains it, anyone else overtakes it (ACLED's two sub-types); who took it
    is actor1, else the words before the trigger ("the army also took", "rebels seized"), else the words after
    "fell to" / "taken by". Nobody known: the Armed clash the type says."""
    t = rules.territory
    if t is None:
        return ev
    side = None
    if ev.actor1:
        state = places.get(ev.actor1_id) if ev.actor1_id else None
        if ev.actor1 not in t.government_actors and state is not None and state.kind == "country":
            return ev  # another state's forces: neither sub-type (the Armed clash stands)
        side = "government" if ev.actor1 in t.government_actors else "non_state"
    else:
        lo, _ = _clause(s.text, trigger.start(), rules)
        subject = s.text[max(0, lo - 60) if lo == 0 else lo: trigger.start()]
        passive = trigger.group(0).lower().endswith(" to") or re.match(r"\W*by\b", s.text[trigger.end():trigger.end() + 8])
        after = _starts(t.taker_after, s.text, trigger.end(), match=True) if passive else None
        for words in (subject, after.group("taker") if after else ""):
            gov = [m.start() for m in t.government_words.finditer(words)]
            non = [m.start() for m in t.non_state_words.finditer(words)]
            if gov or non:  # the nearer the trigger, the likelier the taker
                side = "government" if max(gov, default=-1) > max(non, default=-1) else "non_state"
                break
    if side is None:
        return ev
    sub = t.government if side == "government" else t.non_state
    return replace(ev, sub_event_type=sub, evidence=(*ev.evidence, Evidence(
        "sub_event_type", f"territory:taken by {'the government side' if side == 'government' else 'a non-state actor'}",
        s.text)))


def _antecedent(ev: Event, s: _Sentence, trigger: re.Match, candidates: list, rules: Rules) -> int | None:
    """The candidate a definite description of an event refers to ("The attack believed to have been carried out by
    Russian aircraft killed at least 18", "The projectile hit the building"): the latest one told in the body of the
    same event type, else the latest one told in the body; None when the trigger is no such description."""
    if rules.anaphor_before is None:
        return None
    described = bool(rules.anaphor_noun.search(trigger.group(0)) and _ends(rules.anaphor_before, s.text, trigger.start()))
    if not described and not _starts(rules.anaphor_start, s.text, 0, match=True):
        return None
    body = [i for i, (_, _, headline) in enumerate(candidates) if not headline]
    same = [i for i in body if candidates[i][0].event_type == ev.event_type]
    # a sentence opening "The attack came as … troops had executed 48 people" tells the attack only when its own
    # trigger is of the attack's type; the trigger itself a description ("the strike") may tell any type
    return (same or (body if described else []) or [None])[-1]


class _Countries:
    """The countries among `places`, by country code and by name (the first of each, as places orders them), made
    once per article when first needed: not a scan of every place for every event."""

    def __init__(self, places: Mapping[str, Location]):
        self.places, self._by_code, self._by_name = places, None, None

    def _index(self) -> None:
        self._by_code, self._by_name = {}, {}
        for i, loc in self.places.items():
            if loc.kind == "country":
                self._by_code.setdefault(loc.country, loc.name)
                self._by_name.setdefault(loc.name, i)

    def name_of(self, code: str | None) -> str | None:
        if self._by_code is None:
            self._index()
        return self._by_code.get(code)

    def id_named(self, name: str) -> str | None:
        if self._by_name is None:
            self._index()
        return self._by_name.get(name)


def _background(text: str, article: Article, rules: Rules) -> bool:
    """Events in general, or dated to an earlier year than the article's ("retook Aleppo in 2016")."""
    return bool(rules.any_background.search(text)) or (bool(article.date) and (any(
        int(m.group("year")) < int(article.date[:4]) for m in rules.past_year.finditer(text))))


def _past_month(text: str, trigger: re.Match, article: Article, rules: Rules) -> bool:
    """A month named without a day ("in May", "since early July", "Founded in October") other than the article's
    own, in the trigger's clause of a sentence that writes no day of its own: a recall of a month, background
    (events-gold.md §6: month-only recalls are no events)."""
    if rules.past_month is None or not article.date:
        return False
    own = int(article.date[5:7])
    lo, hi = _clause(text, trigger.start(), rules)
    recalled = any(MONTHS[m.group("month").lower()] + 1 != own for m in rules.past_month.finditer(text, lo, hi))
    if not recalled and not (rules.recall and rules.recall.search(text)):
        return False
    return not _own_day(text)


def _own_day(text: str) -> bool:
    """Does the sentence give a day of its own: a written date, or a weekday not after "since"?"""
    return any(regex.search(text) for _, regex in EXPLICIT_DATES) or any(
        not m.group(0).lower().startswith("since") and not re.search(r"\bsince\s*$", text[max(0, m.start() - 8): m.start()], re.I)
        for m in WEEKDAY.finditer(text))


def _trigger(text: str, rules: Rules, armed_article: bool):
    for kind in rules.types:
        for pattern in kind.triggers:
            if (m := pattern.regex.search(text)) is not None:
                if pattern.needs_context and not armed_article and not rules.armed_context.search(
                        text[: m.start()] + " " + text[m.end():]):
                    continue  # "the battle between cable and satellite": not armed violence
                return kind, pattern, m
    return None


def _shift(day: dt.date | None, days: int) -> dt.date | None:
    """`day` moved by `days`; None when that steps out of the calendar (before 0001-01-01, after 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days) if day is not None else None
    except OverflowError:
        return None


_WORD_NEXT = re.compile(r"\s*[^\W\d_]")


def _written_as_date(m: re.Match, text: str, name: str) -> bool:
    """Is an impossible day and month ("31 February", "Sept 31", "0th of May") written as a date, to be refused?
    Not when the words read otherwise: a day beyond 39 never matches, one beyond 31 is a count ("In May 35 people"),
    as is a number after a month followed by a word ("In September 31 people were killed"); "may" and "march" in
    lower case without a year are verbs ("some 35 may have died")."""
    written = m.group(0)
    as_date = bool(m.group("year") or re.search(r"\d(?:st|nd|rd|th)\b| of ", written, re.I))
    if int(m.group("day")) > 31 and not as_date:
        return False
    if m.group("month").rstrip(".") in ("may", "march") and not as_date:
        return False
    if name == "month day" and not as_date and _WORD_NEXT.match(text, m.end()):
        return False
    return True


def _date(ev: Event, s: _Sentence, trigger: re.Match, published: str | None, rules: Rules,
          warnings: list[str] | None = None) -> tuple[Event, bool]:
    """The date written in the sentence, resolved against the publication date: the one in the trigger's clause,
    else the one nearest the trigger. No publication date: only a date written in full ("12 March 2019") dates the
    event; a weekday or "last night" then says nothing (never invented). A date that does not exist ("31 February")
    or that the publication date puts outside the calendar ("on Saturday" published 9999-12-31, a Friday) is refused:
    it gives the event no date (not even the publication date), said so in its evidence and in `warnings`."""
    warnings = warnings if warnings is not None else []
    pub = dt.date.fromisoformat(published) if published else None
    found = []  # (start, end, day or None when refused, precision, rule)

    def refuse(m: re.Match, why: str, precision: int = 1) -> None:
        said = m.group(0).strip()
        found.append((m.start(), m.end(), None, precision, f"date:refused '{said}' ({why})"))
        warnings.append(f"refused the date '{_short(said, 40)}' ({why}) in: {_short(s.text, 160)}")

    out_of_range = f"out of the calendar from publication {published}"
    for name, regex in EXPLICIT_DATES if any(c.isdigit() for c in s.text) else ():
        for m in regex.finditer(s.text):
            if (pub is None and not m.group("year")) or _ends(rules.period_before, s.text, m.start()):
                continue
            year = int(m.group("year")) if m.group("year") else pub.year
            try:
                day = dt.date(year, MONTHS[m.group("month").lower().rstrip(".")], int(m.group("day")))
            except ValueError:
                if _written_as_date(m, s.text, name):
                    refuse(m, "no such day")
                continue
            if not m.group("year") and day > pub:
                if (day - pub).days <= 31:
                    continue  # "a visit scheduled for April 10": a coming date, not this event's
                try:
                    day = day.replace(year=year - 1)
                except ValueError:  # 29 February the year before, or year 0
                    refuse(m, "no such day" if year > 1 else out_of_range)
                    continue
            if day == pub and m.start() < 3:
                continue  # the dateline ("Nov 18 2017 20 civilians killed … on Friday evening"): the stamp, not the day
            found.append((m.start(), m.end(), day, 1, f"date:{name} '{m.group(0).strip()}'"))
    for m in WEEKDAY.finditer(s.text) if pub else ():
        back = (pub.weekday() - WEEKDAYS.index(m.group("weekday").lower())) % 7
        if m.group(0).lower().startswith("last ") and back == 0:
            back = 7
        if back == 6 and not m.group(0).lower().startswith("last "):
            # the day after the stamp ("on Tuesday" in a text stamped Monday): the stamp is a day behind (time
            # zones, an updated story); a day six days back would be written "last Tuesday"
            if (day := _shift(pub, 1)) is None:
                refuse(m, out_of_range)
                continue
            found.append((m.start(), m.end(), day, 1,
                          f"date:weekday '{m.group(0).strip()}' the day after the publication stamp {published}"))
            continue
        if (day := _shift(pub, -back)) is None:
            refuse(m, out_of_range)
            continue
        found.append((m.start(), m.end(), day, 1, f"date:weekday '{m.group(0).strip()}' before publication {published}"))
    for rel in rules.relative_dates if pub else ():
        for m in rel.regex.finditer(s.text):
            if (day := _shift(pub, -rel.days)) is None:
                refuse(m, out_of_range, rel.precision)
                continue
            found.append((m.start(), m.end(), day, rel.precision,
                          f"date:{rel.name} '{m.group(0)}' relative to publication {published}"))
    if found:  # "on Tuesday raised the toll from airstrikes the previous day": a day before the date it leans on
        for m in list(DAY_BEFORE.finditer(s.text))[:1]:
            leaned = min(found, key=lambda f: abs(f[0] - m.start()))
            start, end, day, precision, rule = leaned
            if day is not None and _shift(day, -1) is None:
                refuse(m, out_of_range, precision)
                found = found[-1:]
                break
            found = [(m.start(), m.end(), _shift(day, -1), precision, f"{rule}, then '{m.group(0)}'")]
    if not found:
        return ev, False
    lo, hi = _clause(s.text, trigger.start(), rules)
    mid = (trigger.start() + trigger.end()) / 2
    start, end, day, precision, rule = min(found, key=lambda f: (not (lo <= f[0] < hi), abs((f[0] + f[1]) / 2 - mid)))
    if day is None:  # refused: no date from this sentence, and not the publication date either (see _finish)
        return replace(ev, date=None, time_precision=None,
                       evidence=(*_without(ev.evidence, "date"), Evidence("date", rule, s.text))), False
    if rules.report_before is not None and (_ends(rules.report_before, s.text, start)
                                            or _starts(rules.report_after, s.text, end, match=True)):
        return _dated(ev, day, precision, rule + REPORT_DAY, s), False  # may join an event dated otherwise
    return _dated(ev, day, precision, rule, s), precision == 1


REPORT_DAY = " (the report's day)"


def _report_day(ev: Event) -> bool:
    return (why := ev.why("date")) is not None and why.rule.endswith(REPORT_DAY)


def _clause(text: str, at: int, rules: Rules) -> tuple[int, int]:
    """The span of the clause holding offset `at`: between the clause breaks ("after", "while", ", ") around it."""
    lo, hi = 0, len(text)
    for m in rules.clause_break.finditer(text):
        if m.end() <= at:
            lo = m.start()
        elif m.start() > at:
            hi = m.start()
            break
    return lo, hi


def _dated(ev: Event, day: dt.date, precision: int, rule: str, s: _Sentence) -> Event:
    return replace(ev, date=day.isoformat(), time_precision=precision,
                   evidence=(*_without(ev.evidence, "date"), Evidence("date", rule, s.text)))


def _without(evidence: tuple[Evidence, ...], *names: str) -> tuple[Evidence, ...]:
    return tuple(e for e in evidence if e.field not in names)


def _rank(m: Mention, places, home: str | None, anchor: int | None) -> tuple:
    """How good a place is for an event: mapped (has coordinates), in the article's own country, specific (a town,
    a neighbourhood or a facility all count as the place itself), not a dateline ("BEIRUT"), a town rather than the
    city its governorate is named after ("Ariha, Idlib"), nearest the trigger."""
    loc = places[m.target_id]
    return (loc.lat is not None or loc.kind == "country", home is None or loc.country == home, not _is_dateline(m),
            _level(loc), not _is_capital(loc.name, loc.admin1), -abs(m.start - anchor) if anchor is not None else -m.start)


def _level(loc: Location) -> int:
    return min(SPECIFICITY.get(loc.kind, 0), 3) if (loc.lat is not None or loc.kind == "country") else 0


def _foreign_country(m: Mention, places, home: str | None) -> bool:
    """A country other than the article's own ("US-led", "the border with Turkey") names an actor or a border, not
    where the event was."""
    loc = places[m.target_id]
    return home is not None and loc.kind == "country" and loc.country != home


def _is_dateline(m: Mention) -> bool:
    """'BEIRUT …', 'MOSCOW (Sputnik) …': where the story was filed, not where the event was."""
    return m.text.isupper() and len(m.text) > 3 and m.start - m.sentence_start < 3


def home_country(mentions: list[Mention], places, title: str = "", rules: Rules | None = None) -> str | None:
    """The country most of the article's places are in (datelines and countries named as such not counted), a
    country or place the headline names as a place ("in …", not "US-led") counting HEADLINE_WEIGHT more ("… Kills
    17 Turkish Soldiers in North Syria": Syria, though the body names Moscow, Ankara and Afrin once each)."""
    rules = rules or load_rules()
    counts = Counter(places[m.target_id].country for m in mentions
                     if _is_place(m, places) and places[m.target_id].country and places[m.target_id].kind != "country"
                     and not _is_dateline(m))
    counted: set[str] = set()
    for m in mentions:
        if (_is_place(m, places) and not m.rule.startswith("demonym") and places[m.target_id].country
                and m.text not in counted):
            counted.add(m.text)
            if any(rules.place_before.search(title[: at.start()])
                   for at in _named_in(title, m.text, compound=False)):  # not "in US-led strikes"
                counts[places[m.target_id].country] += HEADLINE_WEIGHT
    return counts.most_common(1)[0][0] if counts else None


def _place(ev: Event, s: _Sentence, trigger: re.Match, neighbours: list[_Sentence], places, home: str | None,
           lead: tuple[Mention, _Sentence] | None, rules: Rules) -> Event:
    """The best place in the sentence (see _rank); when the sentence names only a country, a region or nothing, a
    town of the same country from the next sentences of its paragraph. A place abroad ("Washington", a "BEIRUT"
    dateline) when the article is about another country: a place of that country from the next sentences or the
    lead, when there is one."""
    def best(sentence: _Sentence, anchor: int | None):
        found = [m for m in sentence.mentions if _is_place(m, places) and not _foreign_country(m, places, home)]
        return max(found, key=lambda m: _rank(m, places, home, anchor)) if found else None
    here = best(s, s.start + trigger.start())
    rule = "place:most specific in the sentence"
    where = s
    abroad = here is not None and home is not None and places[here.target_id].country != home
    capital = here is not None and _is_capital(places[here.target_id].name, places[here.target_id].admin1)
    if here is None or abroad or capital or _level(places[here.target_id]) < 3:
        for n in neighbours:
            other = best(n, None)
            if other is None or (abroad and places[other.target_id].country != home):
                continue
            if here is not None and not abroad and not _within(places[other.target_id], places[here.target_id]):
                continue  # "in Deir az-Zour province", then a village of that name elsewhere: not this event's
            town = places[other.target_id]
            if (abroad or _level(town) > (_level(places[here.target_id]) if here else 0)
                    or (capital and _level(town) >= 3 and not _is_capital(town.name, town.admin1))):
                if here is None or places[other.target_id].country in (places[here.target_id].country, home):
                    here, where, rule = other, n, "place:most specific in the next sentences"
                    abroad = False
                    break
    if abroad and lead is not None and places[lead[0].target_id].country == home:
        here, where, rule = lead[0], lead[1], "place:the lead's (the sentence names a place abroad)"
    if here is None:
        return ev
    ev = _located(ev, places[here.target_id], rule, where.text)
    loc = places[here.target_id]
    before, after = where.text[: max(0, here.start - where.start)], where.text[here.end - where.start:]
    if _is_capital(loc.name, loc.admin1) and (rules.province_before.search(before) or rules.province_after.match(after)):
        # "the province of Hassakeh", "Hama countryside": the governorate, at its capital's point (ACLED precision 3)
        ev = replace(ev, location_id=loc.admin1_id, location=loc.admin1, geo_precision=3, evidence=(
            *_without(ev.evidence, "location"), Evidence("location", f"{rule}, '{here.text}' named as its province", where.text)))
    return ev


def _unmapped_place(ev: Event, sentences: list[_Sentence], places, rules: Rules) -> Event:
    """A village or quarter the gazetteer lacks, named as a place ("in Tall Tawil village", "the village of
    Almehemdiya") where the event's place is only a governorate, a country or the city a governorate is named after:
    its name, at the known place's coordinates, geo_precision 2 (ACLED's "part of a region"). The name may have been
    read as an organisation ("al-Aziziyeh") or as a namesake abroad ("the Sulaymaniyah neighbourhood of Aleppo")."""
    if ev.location_id is None or (ev.geo_precision == 1 and not _is_capital(ev.location, ev.admin1)):
        return ev
    for s in sentences:
        for m in s.mentions:
            loc = places.get(m.target_id) if m.kind == "location" else None
            if m.rule.startswith("demonym") or not _NAME_START.match(m.text) or (loc is not None and (
                    loc.kind == "country" or (loc.lat is not None and loc.country == ev.country))):
                continue  # a country, or a place the gazetteer knows here (the place rules chose among those)
            if (_ends(rules.unmapped_place_named, s.text, m.start - s.start)
                    or _starts(rules.unmapped_place_after, s.text, m.end - s.start, match=True)):
                unmapped = loc is not None and loc.lat is None
                return replace(ev, location_id=loc.id if unmapped else PLACE_PREFIX + entity_id(m.text), location=m.text,
                               geo_precision=2, evidence=(*_without(ev.evidence, "location"), Evidence(
                                   "location", f"place:'{m.text}' (not in the gazetteer), at {ev.location}'s coordinates", s.text)))
    return ev


def _within(town: Location, area: Location) -> bool:
    """Can `town` be where an event the text places in `area` happened? When the area is a governorate (or lies in
    one), the town must lie in the same governorate, where the gazetteer knows both."""
    return area.admin1_id is None or town.admin1_id is None or town.admin1_id == area.admin1_id


def _located(ev: Event, loc: Location, rule: str, sentence: str) -> Event:
    spec = SPECIFICITY.get(loc.kind, 0)
    return replace(ev, location_id=loc.id, location=loc.name, latitude=loc.lat, longitude=loc.lon,
                   geo_precision=GEO_PRECISION.get(spec, 3), country=loc.country, admin1=loc.admin1,
                   evidence=(*_without(ev.evidence, "location"), Evidence("location", rule, sentence)))


def _actor_name(m: Mention, places, entity_names) -> str | None:
    if m.kind == "entity":
        return entity_names.get(m.target_id)
    loc = places.get(m.target_id)  # a country by its demonym ("Israeli") or its name ("US-led", "Russia's")
    return loc.name if loc is not None and (m.rule.startswith("demonym") or loc.kind == "country") else None


def _can_act(m: Mention, s: _Sentence, places, entity_names, rules: Rules) -> bool:
    """An entity or a country can be an actor; a country named where something happened ("in Syria") cannot, nor
    an outlet or monitor that reports it ("AFP", "RIA Novosti", "SOHR": data/sources.yml)."""
    name = _actor_name(m, places, entity_names)
    if not name or (m.kind == "entity" and (known_source(name) or known_source(m.text))):
        return False
    if m.kind == "location" and rules.place_after and _starts(rules.place_after, s.text, m.end - s.start, match=True):
        return False  # "the Turkish border": a place
    return m.kind == "entity" or m.rule.startswith("demonym") or not _ends(rules.place_before, s.text, m.start - s.start)


def _claimed(ev: Event, sentences: list[_Sentence], entity_names, rules: Rules) -> Event:
    """No attacker named: a group that claimed the attack ("Islamic State claimed responsibility")."""
    if ev.actor1 is not None:
        return ev
    for s in sentences:
        for m in s.mentions:
            if (m.kind == "entity" and m.target_id in entity_names and not known_source(entity_names[m.target_id])
                    and _starts(rules.claimed, s.text, m.end - s.start, match=True)):
                return replace(ev, actor1=entity_names[m.target_id], actor1_id=m.target_id, evidence=(
                    *ev.evidence, Evidence("actor1", "actor1:claimed the attack", s.text)))
    return ev


ACTORS_PATH = RULES_PATH.parent / "event_actors.yml"
USE_PARSER = True  # the dependency parse for agents (tests switch it off to test the rules alone)
PARSE_CHARS = 2_000  # a longer "sentence" (a paste without stops) is not parsed: the agent rules only


_VERB_TRIGGER = re.compile(r"\b\w+(?:ed|ck|ew|ok|ot)\b|\b(?:hit|shot|blew|took|fell|overran)\b", re.I)  # struck, blew, took, shot …
_BY_AFTER = re.compile(r"\W*(?:[\w-]+\s+){0,3}?by\b", re.I)


@functools.cache
def load_agents(path: Path = ACTORS_PATH) -> tuple[tuple[str, re.Pattern], ...]:
    """event_actors.yml: (actor, the written forms naming it), in order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple((a["actor"], re.compile(a["pattern"], re.I)) for a in data["agents"])


@functools.cache
def _parser():
    """spaCy's tagger and dependency parser from the model the build ships (the one builder/extract/model.py
    picks; its NER is not loaded again), once per process (about 1 s); None without spaCy or a model."""
    if not USE_PARSER:
        return None
    try:
        from ..extract.model import resolve_name
        name, _ = resolve_name(None)
        if not name:
            return None
        import spacy

        return spacy.load(name, exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
    except Exception:  # noqa: BLE001 - no parser: the agent rules only
        return None


def _parsed_agent(ev: Event, s: _Sentence, trigger: re.Match, places, entity_names, rules: Rules,
                  countries: _Countries) -> Event:
    """Who did it, by the dependency parse, when no rule named actor1: the subject of an active trigger verb ("the
    army shelled", "rebels attacked"), the agent of a passive one ("were killed by rebels"), the object of "by" after
    a noun trigger ("raids by the coalition"). The agent's noun phrase names an entity or a country (a mention in
    it), else an actor of event_actors.yml."""
    if len(s.text) > PARSE_CHARS or not (_VERB_TRIGGER.search(trigger.group(0))
                                         or _BY_AFTER.match(s.text, trigger.end(), trigger.end() + 40)):
        return ev  # a noun trigger with no "by" after it has no agent the parse could find: not parsed (cost)
    nlp = _parser()
    if nlp is None:
        return ev
    doc = nlp(s.text)
    tokens = [t for t in doc if trigger.start() <= t.idx < trigger.end()]
    if not tokens:
        return ev
    verbs = [t for t in tokens if t.tag_.startswith("VB")]
    head = verbs[-1] if verbs else tokens[-1]
    agent = None
    if head.tag_.startswith("VB"):
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children) or head.tag_ == "VBN" and head.dep_ in ("acl", "relcl"):
            agent = next((g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        else:
            agent = next((c for c in head.children if c.dep_ == "nsubj"), None)
        how = "the subject of" if agent is not None and agent.dep_ == "nsubj" else "the agent ('by') of"
    else:
        agent = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.children
                      if g.dep_ == "pobj"), None)
        how = "'by' after"
    if agent is None:
        return ev
    phrase = doc[agent.left_edge.i: agent.i + 1]
    lo, hi = s.start + phrase.start_char, s.start + phrase.end_char
    rule = f"actor1:{how} '{head.text}' (dependency parse)"
    for m in s.mentions:
        if lo <= m.start and m.end <= hi and _can_act(m, s, places, entity_names, rules):
            name = _actor_name(m, places, entity_names)
            if name:
                return replace(ev, actor1=name, actor1_id=m.target_id, evidence=(*ev.evidence, Evidence("actor1", rule, s.text)))
    for actor, pattern in load_agents():
        if pattern.search(phrase.text):
            return replace(ev, actor1=actor, actor1_id=countries.id_named(actor), evidence=(
                *ev.evidence, Evidence("actor1", f"{rule}, '{phrase.text}'", s.text)))
    return ev


def _claimed_in_article(events: list[Event], sentences: list[_Sentence], entity_names, rules: Rules) -> list[Event]:
    """The first bombing (rules.unattributed_sub_event_types) that names no attacker: the one group the article says
    claimed an attack, else the one group it says the victims' side blamed (alleged)."""
    at = next((i for i, e in enumerate(events) if e.actor1 is None and e.sub_event_type in rules.unattributed_sub_event_types), None)
    if at is None:
        return events
    found: dict[str, dict[str, tuple[str, str]]] = {"claimed": {}, "blamed": {}}
    for s in sentences:
        for m in s.mentions:
            if m.kind != "entity" or m.target_id not in entity_names or known_source(entity_names[m.target_id]):
                continue
            if _starts(rules.claimed, s.text, m.end - s.start, match=True):
                found["claimed"].setdefault(m.target_id, (entity_names[m.target_id], s.text))
            elif rules.blamed_before is not None and _ends(rules.blamed_before, s.text, m.start - s.start):
                found["blamed"].setdefault(m.target_id, (entity_names[m.target_id], s.text))
    for how, alleged in (("claimed", False), ("blamed", True)):
        if len(found[how]) == 1:
            (target, (name, sentence)), = found[how].items()
            events[at] = replace(events[at], actor1=name, actor1_id=target, alleged=alleged, evidence=(
                *events[at].evidence, Evidence("actor1", f"actor1:{how} the attack (elsewhere in the article)", sentence)))
            break
    return events


def _described_actor(text: str, trigger: re.Match, rules: Rules) -> tuple[str, str] | None:
    """(actor, the words) for an attacker only described, right before the trigger ("regime warplanes killed") or
    after "by" following it ("dropped by government helicopters")."""
    lo = max(0, trigger.start() - rules.actor_window - 20)
    before = text[lo: trigger.end()]  # a description may run into the trigger ("Regime warplanes struck"), not follow it
    nearest = max(((m.end(), name, m.group(0)) for name, pattern in rules.described_actors for m in pattern.finditer(before)
                   if lo + m.start() <= trigger.start() and not rules.described_victim_after.match(text, lo + m.end())
                   and not rules.described_counted_before.search(text, max(0, lo + m.start() - 40), lo + m.start())),
                  default=None)  # of several descriptions, the one nearest the trigger ("Rebels said regime raids …")
    if nearest is not None:
        return nearest[1], nearest[2]
    after = text[trigger.end(): trigger.end() + 80]
    if (by := re.search(r"\bby\s+(?:the\s+)?", after)) is not None:
        for name, pattern in rules.described_actors:
            if (found := pattern.match(after, by.end())) is not None:
                return name, found.group(0)
    for name, pattern in rules.weapon_actors:
        if (found := pattern.search(text)) is not None:
            return name, found.group(0)
    return None


def _actors(ev: Event, s: _Sentence, trigger: re.Match, places, entity_names, rules: Rules,
            countries: _Countries | None = None) -> Event:
    countries = countries or _Countries(places)
    t0, t1 = s.start + trigger.start(), s.start + trigger.end()
    actor1 = rule = None
    before = [m for m in s.mentions if t0 - rules.actor_window <= m.start and m.end <= t0
              and _can_act(m, s, places, entity_names, rules) and not _starts(rules.source_after, s.text, m.end - s.start)
              and not rules.dateline_agency.search(s.text[: m.start - s.start])]
    if before:
        actor1, rule = before[-1], "actor1:named right before the trigger"
    else:
        for m in s.mentions:
            if m.start >= t1 and _can_act(m, s, places, entity_names, rules) and _ends(rules.by_actor, s.text, m.start - s.start):
                actor1, rule = m, "actor1:after 'by' following the trigger"
                break
    evidence = list(ev.evidence)
    alleged = False
    described = None if actor1 is not None else _described_actor(s.text, trigger, rules)
    if actor1 is not None:
        alleged = bool(rules.alleged.search(s.text[max(0, actor1.start - s.start - 30): actor1.start - s.start]))
        evidence.append(Evidence("actor1", rule + (" (alleged)" if alleged else ""), s.text))
    elif described is not None:
        evidence.append(Evidence("actor1", f"actor1:described as '{described[1]}'", s.text))
    taken = {actor1.target_id} if actor1 else set()
    actor1_name = _actor_name(actor1, places, entity_names) if actor1 else described[0] if described else None
    if actor1 is not None and actor1_name and rules.led_coalition and _starts(rules.led_coalition, s.text, actor1.end - s.start, match=True):
        actor1_name = "US-led coalition" if actor1_name == "United States" else f"{actor1_name}-led coalition"
        evidence.append(Evidence("actor1", "actor1:a country leading a coalition ('-led coalition')", s.text))
        actor1 = replace(actor1, target_id="")  # the coalition has no page of its own
    actor2 = next((m for m in s.mentions if t1 <= m.start <= t1 + rules.actor2_window and m.target_id not in taken
                   and m is not actor1 and _can_act(m, s, places, entity_names, rules)
                   and _actor_name(m, places, entity_names) != actor1_name
                   and (m.kind == "entity" or _starts(rules.armed_nouns, s.text, m.end - s.start, match=True))
                   and not _ends(rules.by_actor, s.text, m.start - s.start)
                   and not (rules.controller_before and _ends(rules.controller_before, s.text, m.start - s.start))
                   and not (rules.controller_after and _starts(rules.controller_after, s.text, m.end - s.start, match=True))
                   and not _ends(rules.source_before, s.text, m.start - s.start)
                   and not _starts(rules.source_after, s.text, m.end - s.start)), None)
    actor2_name = _actor_name(actor2, places, entity_names) if actor2 else None
    if actor2 is not None:
        evidence.append(Evidence("actor2", "actor2:named after the trigger", s.text))
    elif (hit := rules.civilian_words.search(s.text)) is not None:
        country = countries.name_of(ev.country)
        actor2_name = f"Civilians ({country})" if country else "Civilians"
        evidence.append(Evidence("actor2", f"actor2:civilians ('{hit.group(0)}')", s.text))
    actor1_id = (actor1.target_id or None) if actor1 else (  # a described state's forces: the country's page
        countries.id_named(described[0]) if described else None)
    return replace(ev, actor1=actor1_name, actor1_id=actor1_id, alleged=alleged,
                   actor2=actor2_name, actor2_id=actor2.target_id if actor2 else None, evidence=tuple(evidence))


def find_fatalities(text: str, rules: Rules | None = None, refused: list[str] | None = None) -> tuple[str, int, str] | None:
    """→ (the number as written, as an integer, the rule) for the first fatality pattern that matches. A figure that
    cannot be a toll (beyond rules.max_fatalities, too many digits to read, number words that are no one number) is
    refused: None, and why appended to `refused`."""
    rules = rules or load_rules()
    if not rules.fatality_cue.search(text):
        return None
    for pattern in rules.fatalities:
        for m in pattern.regex.finditer(text):
            written = m.group("num")
            value, why = read_number(written)
            if why is None and value is not None and value > rules.max_fatalities:
                why = f"more than {rules.max_fatalities:,} killed in one event: event_rules.yml max_fatalities"
            if why is not None:
                if refused is not None:
                    refused.append(f"refused the toll '{_short(written, 40)}' ({why}) in: {_short(text, 160)}")
                return None
            if value is not None and not (1900 <= value <= 2100 and written.isdigit()):
                whole = rules.subgroup_of and _ends(rules.subgroup_of, text, m.start("num"))
                if whole and (total := read_number(whole.group("num")))[1] is None and total[0] is not None \
                        and value < total[0] <= rules.max_fatalities:
                    return whole.group("num"), total[0], f"{pattern.name} (the whole, not its sub-group)"
                return written, value, pattern.name
    return None


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split()) if len(text) <= 4 * limit else " ".join(text[: 4 * limit].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fatalities(ev: Event, s: _Sentence, neighbours: list[_Sentence], rules: Rules, warnings: list[str]) -> Event:
    for n in [s, *neighbours]:
        refused = len(warnings)
        if (found := find_fatalities(n.text, rules, warnings)) is not None:
            written, value, name = found
            return replace(ev, fatalities_text=written, fatalities=value,
                           evidence=(*ev.evidence, Evidence("fatalities", f"fatalities:{name}", n.text)))
        if len(warnings) > refused:
            return ev  # the sentence's toll is refused: the event keeps none
    return ev


def _source(ev: Event, s: _Sentence, entity_names, rules: Rules) -> Event:
    for m in s.mentions:
        if m.kind != "entity" or m.target_id not in entity_names:
            continue
        if _ends(rules.source_before, s.text, m.start - s.start) or _starts(rules.source_after, s.text, m.end - s.start):
            return replace(ev, source=entity_names[m.target_id],
                           evidence=(*ev.evidence, Evidence("source", "source:reported by (in the sentence)", s.text)))
    return ev


def _compatible(a: Event, a_dated: bool, b: Event, b_dated: bool, places) -> bool:
    """The same event told twice in one article: same sub-type, places that agree (the same, or one only a country
    holding the other, or unknown) and dates that agree (the same, or one not written)."""
    if a.sub_event_type != b.sub_event_type:
        return False
    if a.location_id and b.location_id and a.location_id != b.location_id:
        la, lb = places.get(a.location_id), places.get(b.location_id)
        if not ((la and la.kind == "country" and lb and lb.country == la.country)
                or (lb and lb.kind == "country" and la and la.country == lb.country)
                or _holds(la, lb) or _holds(lb, la)):
            return False
    if a.date and b.date and a.date != b.date and a_dated and b_dated:
        return False
    return True


def _is_governorate(loc: Location | None) -> bool:
    return loc is not None and loc.admin1_id is not None and loc.id == loc.admin1_id


def _holds(area: Location | None, town: Location | None) -> bool:
    """`area` is a governorate and `town` lies in it: "in Idlib province on Tuesday" and "Khan Sheikhoun" in the
    next sentence tell one event, at the more specific place (one event per place and day, told at two scales)."""
    if area is None or town is None or town.id == area.id or not town.admin1_id:
        return False
    return (_is_governorate(area) and town.admin1_id == area.id) or (
        _is_capital(area.name, area.admin1) and town.admin1_id == area.admin1_id and not _is_governorate(town))


def _is_capital(name: str | None, admin1: str | None) -> bool:
    """The city a governorate is named after ("Idlib" in Idlib Governorate): news writes its name for the whole
    province ("a hospital in Maaret al-Numan, Idlib")."""
    return bool(name and admin1) and admin1.lower().startswith(name.lower() + " ")


def _town_in_its_capitals_stead(town: Event, capital: Event) -> bool:
    """`town` names the place where `capital` (a governorate's namesake city) names only its province: a town of
    the same governorate, or within CAPITAL_KM of the city (Douma for "Damascus")."""
    if not _is_capital(capital.location, capital.admin1) or _is_capital(town.location, town.admin1) or town.geo_precision != 1:
        return False
    if town.admin1 and town.admin1 == capital.admin1:
        return True
    return None not in (town.latitude, town.longitude, capital.latitude, capital.longitude) and km(
        town.latitude, town.longitude, capital.latitude, capital.longitude) <= CAPITAL_KM


_PART_OF_THE_DEAD = re.compile(r"^\s+(?:of\s+(?:the|them|those|whom)\b|(?:[\w-]+\s+)?(?:children|child|women|men|girls|boys|babies|infants|members|"
                               r"pilots|soldiers|troops|fighters|rebels|militants|officers|policemen)\b)", re.I)


def _part_of_the_dead(ev: Event) -> bool:
    """Is the event's toll a count of one group of the dead ("Eleven children were killed", "25 members of the Nusra
    Front") rather than of everyone (people, civilians)? Such a figure is not compared with the whole one."""
    why = ev.why("fatalities")
    if why is None or not ev.fatalities_text:
        return False
    at = why.sentence.find(ev.fatalities_text)
    return at >= 0 and bool(_starts(_PART_OF_THE_DEAD, why.sentence, at + len(ev.fatalities_text), match=True))


def _absorb(into: Event, other: Event) -> Event:
    """`into` takes from `other` what it lacks or what `other` knows better (a more specific place, a more precise
    date), with the evidence for it."""
    changes: dict = {}
    evidence = list(into.evidence)

    def take(name: str, fields: tuple[str, ...]):
        nonlocal evidence
        changes.update({f: getattr(other, f) for f in fields})
        evidence = [e for e in evidence if e.field != name] + [e for e in other.evidence if e.field == name]

    if other.date and (not into.date or (other.time_precision or 9) < (into.time_precision or 9)
                       or (_report_day(into) and not _report_day(other) and other.time_precision == 1)):
        take("date", ("date", "time_precision"))  # the event's own day before the report's
    if other.location_id and (not into.location_id or (other.geo_precision or 9) < (into.geo_precision or 9)
                              or _town_in_its_capitals_stead(other, into)):
        take("location", ("location_id", "location", "latitude", "longitude", "geo_precision", "country", "admin1"))
    if other.actor1 and not into.actor1:
        take("actor1", ("actor1", "actor1_id", "alleged"))
    if other.actor2 and not into.actor2:
        take("actor2", ("actor2",  "actor2_id"))
    if other.fatalities is not None and (into.fatalities is None or (
            other.fatalities < into.fatalities and not _part_of_the_dead(other) and not _part_of_the_dead(into)) or (
            other.fatalities > into.fatalities and _part_of_the_dead(into) and not _part_of_the_dead(other))):
        # ACLED: the lowest figure the telling gives for all its dead (a count of some of them is no such figure)
        take("fatalities", ("fatalities", "fatalities_text"))
    if other.source and not into.source:
        take("source", ("source",))
    return replace(into, **changes, evidence=tuple(evidence))


def _merge(candidates: list[tuple[Event, bool, bool]], places, warnings: list[str] | None = None,
           deaths_only: frozenset[str] | set[str] = frozenset()) -> list[Event]:
    """The same event told in several sentences becomes one; the headline's event (first, when the headline has
    one) takes its fields from the body event that tells it. A headline that says only who died (its trigger in
    `deaths_only`: "Seven children killed in Aleppo") tells the body's event whatever its type: the body says how."""
    headline = candidates[0][0] if candidates and candidates[0][2] else None
    merged: list[list] = []  # [event, dated]
    slots = _Slots(places)  # which slot each candidate joins: the first _compatible one, found by key, not by a scan
    for ev, dated, _ in candidates[1:] if headline else candidates:
        i = slots.first(ev, dated)
        if i is None:
            merged.append([ev, dated])
            slots.add(len(merged) - 1, ev, dated)
            continue
        slot = merged[i]
        before = slots.keys(slot[0], slot[1])
        slot[0] = _absorb(slot[0], ev)
        slot[1] = slot[1] or dated
        if (after := slots.keys(slot[0], slot[1])) != before:  # a more specific place, a date of its own
            slots.move(i, before, after)
    events = [slot[0] for slot in merged]
    if headline is not None:
        how_unsaid = any(e.field == "event_type" and e.rule in deaths_only for e in headline.evidence)
        i = _told(headline, events, any_type=how_unsaid)
        if i is None:
            events.insert(0, _headline_toll(headline, headline, warnings if warnings is not None else []))
        else:
            told = events.pop(i)
            if not how_unsaid:  # the headline's word for the event's type stands; else the body's
                told = replace(told, evidence=(*_without(headline.evidence, "actor1", "actor2"),
                                               *_without(told.evidence, "event_type")))
            if told.actor1 is None and headline.actor1 is not None:
                told = replace(told, actor1=headline.actor1, actor1_id=headline.actor1_id, alleged=headline.alleged,
                               evidence=(*told.evidence, *(replace(e, rule=e.rule + " (the headline)")
                                                           for e in headline.evidence if e.field == "actor1")))
            events.insert(0, _headline_toll(told, headline, warnings if warnings is not None else []))
    return [replace(e, n=i) for i, e in enumerate(events)]


_ALL = ("*",)  # a key every slot has: the query of a candidate with no place (or no date of its own)
_ANY = ("?",)  # the key of a slot with no place (or no date of its own): every candidate may join it


class _Slots:
    """The merged events of one article by what _compatible asks of them, so that a candidate finds the first slot
    it may join by looking up its keys, not by comparing itself with every slot (sentences × events was minutes for
    a dossier of 30,000 events). A slot is listed under (sub-event type, place key, date key) for each of its place
    keys and its date key, and under _ALL for each; a candidate looks up the keys that _compatible accepts:

    - place: the same location id; a slot placed in a country holding the candidate's place, or (a candidate
      placed in a country) a slot placed in that country; a slot with no place (_ANY); any slot (_ALL) when the
      candidate has no place;
    - date: the same date (both dated by their own sentence); a slot without a date of its own (_ANY); any slot
      (_ALL) when the candidate has no date of its own."""

    def __init__(self, places):
        self.places = places
        self.buckets: dict[tuple, list[int]] = {}  # key → slot numbers, ascending

    def keys(self, ev: Event, dated: bool) -> tuple[tuple, ...]:
        if ev.location_id:
            loc = self.places.get(ev.location_id)
            where = [("id", ev.location_id)]
            if loc:
                where.append(("in", loc.country))  # a candidate placed in this country may join
                if loc.kind == "country":
                    where.append(("country", loc.country))  # a candidate placed anywhere in it may join
                if _is_governorate(loc):
                    where.append(("gov", loc.id))  # a candidate placed anywhere in this governorate may join
                elif loc.admin1_id:
                    where.append(("in1", loc.admin1_id))  # a candidate placed in its governorate may join
                    if _is_capital(loc.name, loc.admin1):  # "Idlib" written for the province
                        where.append(("cap", loc.admin1_id))
        else:
            where = [_ANY]
        when = ("d", ev.date) if ev.date and dated else _ANY
        return tuple((ev.sub_event_type, w, d) for w in (*where, _ALL) for d in (when, _ALL))

    def add(self, i: int, ev: Event, dated: bool) -> None:
        for key in self.keys(ev, dated):
            bisect.insort(self.buckets.setdefault(key, []), i)

    def move(self, i: int, old: tuple[tuple, ...], new: tuple[tuple, ...]) -> None:
        for key in old:
            bucket = self.buckets[key]
            del bucket[bisect.bisect_left(bucket, i)]
        for key in new:
            bisect.insort(self.buckets.setdefault(key, []), i)

    def first(self, ev: Event, dated: bool) -> int | None:
        if ev.location_id:
            loc = self.places.get(ev.location_id)
            where = [_ANY, ("id", ev.location_id)]
            if loc:
                where.append(("country", loc.country))  # slots placed in the country holding this place
                if loc.kind == "country":
                    where.append(("in", loc.country))  # slots placed anywhere in this country
                if _is_governorate(loc):
                    where.append(("in1", loc.id))  # slots placed anywhere in this governorate
                elif loc.admin1_id:
                    where.append(("gov", loc.admin1_id))  # slots placed in the governorate holding this place
                    where.append(("cap", loc.admin1_id))  # ... or in its namesake city, written for it
                    if _is_capital(loc.name, loc.admin1):
                        where.append(("in1", loc.admin1_id))  # slots placed in the province it is written for
        else:
            where = [_ALL]
        when = [_ANY, ("d", ev.date)] if ev.date and dated else [_ALL]
        found = [bucket[0] for w in where for d in when if (bucket := self.buckets.get((ev.sub_event_type, w, d)))]
        return min(found) if found else None


def _headline_toll(ev: Event, headline: Event, warnings: list[str]) -> Event:
    """The headline's toll ("US-led strikes kill 82 civilians") when the body's telling of the event gives none."""
    if ev.fatalities is not None or (found := find_fatalities(headline.sentence, refused=warnings)) is None:
        return ev
    written, value, name = found
    return replace(ev, fatalities_text=written, fatalities=value,
                   evidence=(*ev.evidence, Evidence("fatalities", f"fatalities:{name} (the headline)", headline.sentence)))


def _told(headline: Event, events: list[Event], any_type: bool = False) -> int | None:
    """Which body event the headline reports: of the same event type, the first at the headline's place (in its
    governorate, when the headline names the city a governorate is named after: "Blasts in Homs" and the body's
    "Akrameh"), else the nearest one within HEADLINE_KM of it, else (the headline naming no place) the first."""
    same = [i for i, e in enumerate(events) if any_type or e.event_type == headline.event_type]
    if not same:
        return None
    if headline.location_id is None:
        return same[0]
    province = _is_capital(headline.location, headline.admin1)
    at = [i for i in same if events[i].location_id == headline.location_id
          or (province and events[i].admin1 == headline.admin1 and events[i].geo_precision == 1)]
    if at:
        return at[0]
    near = [(km(headline.latitude, headline.longitude, events[i].latitude, events[i].longitude), i) for i in same
            if None not in (headline.latitude, events[i].latitude)]
    near = [x for x in near if x[0] <= HEADLINE_KM]
    return min(near)[1] if near else None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def _named_in(title: str, name: str, compound: bool = True) -> list[re.Match]:
    """Where the headline writes `name` as a word (`compound=False`: not as in "US-led")."""
    return list(re.finditer(r"\b" + re.escape(name) + (r"\b" if compound else r"\b(?!-)"), title))


def _headline_place(ev: Event, title: str, mentions: list[Mention], places, home: str | None) -> Event:
    """The first of the article's places the headline names (as the body writes it)."""
    named = [m for m in mentions if _is_place(m, places) and not _foreign_country(m, places, home)
             and _level(places[m.target_id]) > 1 and _named_in(title, m.text)]
    if not named:
        return ev
    at = {m.target_id: _named_in(title, m.text)[0].start() for m in named}
    best = min(named, key=lambda m: (at[m.target_id], [-x for x in _rank(m, places, home, None)[:4]], m.target_id))
    return _located(ev, places[best.target_id], "place:named in the headline", title)


def _lead_place(sentences: list[_Sentence], places, home: str | None) -> tuple[Mention, _Sentence] | None:
    """The best place of the first sentence naming one (in the article's country, when `home` is given)."""
    for s in sentences:
        found = [m for m in s.mentions if _is_place(m, places) and not _foreign_country(m, places, home)
                 and (home is None or places[m.target_id].country == home)]
        if found:
            return max(found, key=lambda m: _rank(m, places, home, None)), s
    return None


def _unattributed(ev: Event, rules: Rules) -> Event:
    """A bombing nothing attributes: ACLED's unidentified armed group (rules.unattributed_actor)."""
    if ev.actor1 or not rules.unattributed_actor or ev.sub_event_type not in rules.unattributed_sub_event_types:
        return ev
    return replace(ev, actor1=rules.unattributed_actor, evidence=(
        *ev.evidence, Evidence("actor1", f"actor1:a {ev.sub_event_type.lower()} attributed to no one", ev.sentence)))


def _unattributed_air(events: list[Event], article: Article, rules: Rules) -> list[Event]:
    """Air strikes in the country whose air force is the only one the article names (rules.unattributed_air)
    attributed to no one: that state's (ACLED's convention for unattributed warplanes in Syria)."""
    air = rules.unattributed_air
    todo = [i for i, e in enumerate(events) if air and e.actor1 is None and e.country == air["country"]
            and e.sub_event_type in air["sub_event_types"]]
    if not todo or air["other"].search(article.title + "\n" + article.body):
        return events
    for i in todo:
        events[i] = replace(events[i], actor1=air["actor"], evidence=(*events[i].evidence, Evidence(
            "actor1", "actor1:an air strike attributed to no one, no other air force named in the article", events[i].sentence)))
    return events


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
