"""Heading anchors for the Markdown pages (mkdocs.yml: `toc: slugify: !!python/name:builder.site.toc.slugify`).

Generated headings carry counts ("People (86)", "Syria (17)"); a deep link must not break when a count changes,
so the count is left out of the anchor: `#people`, `#syria`. Everything else is Python-Markdown's own slug.
"""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify as _markdown_slugify

_TRAILING_COUNT = re.compile(r"\s*\(\s*[\d,.]+\s*\)\s*$")


def slugify(value: str, separator: str) -> str:
    return _markdown_slugify(_TRAILING_COUNT.sub("", value) or value, separator)
