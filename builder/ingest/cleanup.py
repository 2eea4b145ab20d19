"""Text normalisation and the line rules shared by every input kind.

Pasted news pages carry furniture around the story: photo captions, "Read …" links to other
stories, "X contributed to this report." lines, share buttons. These rules recognise each one so
the body keeps only the article's own paragraphs, while the fields they carry (caption, credit,
contributors) are kept as metadata.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2002\u2003\u2009\u200a\u3000\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201a"): "'", ord("\u2032"): "'",
           ord("\u201c"): '"', ord("\u201d"): '"', ord("\u201e"): '"', ord("\u2033"): '"'}


_LINE_BREAKS = {ord("\u2028"): "\n", ord("\u2029"): "\n\n"}  # Unicode line / paragraph separators
_BLANKS = re.compile(r"\s+")  # within a line: every run of white space (any Unicode space, \v, \f, \x1c-\x1f, \x85)


def normalise(text: str) -> str:
    """Unicode NFC, plain spaces and quotes, Unix line ends, no trailing blanks.

    Every run of white space in a line becomes one space: the line rules below (`\\s*`, `\\s+`) then never
    meet a long run, which would make them backtrack quadratically (a line of 200,000 U+2005 took minutes)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    text = text.translate(_SPACES).translate(_INVISIBLE).translate(_QUOTES)
    return "\n".join(_BLANKS.sub(" ", line).strip() for line in text.split("\n"))


CAPTION = re.compile(r"^(?P<caption>.*?)\s*\((?:photo\s*credit|photo|credit|image|picture)\s*:\s*(?P<credit>[^()]{1,120})\)\s*$", re.I)
CONTRIBUTED = re.compile(r"^(?P<names>[^.]{2,120}?)\s+contributed to this (?:report|article|story)\.?$", re.I)
READ_LINK = re.compile(r"^(?:read(?: more| also)?|see also|related|recommended)\s*[:\-\u2013\u2014]?\s+(?P<headline>.{3,200})$", re.I)
BYLINE = re.compile(r"^by\s+(?P<byline>[^.!?]{2,150})$", re.I)
# Whole lines that are page furniture, not prose (compared lower-cased, trailing punctuation dropped).
FURNITURE = frozenset({
    "advertisement", "share", "tweet", "email", "print", "subscribe", "comments", "comment", "facebook",
    "twitter", "whatsapp", "telegram", "linkedin", "reddit", "copy link", "more stories", "related articles",
    "recommended", "most read", "sign up", "log in", "login", "menu", "home", "back to top", "read more",
    "share this article", "follow us", "get short url", "click here to subscribe",
})


def is_read_link(line: str) -> bool:
    """'Read  2 terrorists killed…': a related-story link. Prose rarely starts with 'Read' and lacks a full stop."""
    m = READ_LINK.match(line)
    # "Related parties agreed on a truce" (prose, its full stop lost) goes on in lower case: it is kept.
    return m is not None and not line.rstrip().endswith((".", "?\"", ".\"")) and len(line) < 220 and not m["headline"][:1].islower()


def is_furniture(line: str) -> bool:
    return line.lower().rstrip(".:!|»›>- ") in FURNITURE


def split_names(text: str) -> list[str]:
    """'Anna Ahronheim and Reuters' / 'A, B and C' → names, with ALL-CAPS names in Title Case."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|;\s*", text.strip().strip("."))
    return [title_case_name(p.strip()) for p in parts if p.strip()]


def title_case_name(name: str) -> str:
    if name.isupper() and len(name) > 3:
        return " ".join(_cap_word(w) for w in name.split())
    return name


def _cap_word(word: str) -> str:
    # Keep "al-" particles lower-case ("AL-ASSAD" → "al-Assad" would be wrong at a name start, so only mid-name).
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))


@dataclass
class BodyFurniture:
    """What cleaning took out of the body, kept as article metadata."""

    image_caption: str | None = None
    image_credit: str | None = None
    contributors: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def strip_furniture(paragraphs: list[str], found: BodyFurniture) -> list[str]:
    """Drop captions, credit lines, related links and share buttons; record what they said."""
    kept = []
    for para in paragraphs:
        caption = CAPTION.match(para) if len(para) < 600 else None
        contributed = CONTRIBUTED.match(para)
        if caption:
            if found.image_caption is not None:  # the article has one caption field: a second stays in the body
                kept.append(para)
                continue
            found.image_caption = caption["caption"].strip() or None
            found.image_credit = title_case_credit(caption["credit"])
            found.removed.append(para)
        elif contributed:
            found.contributors.extend(n for n in split_names(contributed["names"]) if n not in found.contributors)
            found.removed.append(para)
        elif is_read_link(para) or is_furniture(para):
            found.removed.append(para)
        else:
            kept.append(para)
    return kept


def title_case_credit(credit: str) -> str:
    """'AMIR COHEN/REUTERS' → 'Amir Cohen/Reuters'; agencies that are acronyms stay as they are."""
    return "/".join(p if len(p) <= 4 else title_case_name(p) for p in (s.strip() for s in credit.split("/")))


def same_text(a: str, b: str) -> bool:
    squash = lambda s: re.sub(r"\W+", "", s).lower()  # noqa: E731
    return squash(a) == squash(b)
