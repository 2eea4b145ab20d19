"""Where every generated thing lives: one module for the page, URL and output-file paths.

A page is named by its *source path*, the path its Markdown would have inside docs/ ("entities/hezbollah.md",
"locations/index.md"): the name mkdocs gives pages, so hand-written pages and nav entries use the same
spelling. From it come the page's URL (directory URLs: "entities/hezbollah/") and its output file
("entities/hezbollah/index.html"). Output paths are site-relative, '/'-separated, never absolute, never '..'.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import NewType

from slugify import slugify

# Each kind of path its own type, so a URL is never passed where a source path is expected (mypy checks it):
SourcePath = NewType("SourcePath", str)  # a page's Markdown path inside docs/: "entities/hezbollah.md"
SiteUrl = NewType("SiteUrl", str)  # its URL from the site's root: "entities/hezbollah/"
OutputPath = NewType("OutputPath", str)  # the file the site holds for it: "entities/hezbollah/index.html"
RelativeUrl = NewType("RelativeUrl", str)  # a link from one page to another: "../../entities/hezbollah/"

# The generated folders, in docs/ and in the site: hand-written pages never live there (docs/articles/ holds the
# normalised records; the others exist only in the site).
GENERATED_DIRS = ("articles", "browse", "originals", "data", "entities", "locations", "events")


# Apostrophes a place name is written with, dropped from its id ("Ma'arat" → "maarat", not "ma-arat").
APOSTROPHE_LIKE = ("'", "\u2019", "\u02bf", "\u02be", "`")


def slug(text: str, max_length: int = 0, drop_apostrophes: bool = False) -> str:
    """The one slug of the builder (python-slugify): ASCII, lower case, words joined by "-"; cut at a word boundary
    to `max_length` when given; with `drop_apostrophes`, an apostrophe joins its neighbours instead of parting
    them (place ids). Article, entity, incident ids and anchors are made here, so they agree across the site."""
    return slugify(text, max_length=max_length, word_boundary=bool(max_length),
                   replacements=[[a, ""] for a in APOSTROPHE_LIKE] if drop_apostrophes else ())


def source_path(folder: str, page_id: str) -> SourcePath:
    """The page of `page_id` in a generated folder: ('entities', 'hezbollah') → 'entities/hezbollah.md'."""
    return SourcePath(f"{folder}/{page_id}.md")


def page_url(page_path: str) -> SiteUrl:
    """'entities/x.md' → 'entities/x/', 'locations/index.md' → 'locations/' (mkdocs directory URLs)."""
    stem = page_path[: -len(".md")]
    return SiteUrl(stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/")


def output_path(page_path: str) -> OutputPath:
    """'entities/x.md' → 'entities/x/index.html', 'index.md' → 'index.html'."""
    return OutputPath(page_url(page_path) + "index.html")


def root_of(page_path: str) -> str:
    """Relative path from a page's URL (directory URLs) to the site root: 'entities/x.md' → '../../'."""
    depth = page_path.count("/") + (0 if page_path == "index.md" or page_path.endswith("/index.md") else 1)
    return "../" * depth


def url_maker(page_path: str) -> Callable[[str], RelativeUrl]:
    """href() for links written as HTML on the page at `page_path`: relative, as mkdocs would write them."""
    root = root_of(page_path)
    return lambda target: RelativeUrl(root + page_url(target))


def page_name(page_path: str) -> str:
    """'entities/hezbollah.md' → 'hezbollah': the name a folder shell's stub name is replaced by."""
    return posixpath.basename(page_path)[: -len(".md")]


def folder_of(page_path: str) -> str:
    return posixpath.dirname(page_path)


def is_safe_output(path: str) -> bool:
    """A site-relative path the build may write: relative, no '.', '..' or empty parts, no backslash or NUL."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and all(p not in ("", ".", "..") for p in parts) \
        and "\\" not in path and "\0" not in path


@dataclass(frozen=True)
class ShellRef:
    """Which mkdocs-rendered page shell a generated page is filled into.

    `own`: the page has a shell of its own (an index page in the nav: the theme marks its tab as current);
    else the page shares its folder's shell (thousands of article, entity and location pages at one depth
    share one rendering of the theme)."""

    src_uri: str  # the stub mkdocs renders: the page itself, or its folder's stub
    own: bool
