"""A curator's Markdown, rendered within bounds: nesting has a depth limit and the body a size limit.

Python-Markdown parses a list item's or a quote's content by recursing into its block parser, once per level:
`- - - … x` (a thousand markers on one line) or `> - > - …` overflowed the stack. Rather than patterns for each
marker, the block parser gets a depth counter: past MAX_DEPTH, the rest of a block is kept as plain text in
a paragraph. Its block and inline processors re-scan the rest of a block after each match (quadratic in a
block's length: 60 KB of `&` in one block took 15 s), so a block over MAX_BLOCK_CHARS is shown as written,
as text; and a body over MAX_CHARS is not rendered as Markdown at all: ingest publishes it as plain text, with
a warning.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from .escape import md_curated
from .paragraph_ids import END, START, ParagraphIds

MAX_DEPTH = 12  # blocks inside blocks: lists in quotes in lists; real articles nest two or three deep
MAX_CHARS = 60_000  # a curated Markdown body (a long news article is under 30,000 characters)
MAX_BLOCKS = 2_000  # blank-line-separated blocks in a curated body
MAX_BLOCK_CHARS = 8_000  # one block (a long news paragraph is about 1,500 characters)
_BLOCKS = re.compile(r"(\n[ \t]*\n)")
_LITERAL = "ARCHIVELITERALBLOCK{}X"  # letters only: no Markdown pattern matches it


class _DepthLimit(Extension):
    def extendMarkdown(self, md):
        parser = md.parser
        parse_blocks = parser.parseBlocks
        depth = [0]  # per Markdown instance: one instance renders one body

        def bounded(parent: etree.Element, blocks: list[str]) -> None:
            if depth[0] >= MAX_DEPTH:
                paragraph = etree.SubElement(parent, "p")
                paragraph.text = markdown.util.AtomicString("\n".join(blocks))  # shown as written, not parsed
                blocks.clear()
                return
            depth[0] += 1
            try:
                parse_blocks(parent, blocks)
            finally:
                depth[0] -= 1

        parser.parseBlocks = bounded


class _Literals(Treeprocessor):
    """Puts each long block back, as text, where its placeholder paragraph stands (before inline patterns run)."""

    def __init__(self, md, literals: list[str]):
        super().__init__(md)
        self.literals = literals

    def run(self, root):
        for element in root.iter("p"):
            text = element.text or ""
            if text.startswith("ARCHIVELITERALBLOCK") and text.endswith("X") and text[19:-1].isdigit():
                element.text = markdown.util.AtomicString(self.literals[int(text[19:-1])])
        return root


class _LongBlocksAsText(Extension):
    def __init__(self, literals: list[str]):
        super().__init__()
        self.literals = literals

    def extendMarkdown(self, md):
        md.treeprocessors.register(_Literals(md, self.literals), "archive_literal_blocks", 30)


def too_large(body: str) -> str | None:
    """Why `body` is not rendered as Markdown (None: it is)."""
    if len(body) > MAX_CHARS:
        return f"the Markdown body has {len(body):,} characters (more than {MAX_CHARS:,})"
    if body.count("\n\n") + 1 > MAX_BLOCKS:
        return f"the Markdown body has more than {MAX_BLOCKS:,} blocks"
    return None


def render(body: str) -> str:
    """A curated Markdown body → HTML, its blocks numbered (paragraph_ids). Raw HTML stays text (md_curated)."""
    literals: list[str] = []
    parts = _BLOCKS.split(body)
    for i in range(0, len(parts), 2):  # the even parts are blocks, the odd ones their separators
        if len(parts[i]) > MAX_BLOCK_CHARS:
            literals.append(parts[i].strip())
            parts[i] = _LITERAL.format(len(literals) - 1)
    text = md_curated("".join(parts))
    return markdown.markdown(f"{START}\n\n{text}\n\n{END}",
                             extensions=["tables", ParagraphIds(), _DepthLimit(), _LongBlocksAsText(literals)])
