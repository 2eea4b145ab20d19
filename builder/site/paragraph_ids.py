"""A Markdown extension: number the blocks of an article body (id="p1", "p2", …).

Done while Markdown builds the page, not after, so mkdocs' own link checker sees the anchors that
entity and location pages link to.
"""

from __future__ import annotations

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

BODY_CLASS = "article-body"


class _NumberParagraphs(Treeprocessor):
    def run(self, root):
        for div in root.iter("div"):
            if div.get("class") == BODY_CLASS:
                for number, block in enumerate(div, start=1):
                    block.set("id", f"p{number}")
        return root


class ParagraphIds(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_NumberParagraphs(md), "archive_paragraph_ids", 5)


def makeExtension(**kwargs):
    return ParagraphIds(**kwargs)
