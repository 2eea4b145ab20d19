"""When: a date written in the sentence, resolved against the publication date (events-gold.md §3, §6)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from ...ingest.dates import MONTHS, WEEKDAYS  # the one date vocabulary
from .records import Event, Evidence, _Sentence, _ends, _short, _starts, _without
from .rules import Rules



_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

EXPLICIT_DATES = [
    ("day month", re.compile(r"\b(?:on )?(?P<day>[0-3]?\d)(?:st|nd|rd|th)? (?:of )?" + _MONTH + r"(?:,? (?P<year>(?:19|20)\d\d))?\b", re.I)),
    ("month day", re.compile(r"\b(?:on )?" + _MONTH + r" (?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:,? (?P<year>(?:19|20)\d\d))?\b", re.I)),
]

WEEKDAY = re.compile(r"\b(?:on |late |early |last |since )?(?P<weekday>" + "|".join(WEEKDAYS) + r")(?:'s|’s|s)?\b", re.I)

DAY_BEFORE = re.compile(r"\b(?:the previous day|the day before|a day earlier|the previous night|the night before)\b", re.I)


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
    found: list[tuple[int, int, dt.date | None, int, str]] = []  # (start, end, day or None when refused, precision, rule)
    day: dt.date | None
    pub_weekday = pub.weekday() if pub else 0  # read only by the loops that run with a publication date

    def refuse(m: re.Match, why: str, precision: int = 1) -> None:
        said = m.group(0).strip()
        found.append((m.start(), m.end(), None, precision, f"date:refused '{said}' ({why})"))
        warnings.append(f"refused the date '{_short(said, 40)}' ({why}) in: {_short(s.text, 160)}")

    out_of_range = f"out of the calendar from publication {published}"
    for name, regex in EXPLICIT_DATES if any(c.isdigit() for c in s.text) else ():
        for m in regex.finditer(s.text):
            if _ends(rules.period_before, s.text, m.start()):
                continue
            if m.group("year"):
                year = int(m.group("year"))
            elif pub is not None:
                year = pub.year
            else:
                continue
            try:
                day = dt.date(year, MONTHS[m.group("month").lower().rstrip(".")], int(m.group("day")))
            except ValueError:
                if _written_as_date(m, s.text, name):
                    refuse(m, "no such day")
                continue
            if not m.group("year") and pub is not None and day > pub:
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
        back = (pub_weekday - WEEKDAYS.index(m.group("weekday").lower())) % 7
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
    for m in rules.weekend.finditer(s.text) if pub and rules.weekend is not None else ():
        # "over the weekend": its Sunday, the last on or before publication (events-gold.md §6: time_precision 2)
        if (day := _shift(pub, -((pub_weekday - 6) % 7))) is None:
            refuse(m, out_of_range, 2)
            continue
        found.append((m.start(), m.end(), day, 2, f"date:weekend '{m.group(0)}' before publication {published}"))
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
    if rules.report_before is not None and rules.report_after is not None and (
            _ends(rules.report_before, s.text, start) or _starts(rules.report_after, s.text, end, match=True)):
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
