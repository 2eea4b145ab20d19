"""The rules of builder/data/event_rules.yml, loaded once, and the numbers a toll is written in."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml


RULES_PATH = Path(__file__).resolve().parent.parent.parent / "data" / "event_rules.yml"

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
    people_taken: re.Pattern  # people captured, not a place: such a trigger is no territory change


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
    weekend: re.Pattern | None = None
    place_list: re.Pattern | None = None
    not_a_list_before: re.Pattern = re.compile(r"(?!)")
    part_of_the_dead: re.Pattern = re.compile(r"(?!)")
    city_before: re.Pattern = re.compile(r"(?!)")
    city_after: re.Pattern = re.compile(r"(?!)")
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
                            re.compile(t["non_state_words"]), c(t["taker_after"]), c(t["people_taken"])),
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
        recall=c("|".join(f"(?:{p})" for p in data["recall"])), weekend=c(data["weekend"]), place_list=c(data["place_list"]), not_a_list_before=c(data["not_a_list_before"]),
        part_of_the_dead=c(data["part_of_the_dead"]), city_before=c(data["city_before"]), city_after=c(data["city_after"]),
        report_before=c(data["report_before"]), blamed_before=c(data["blamed_before"]),
        unattributed_air={**data["unattributed_air"], "other": re.compile(data["unattributed_air"]["other_air_forces"]),
                          "airborne": c(data["unattributed_air"].get("airborne", r"(?!)"))}, report_after=c(data["report_after"]),
        subgroup_of=c(data["subgroup_of"].replace("NUM", NUM)),
        controller_before=c(data["controller_before"]), controller_after=c(data["controller_after"]),
        unattributed_sub_event_types=frozenset(data["unattributed_sub_event_types"]),
    )
