"""Markdown or text files that start with YAML front matter (`---` … `---`).

Front-matter fields override what is detected in the text: that is how a curator fixes a date or a
title without touching the article itself. The YAML is loaded with the safe loader, so tags such
as !!python/object are refused, never run.
"""

from __future__ import annotations

import re

import frontmatter
import yaml

from . import cleanup, fields, from_text
from .parsed import Parsed

FRONT_MATTER = re.compile(r"^\ufeff?---[ \t]*\r?\n")
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")


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
    try:
        post = frontmatter.loads(text.lstrip("\ufeff"))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(f"invalid YAML front matter{at}: {reason}") from None
    if not isinstance(post.metadata, dict):
        raise ValueError("front matter must be a YAML mapping of field: value")
    return post.metadata, post.content


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
                  image_credit=found.image_credit, contributors=found.contributors)
