"""The theme's page shell, rendered once per folder and filled for each article, entity and location page.

mkdocs renders every page through Markdown and the theme's full template, a fixed cost of several
milliseconds a page, and an archive has several entity and location pages per article. All of a folder's
pages share one shell: the same depth gives the same relative links, scripts and nav. So the plugin
adds one stub page per folder (`entities/__archive_shell__.md`), lets mkdocs render it like any
other page, and fills the result with each page's title and content. The stub is removed after.
"""

from __future__ import annotations

import gzip
import html
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

STUB_NAME = "__archive_shell__"
TITLE_TOKEN = "ARCHIVE-SHELL-TITLE"
# The content is an <h1> so the theme adds no title heading of its own (the page content brings its own).
CONTENT_TOKEN = "<h1>ARCHIVE-SHELL-CONTENT</h1>"
STUB_MARKDOWN = f"---\ntitle: {TITLE_TOKEN}\nsearch:\n  exclude: true\n---\n\nshell\n"
_SITEMAP_URL = re.compile(r"\s*<url>(?:(?!</url>).)*?" + STUB_NAME + r"(?:(?!</url>).)*?</url>", re.S)


def stub_uri(folder: str) -> str:
    return f"{folder}/{STUB_NAME}.md"


def is_stub(src_uri: str) -> bool:
    return posixpath.basename(src_uri) == f"{STUB_NAME}.md"


@dataclass(frozen=True)
class Shell:
    """A rendered stub page, split where the content goes."""

    before: str
    after: str

    @classmethod
    def parse(cls, page_html: str) -> "Shell":
        before, found, after = page_html.partition(CONTENT_TOKEN)
        if not found or CONTENT_TOKEN in after:
            raise ValueError("the theme did not render the shell's content marker exactly once")
        return cls(before, after)

    def fill(self, title: str, content: str, name: str) -> str:
        """`name`: the page's file name without .md; it replaces the stub's in URLs (the canonical link)."""
        title = html.escape(title)
        return (self.before.replace(TITLE_TOKEN, title).replace(STUB_NAME, name) + content
                + self.after.replace(TITLE_TOKEN, title).replace(STUB_NAME, name))


def fill_sitemap(site_dir: Path, names_by_folder: dict[str, list[str]]) -> None:
    """mkdocs lists the stubs in sitemap.xml (when site_url is set): list the filled pages instead."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text("utf-8")

    def expand(match: re.Match) -> str:
        block = match.group(0)
        folder = next((f for f in names_by_folder if f"{f}/{STUB_NAME}" in block), None)
        return "".join(block.replace(STUB_NAME, html.escape(name)) for name in names_by_folder.get(folder, []))

    text = _SITEMAP_URL.sub(expand, text)
    sitemap.write_text(text, "utf-8")
    gz = site_dir / "sitemap.xml.gz"
    if gz.is_file():
        mtime = int.from_bytes(gz.read_bytes()[4:8], "little")  # keep mkdocs' build timestamp: same input, same bytes
        with open(gz, "wb") as f, gzip.GzipFile(fileobj=f, filename=str(gz), mode="wb", mtime=mtime) as out:
            out.write(text.encode("utf-8"))


def remove_stub_output(site_dir: Path, dest_uri: str) -> None:
    target = site_dir / dest_uri
    target.unlink(missing_ok=True)
    if target.name == "index.html" and target.parent.name == STUB_NAME:
        try:
            os.rmdir(target.parent)
        except OSError:
            pass
