"""A Markdown extension for curated (.md) article bodies: the body, between `<!-- archive:body -->` and
`<!-- /archive:body -->`, becomes `<div class="article-body">` with its blocks numbered (id="p1", "p2", …),
the anchors entity and location pages link to. Plain-text bodies get the same markup from snippets.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

START, END = "<!-- archive:body -->", "<!-- /archive:body -->"
BODY_CLASS = "article-body"


class _WrapBody(Treeprocessor):
    def run(self, root):
        children = list(root)
        marks = {self._marker(child): i for i, child in enumerate(children) if self._marker(child)}
        if START not in marks or END not in marks or marks[END] < marks[START]:
            return root
        start, end = marks[START], marks[END]
        body = etree.Element("div", {"class": BODY_CLASS})
        for number, block in enumerate(children[start + 1: end], start=1):
            block.set("id", f"p{number}")
            root.remove(block)
            body.append(block)
        root.insert(start, body)
        root.remove(children[start])
        root.remove(children[end])
        return root

    def _marker(self, element) -> str | None:
        """The body marker a stashed raw-HTML placeholder stands for, if any."""
        if element.tag != "p" or not element.text or len(element) or not element.text.startswith("\x02"):
            return None
        stash = self.md.htmlStash
        for index, block in enumerate(stash.rawHtmlBlocks):
            if isinstance(block, str) and block.strip() in (START, END) and element.text == stash.get_placeholder(index):
                return block.strip()
        return None


class ParagraphIds(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_WrapBody(md), "archive_paragraph_ids", 5)


def makeExtension(**kwargs):
    return ParagraphIds(**kwargs)
