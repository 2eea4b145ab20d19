"""The theme's page shells: mkdocs renders the hand-written pages and one shell per page family.

mkdocs renders every page through Markdown and the theme's full template, a fixed cost of several
milliseconds a page, and an archive has several generated pages per article. So mkdocs renders only the
hand-written pages (docs/*.md) and *stubs*: one per folder of generated pages (`entities/__archive_shell__.md`:
all pages of a folder share the same depth, hence the same relative links, scripts and nav), and one for each
generated page in the nav (`entities/index.md`, so the theme marks its tab as the current one). The driver
fills each rendered stub with the page's title and content (`Shell.fill`); the hand-written home page's
`<!-- archive:summary -->` is a slot of the same kind.

mkdocs writes into `.cache/shells/site/`; its result (the shells, the pages it rendered, the theme's files) is
kept and reused until mkdocs.yml, a hand-written page, the theme or the requested shells change.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from .. import cache as build_cache
from ..paths import output_path
from ..errors import Refused
from ..paths import GENERATED_DIRS

STUB_NAME = "__archive_shell__"
TITLE_TOKEN = "ARCHIVE-SHELL-TITLE"
# The content is an <h1> so the theme adds no title heading of its own (the page content brings its own).
CONTENT_TOKEN = "<h1>ARCHIVE-SHELL-CONTENT</h1>"
STUB_MARKDOWN = f"---\ntitle: {TITLE_TOKEN}\n---\n\nshell\n"
SUMMARY_MARKER = "<!-- archive:summary -->"  # where docs/index.md wants the archive's figures and latest articles
SUMMARY_TOKEN = "ARCHIVE-SHELL-SUMMARY"  # the marker becomes this paragraph, the slot the summary fills
SHELLS_FORMAT = 1
THEMES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown")


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
    def parse(cls, page_html: str, token: str = CONTENT_TOKEN) -> "Shell":
        before, found, after = page_html.partition(token)
        if not found or token in after:
            raise ValueError("the theme did not render the shell's content marker exactly once")
        return cls(before, after)

    @property
    def identity(self) -> str:
        return hashlib.sha1((self.before + "\0" + self.after).encode("utf-8", "surrogatepass")).hexdigest()

    def fill(self, title: str, content: str, name: str | None = None, head: str = "") -> str:
        """`name`: the page's file name without .md, replacing the stub's in URLs (the canonical link);
        None for a page with a shell of its own. `head`: escaped tags for the end of <head> (Open Graph), after
        the Content-Security-Policy, which must come first."""
        title = html.escape(title)
        before, after = self.before.replace(TITLE_TOKEN, title), self.after.replace(TITLE_TOKEN, title)
        if name is not None:
            before, after = before.replace(STUB_NAME, name), after.replace(STUB_NAME, name)
        if head:
            before = before.replace("</head>", head + "</head>", 1)
        return before + content + after


@dataclass(frozen=True)
class ShellRequests:
    folders: tuple[str, ...]  # a shared shell for each
    own: tuple[str, ...]  # generated pages in the nav, each with a shell of its own ("index.md": the summary slot)
    files: tuple[str, ...] = ()  # generated files (data/*.json…): hand-written pages may link them

    def stubs(self) -> tuple[str, ...]:
        return tuple(stub_uri(f) for f in self.folders) + tuple(p for p in self.own if p != "index.md")


@dataclass(frozen=True)
class SiteInputs:
    """What mkdocs' output depends on: mkdocs.yml, the hand-written pages, the theme, the builder's site code."""

    digest: str

    @classmethod
    def of(cls, config, serving: bool) -> "SiteInputs":
        h = hashlib.sha256(f"{SHELLS_FORMAT}:{serving}:{config.site_url}".encode())
        h.update(Path(config.config_file_path).read_bytes())
        docs = Path(config.docs_dir)
        for path in sorted(docs.rglob("*")):
            rel = path.relative_to(docs)
            if rel.parts[0] in GENERATED_DIRS or not path.is_file():
                continue
            h.update(rel.as_posix().encode("utf-8", "surrogatepass") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        h.update(build_cache.files_digest(("paths.py",)).encode())
        site_code = Path(__file__).resolve().parent
        for path in sorted(p for p in site_code.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            # the site code, shipped assets and theme overrides, whatever their suffix (.py, .js, .css, .geojson, …)
            h.update(path.relative_to(site_code).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        h.update(",".join(f"{n}={build_cache.library_version(n)}" for n in THEMES).encode())
        return cls(h.hexdigest())


@dataclass
class Shells:
    shells: dict[str, Shell] = field(default_factory=dict)  # stub src_uri (or an own page's) → its shell
    files: dict[str, tuple[str, Path]] = field(default_factory=dict)  # mkdocs' own output: path → (identity, file)
    page_urls: list[str] = field(default_factory=list)  # the hand-written pages, for the sitemap


def render(config, inputs: SiteInputs, requests: ShellRequests, cache_dir: Path | None) -> Shells:
    """The shells for `requests`, and mkdocs' own pages and files, from the last run when nothing they depend
    on changed, else from a mkdocs build into `<cache_dir>/shells/site`."""
    from mkdocs.commands.build import build

    work = Path(cache_dir or Path(config.config_file_path).parent / ".cache") / "shells"
    key = hashlib.sha256(f"{inputs.digest}:{requests}".encode()).hexdigest()
    stored = _load(work / "shells.json", key)
    if stored is not None and all((work / "site" / p).is_file() for p in stored.files):
        return stored
    plugin = config.plugins["archive"]
    plugin.shell_requests = requests
    site = work / "site"
    if site.is_symlink():
        raise Refused(f"refusing to build through a symbolic link: {site}")
    site_dir_before = config.site_dir
    config.site_dir = str(site)
    try:
        build(config)
    finally:
        config.site_dir = site_dir_before
        plugin.shell_requests = None
    shells = Shells(dict(plugin.shells), {}, sorted(plugin.page_urls))
    filled: set[str] = {output_path(p) for p in requests.own if p in shells.shells}  # written by the driver, filled
    filled.update(requests.files)  # placeholders (for link checking): the driver writes the real files
    stubs = set(plugin.stub_outputs)
    for dirpath, _, filenames in os.walk(site):
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(site).as_posix()
            if rel in filled or rel in stubs or rel in ("sitemap.xml", "sitemap.xml.gz"):
                continue
            shells.files[rel] = (hashlib.sha1(path.read_bytes()).hexdigest(), path)
    missing = [uri for uri in requests.stubs() if uri not in shells.shells]  # the home page's slot is optional
    if missing:
        raise Refused(f"the theme rendered no shell for {', '.join(missing)}")
    _save(work / "shells.json", key, shells)
    return shells


def _load(path: Path, key: str) -> Shells | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        if data["key"] != key:
            return None
        site = path.parent / "site"
        return Shells({k: Shell(*v) for k, v in data["shells"].items()},
                      {k: (v, site / k) for k, v in data["files"].items()}, data["page_urls"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save(path: Path, key: str, shells: Shells) -> None:
    data = {"key": key, "shells": {k: [s.before, s.after] for k, s in shells.shells.items()},
            "files": {k: v[0] for k, v in shells.files.items()}, "page_urls": shells.page_urls}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data), "utf-8")
    os.replace(tmp, path)

