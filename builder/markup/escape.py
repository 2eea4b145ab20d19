"""Making untrusted article text inert in Markdown and HTML.

Every character that Markdown or HTML could act on is escaped, so a title such as
"<script>…" or "[x](javascript:…)" shows as the characters it is made of.
"""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup


def site_json(data, **dumps) -> str:
    """json.dumps for every JSON file or block the site publishes: UTF-8 kept as it is (ensure_ascii=False), but
    U+2028 and U+2029 written as \\u2028 and \\u2029. JSON allows them raw in strings, JavaScript before ES2019 did
    not (they end a line), so raw they could break any script context the JSON is put in. Only strings can hold
    them, so the escaped text decodes to the same data, and it is as deterministic as json.dumps."""
    return json.dumps(data, ensure_ascii=False, **dumps).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_INLINE = re.compile(r"([\\`*_\[\]{}|!])")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+[.)])")


def md_text(text: str | None) -> str:
    """Plain text → Markdown that renders as exactly that text."""
    if not text:
        return ""
    text = html.escape(text, quote=False)
    text = _INLINE.sub(r"\\\1", text)
    lines = [_LINE_START.sub(lambda m: m.group(1) + "".join("\\" + c if not c.isdigit() else c for c in m.group(2)), line) for line in text.split("\n")]
    return "  \n".join(lines)  # spaces kept: this may be a fragment between a link and the next word


MAX_INDENT = 16  # columns of leading white space kept on a line: lists nest at most a few levels deep
MAX_QUOTE_DEPTH = 8  # leading '>' kept on a line
MAX_BRACKETS = 64  # a block with more '[' shows them all as text (link parsing is quadratic in them)
_INDENT = re.compile(r"^[ \t]+", re.M)
_QUOTES = re.compile(r"^((?:[ \t]*>){%d})(?:[ \t]*>)+" % MAX_QUOTE_DEPTH, re.M)
_BLOCKS = re.compile(r"(\n[ \t]*\n)")


def md_curated(markdown: str) -> str:
    """A curator's Markdown: kept as Markdown, but raw HTML is shown as text (links are vetted after rendering).
    Nesting and brackets are bounded: Python-Markdown recurses per list level (a list a thousand deep
    overflowed the stack) and its link patterns backtrack over runs of '['."""
    markdown = markdown.replace("&", "&amp;").replace("<", "&lt;")
    markdown = _INDENT.sub(lambda m: m.group().expandtabs(4)[:MAX_INDENT], markdown)
    markdown = _QUOTES.sub(r"\1", markdown)
    if markdown.count("[") > MAX_BRACKETS:
        markdown = "".join(b.replace("[", "&#91;") if b.count("[") > MAX_BRACKETS else b for b in _BLOCKS.split(markdown))
    return markdown


def md_filter(text: str | None) -> Markup:
    """Jinja filter: text → Markdown-safe, already HTML-escaped."""
    return Markup(md_text(text))
