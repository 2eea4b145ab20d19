"""Markdown or text files that start with YAML front matter (`---` … `---`).

Front-matter fields override what is detected in the text: that is how a curator fixes a date or a
title without touching the article itself. The YAML is loaded with the safe loader, so tags such
as !!python/object are refused, never run; plain values stay text (`time: 21:48` is "21:48", not
YAML 1.1's sexagesimal 1308; `id: 007` is "007", not octal 7; `date: 2020-02-30` is a bad date, not
a crash), and the front matter is read only up to `MAX_FRONT_MATTER` characters (PyYAML is pure
Python: a megabyte of YAML takes ~20 s).
"""

from __future__ import annotations

import re

import yaml

from . import cleanup, fields, from_text
from .parsed import Parsed

FRONT_MATTER = re.compile(r"^\ufeff?---[ \t]*\r?\n")
BOUNDARY = re.compile(r"^-{3,}[ \t]*\r?$", re.MULTILINE)  # the line closing the front matter
MAX_FRONT_MATTER = 100_000
HEADING = re.compile(r"^#\s+(.+?)(?:\s+#+)?\s*$")  # "# Title #"; no backtracking blow-up on "# ####…x"


class _TextLoader(yaml.SafeLoader):
    """SafeLoader whose plain scalars are all text (or null): no implicit bool/int/float/timestamp.

    Aliases (`*name`) are refused: a curator's fields never need them, and nine nested lists of nine
    aliases (the "billion laughs") load as a tiny graph that anything printing it expands to gigabytes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"found alias *{event.anchor}: aliases are not allowed in front matter",
                                              event.start_mark)
        return super().compose_node(parent, index)


_TextLoader.yaml_implicit_resolvers = {
    first: kept
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if (kept := [(tag, rx) for tag, rx in resolvers if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")])
}


def has_front_matter(text: str) -> bool:
    return bool(FRONT_MATTER.match(text))


def parse(text: str, *, markdown_body: bool) -> Parsed:
    meta, body = _split(text) if has_front_matter(text) else ({}, text)
    given_title = fields.scalar_text(meta.get("title")) or None
    if markdown_body:
        parsed = _parse_markdown_body(body, given_title)
    else:
        parsed = from_text.parse(body, title=given_title)
    return fields.apply(parsed, meta, where="front matter", warn_unknown=True)


def _split(text: str) -> tuple[dict, str]:
    """`---\\n<YAML mapping>\\n---\\n<body>` → (fields, body); a ValueError says what is wrong with the YAML."""
    opening = FRONT_MATTER.match(text)
    closing = BOUNDARY.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        raise ValueError("front matter is not closed: the first line is '---' but no later line is '---'")
    if closing.start() - opening.end() > MAX_FRONT_MATTER:
        raise ValueError(f"front matter is longer than {MAX_FRONT_MATTER:,} characters; refused")
    try:
        meta = yaml.load(text[opening.end():closing.start()], Loader=_TextLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 2}, column {where.column + 1})" if where else ""  # +2: the '---' line
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(f"invalid YAML front matter{at}: {reason}") from None
    except (ValueError, OverflowError) as exc:  # an explicit tag with a bad value: !!timestamp 2020-02-30, !!int 1e999
        raise ValueError(f"invalid YAML front matter: {exc}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ValueError(f"front matter must be a YAML mapping of field: value, not a {type(meta).__name__}")
    return meta, text[closing.end():].strip()


def _parse_markdown_body(body: str, title: str | None) -> Parsed:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", cleanup.normalise(body)) if b.strip()]
    if blocks and (m := HEADING.match(blocks[0].split("\n")[0])):
        heading = m.group(1)
        rest_of_block = blocks[0].split("\n", 1)[1:]  # a heading may share its block with text below
        blocks = rest_of_block + blocks[1:]
        title = title or heading
    if not title:
        if not blocks:
            raise ValueError("no title: give one in the front matter or as a '# Heading'")
        first_line, _, rest_of_block = blocks[0].partition("\n")
        title, blocks = first_line, ([rest_of_block] if rest_of_block else []) + blocks[1:]
    found = cleanup.BodyFurniture()
    blocks = cleanup.strip_furniture(blocks, found)
    return Parsed(title=title, paragraphs=blocks, body_is_markdown=True, image_caption=found.image_caption,
                  image_credit=found.image_credit, contributors=found.contributors, furniture=found.removed)
