"""Finding the date an article states about itself.

A regular expression finds candidate date expressions (they must carry a year, so "on Tuesday"
or "May 6" never become dates); dateutil turns the matched text into a date. Nothing is guessed:
an article without a written date gets none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as dateutil_parser

# The date vocabulary of the whole builder (the events' dates use it too: aggregate/events/dates.py): a month's
# names and abbreviations → its number, the weekdays.
MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"  # longest first: "september" before "sep"
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_TIME = r"(?:\s*(?:at\s+)?(?P<time>(?:[01]?\d|2[0-3])[:.]?[0-5]\d)(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?:GMT|UTC|[A-Z]{2,4}T))?)?"

DATE_EXPRESSION = re.compile(
    rf"""\b(?:{_WEEKDAY}\s+)?(?P<date>
        (?P<iso>{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))
      | (?P<dmy_num>(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./]{_YEAR})
      | (?P<mdy>{_MONTH}\s+{_DAY},?\s+{_YEAR})
      | (?P<mdy_glued>{_MONTH}\s+(?:[12]\d|3[01]|0[1-9]){_YEAR})  # "Apr 152017", as some sites print it
      | (?P<dmy>{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR})
    )(?!\d){_TIME}""",  # no \b: "21.08.2013Get short URL" is glued to the next word
    re.I | re.X,
)


_HAS_YEAR = re.compile(r"(?:19[5-9]\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    date: str  # YYYY-MM-DD
    time: str | None  # HH:MM
    start: int
    end: int


# "on 1 February 1995" inside a sentence is an event, not the article's own date;
# "Posted on July 20 2016" is the article's.
_PROSE_BEFORE = re.compile(r"(?:^|[^\w])(?P<prev>\w+\s+)?(?:on|since|until|till|from|by|before|after|in|of|between|and)\s+$", re.I)
_STAMP_WORDS = {"posted", "published", "updated", "date", "dated", "publication"}


def find_date(text: str) -> FoundDate | None:
    """The first well-formed date expression with a year in `text` that is not part of a sentence's prose."""
    for m in DATE_EXPRESSION.finditer(text):
        prose = _PROSE_BEFORE.search(text[max(0, m.start() - 40): m.start()])
        if prose and (prose["prev"] or "").strip().lower() not in _STAMP_WORDS:
            continue
        day = _to_date(m)
        if day is not None:
            return FoundDate(day.isoformat(), _to_time(m), m.start(), m.end())
    return None


def is_dateline(line: str) -> FoundDate | None:
    """A line that is nothing but a date (and maybe a time), like 'MAY 6, 2020 21:48'."""
    if len(line) > 60 or not _HAS_YEAR.search(line):
        return None  # most lines are prose: skip the big expression
    m = DATE_EXPRESSION.search(line)
    if m and not re.sub(r"[\W_]+", "", line[: m.start()] + line[m.end():]).strip():
        day = _to_date(m)
        if day is not None:
            return FoundDate(day.isoformat(), _to_time(m), m.start(), m.end())
    return None


def parse_date_value(value: object) -> str | None:
    """A date given by a curator (front matter, JSON): a date object or a string in any common form.

    Raises ValueError when the value is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        # Never str() a list or mapping: a YAML alias bomb makes one that prints to gigabytes.
        raise ValueError(f"the date should be text such as 2020-05-06, not a {type(value).__name__}")
    try:
        text = str(value).strip()
    except ValueError:  # an int too long to print (Python's 4,300-digit limit)
        raise ValueError("the date is a number too long to be a date") from None
    m = DATE_EXPRESSION.search(text)
    if m and m.start() == 0:
        day = _to_date(m)
        if day is not None:
            return day.isoformat()
    try:  # ISO 8601 timestamps such as 2020-05-06T21:48:00Z, as scrapers write them
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise ValueError(f"unparseable date {text[:60]!r}") from None


def _to_date(m: re.Match) -> dt.date | None:
    text = m["date"]
    try:
        if m["iso"]:
            return dt.date.fromisoformat(text)
        if m["mdy_glued"]:
            text = f"{text[:-4]} {text[-4:]}"
        return dateutil_parser.parse(text, dayfirst=bool(m["dmy_num"] or m["dmy"]), default=dt.datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def _to_time(m: re.Match) -> str | None:
    raw = m["time"]
    if not raw or not re.search(r"[:.]", raw) and not m["ampm"] and len(raw) != 4:
        return None
    digits = re.sub(r"\D", "", raw)
    hours, minutes = int(digits[:-2]), int(digits[-2:])
    if m["ampm"] and m["ampm"].lower().startswith("p") and hours < 12:
        hours += 12
    if hours > 23:
        return None
    return f"{hours:02d}:{minutes:02d}"
