"""Raw text pasted from a news site.

The shape, top to bottom (every part optional but the title):

     date 2020-05-06 The Jerusalem Post - Israel News Coronavirus …   ← clipping header: date, site furniture
    Report: Iranian-backed militia evacuates from Aleppo               ← title
    The headquarters are being moved …                                 ← dek (subtitle)
    By TZVI JOFFRE                                                     ← byline, maybe ", OUTLET"
    MAY 6, 2020 21:48                                                  ← dateline
    An Israeli air force F15 … (photo credit: AMIR COHEN/REUTERS)      ← caption
    …body paragraphs, one per line or separated by blank lines…
    Read  2 terrorists killed as …                                     ← related link
    Anna Ahronheim contributed to this report.                         ← contributors
"""

from __future__ import annotations

import re

from . import cleanup, dates, furniture, sources
from .parsed import Parsed

CLIP_HEADER = re.compile(r"^date\s+(?P<date>\S+)\s*(?P<site>.*)$", re.I)
HEAD_LINES = 8  # byline, dateline and dek sit within this many lines below the title
DATE_SEARCH_CHARS = 200  # a date written at the top of the first paragraph is the publication date


def parse(text: str, *, title: str | None = None) -> Parsed:
    """`title`, when a curator gave one, is taken as is; a first line repeating it is dropped."""
    lines = cleanup.normalise(text).split("\n")
    blocks = _paragraphs(lines)
    warnings: list[str] = []

    header_date, site = None, None
    if blocks and (m := CLIP_HEADER.match(blocks[0])):
        try:
            header_date = dates.parse_date_value(m["date"])
        except ValueError as exc:
            warnings.append(f"clipping header: {exc}")
        site = m["site"] or None
        blocks = blocks[1:]
    if not blocks:
        raise ValueError("no title or text after the header line")

    title_outlet = None
    if title is not None:
        rest = blocks[1:] if cleanup.same_text(blocks[0], title) else blocks
    else:
        title, rest = blocks[0], blocks[1:]
        title, title_outlet = sources.split_title(title)  # "… | Jordan Times": the outlet, not the headline
    if len(title) > 250:  # no title line: the text starts straight away
        warnings.append("the first line is too long to be a title; its first sentence is used")
        title, rest = _first_sentence(title), blocks

    parsed = Parsed(title=title, paragraphs=[], warnings=warnings)
    head, body = rest[:HEAD_LINES], rest[HEAD_LINES:]
    byline_at = dateline_at = None
    dateline = None
    for i, line in enumerate(head):
        if byline_at is None and (m := cleanup.BYLINE.match(line)):
            byline_at = i
            _apply_byline(parsed, m["byline"])
        elif dateline is None and (stated := dates.is_dateline(line)):
            dateline_at, dateline = i, stated
    furniture_ends = max(i for i in (byline_at, dateline_at, -1) if i is not None)
    if furniture_ends >= 0:
        deks = [p for i, p in enumerate(head[:furniture_ends]) if i not in (byline_at, dateline_at)]
        if deks and len(deks) <= 2:
            parsed.subtitle = " ".join(deks)
        paragraphs = [p for i, p in enumerate(head) if i > furniture_ends or (i < furniture_ends and not parsed.subtitle and i not in (byline_at, dateline_at))] + body
    else:
        paragraphs = rest

    found = cleanup.BodyFurniture()
    paragraphs = cleanup.strip_furniture(paragraphs, found)
    if parsed.subtitle is None and len(paragraphs) > 2 and len(paragraphs[0]) < 400 and any(cleanup.same_text(paragraphs[0], p) for p in paragraphs[1:]):
        parsed.subtitle, paragraphs = paragraphs[0], paragraphs[1:]  # a dek with no byline below it
    if parsed.subtitle:  # pages often repeat the dek as a body paragraph
        for i, p in enumerate(paragraphs):
            if cleanup.same_text(p, parsed.subtitle):
                del paragraphs[i]
                break
    stamped = paragraphs[0] if paragraphs else ""  # the first paragraph with its publication stamp, for the date
    page = furniture.Removed()
    paragraphs = furniture.strip(paragraphs, page, title)

    parsed.paragraphs = paragraphs
    parsed.image_caption, parsed.image_credit = found.image_caption, found.image_credit
    parsed.contributors = found.contributors
    if dateline:
        parsed.date, parsed.time = dateline.date, dateline.time
    elif header_date:
        parsed.date = header_date
    elif stamped and (found_date := dates.find_date(stamped[:DATE_SEARCH_CHARS])):
        parsed.date = found_date.date
        parsed.time = found_date.time
    if site and not parsed.source:
        parsed.source = sources.source_from_header(site)
    parsed.source = parsed.source or title_outlet or page.outlet
    parsed.furniture = found.removed + page.texts  # captions, links, share buttons, then page furniture
    return parsed


def _apply_byline(parsed: Parsed, byline: str) -> None:
    """'TZVI JOFFRE' / 'Debbie Reiss, World Israel News' / 'A, B and C | Reuters'."""
    parts = [p for p in re.split(r"\s*[,|]\s*", byline.strip()) if p]
    outlet = parts.pop() if len(parts) > 1 and _is_outlet(parts[-1]) else None
    parsed.authors = cleanup.split_names(", ".join(parts))
    if outlet:
        parsed.source = sources.known_source(outlet) or outlet


OUTLET_WORDS = re.compile(r"\b(?:News|Post|Times|Agency|Press|Online|TV|Network|Media|Journal|Daily|Herald|Tribune|Gazette|Monitor|Magazine|Radio)\b")


def _is_outlet(text: str) -> bool:
    return bool(sources.known_source(text) or OUTLET_WORDS.search(text))


def _paragraphs(lines: list[str]) -> list[str]:
    """Each non-empty line is a paragraph, unless the text is hard-wrapped (then blank lines separate them)."""
    non_empty = [line for line in lines if line]
    if not non_empty:
        return []
    blocks, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    lengths = sorted(len(line) for line in non_empty)
    wrapped = len(non_empty) >= 6 and lengths[len(lengths) // 2] < 90 and len(blocks) < len(non_empty) * 0.6 and max(lengths) < 100
    if wrapped:
        return [" ".join(block) for block in blocks]
    return non_empty


def _first_sentence(text: str) -> str:
    m = re.match(r"(.{20,200}?[.!?])\s", text)
    return m.group(1) if m else text[:120].rsplit(" ", 1)[0] + "…"
