"""Saved web pages: trafilatura finds the main text and the page's metadata."""

from __future__ import annotations

import re

import trafilatura
from trafilatura.settings import Document

from . import cleanup, fields, from_text, sources
from .parsed import Parsed


# Elements whose content a browser never shows as text: code, and the raw text inside <iframe> (an
# unclosed one swallows the rest of the page as a string of markup). trafilatura leaves them in what it
# reads the title from: an unclosed <h1> around a <script> made the script's source the title.
CODE_ELEMENTS = ("script", "style", "template", "iframe", "noembed", "noframes")
# A start tag's attributes: libxml2 checks each new attribute against the ones before it (quadratic: one <p>
# with 200,000 attributes parsed for more than ten minutes). Real tags are under a few hundred characters;
# a longer one loses its attributes before parsing (its element and text stay).
MAX_TAG_CHARS = 8_000
_TAG = re.compile(r"""<([a-zA-Z][\w:-]{0,40})\s(?:[^<>"']++|"[^"]*+"|'[^']*+')*+>""")


def _short_tag(tag: re.Match) -> str:
    return f"<{tag.group(1)}>" if len(tag.group()) > MAX_TAG_CHARS else tag.group()


def parse(html: str) -> Parsed:
    tree = trafilatura.load_html(_TAG.sub(_short_tag, html))
    if tree is None:
        raise ValueError("no article text found in the HTML page (it does not parse as HTML)")
    for element in list(tree.iter(*CODE_ELEMENTS)):  # a list: emptying one while iterating skips the next
        # Emptied, not dropped: drop_tree() re-sets the neighbour's text, which lxml refuses when it holds
        # a control character ("All strings must be XML compatible"), refusing the whole page.
        element.text = None
        del element[:]
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Only dates the page states about itself: no guessing from the text or the file.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    # A Document (as_dict is left False), or None when the page holds no text.
    if not isinstance(doc, Document) or not doc.text or not doc.text.strip():
        raise ValueError("no article text found in the HTML page")
    title = fields.scalar_text(doc.title) or None
    parsed = from_text.parse(doc.text, title=title)
    if doc.author and not parsed.authors:
        parsed.authors = cleanup.split_names(fields.scalar_text(doc.author.replace(";", ",")) or "")
    parsed.date = doc.date or parsed.date
    sitename = fields.scalar_text(doc.sitename)
    parsed.source = sources.known_source(sitename) or sitename or parsed.source or sources.source_from_url(doc.url)
    # The page's own address (canonical link, og:url) is as untrusted as its text.
    parsed.source_url = fields.web_url(doc.url)
    parsed.subtitle = parsed.subtitle or fields.scalar_text(doc.description) or None
    parsed.language = doc.language
    return parsed
