"""Making untrusted article text inert in Markdown and HTML.

Every character that Markdown or HTML could act on is escaped, so a title such as
"<script>…" or "[x](javascript:…)" shows as the characters it is made of.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

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


def md_curated(markdown: str) -> str:
    """A curator's Markdown: kept as Markdown, but raw HTML is shown as text (links are vetted after rendering)."""
    return markdown.replace("&", "&amp;").replace("<", "&lt;")


def md_filter(text: str | None) -> Markup:
    """Jinja filter: text → Markdown-safe, already HTML-escaped."""
    return Markup(md_text(text))
