"""The mkdocs side of the build, as a plugin (registered as `archive` in mkdocs.yml).

on_pre_build   run the pipeline: articles/ → generated pages in docs/
on_config      add the paragraph-id Markdown extension (article blocks get id=p1, p2, …)
on_files       add the map assets and one shell stub per folder of article, entity and location pages
on_page_*      escape page titles, fill the home page's summary, sanitise HTML
on_post_page   a Content-Security-Policy per page (inline theme scripts allowed by hash); keep the shells
on_serve       watch articles/ so `mkdocs serve` / `archive serve` rebuild when an article changes
on_post_build  write the article, entity and location pages into their shells (builder/site/shell.py), then,
               with Pagefind search, index the built site (builder/site/pagefind.py)

Search: `search: lunr` keeps Material's search (one JSON index of every page, fetched whole when a
page loads); `search: pagefind` swaps the header's search box for the archive's Pagefind box
(overrides/partials/search.html, assets/pagefind-ui/: a chunked index fetched a query at a time,
filters by type, year and source); `auto`, the default, picks Pagefind from `pagefind_threshold`
published articles up. $ARCHIVE_SEARCH overrides the option.
"""

from __future__ import annotations

import html
import json
import logging
import os
import posixpath
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from .. import pipeline, render
from . import assets, pagefind, shell
from .csp import with_policy
from ..render.sanitise import sanitise
from ..terminal import printable

log = logging.getLogger("builder")  # not under "mkdocs.": data problems are judged by `archive --strict`, not mkdocs

HOME_MARKER = "<!-- archive:summary -->"
OVERRIDES_DIR = Path(__file__).resolve().parent / "overrides"  # theme overrides, used with Pagefind only
SEARCH_MODES = ("auto", "lunr", "pagefind")
PAGEFIND_CSS = [f"{assets.PREFIX}/pagefind-ui/archive-search.css"]
PAGEFIND_JS = [f"{assets.PREFIX}/pagefind-ui/archive-search.js"]
WRITER_THREADS = 8
WRITE_BATCH = 512


class ArchiveConfig(Config):
    articles_dir = c.Type(str, default="articles")
    registry = c.Type(str, default="entities.yml")
    cache_dir = c.Type(str, default=".cache")
    min_articles = c.Type(int, default=2)
    # A spaCy pipeline for names ("en_core_web_sm", …); unset: the first installed of model.DEFAULT_MODELS;
    # "none": the registry, gazetteer and rules alone. $ARCHIVE_MODEL overrides it.
    model = c.Optional(c.Type(str))
    # Map tiles are fetched by readers' browsers; "" draws maps without a background (offline, tests).
    tile_url = c.Type(str, default=pipeline.DEFAULT_TILES)
    tile_attribution = c.Type(str, default=pipeline.DEFAULT_ATTRIBUTION)
    # lunr | pagefind | auto (Pagefind from this many published articles up; see README "Search").
    search = c.Choice(SEARCH_MODES, default="auto")
    pagefind_threshold = c.Type(int, default=50)


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def __init__(self) -> None:
        self.result: pipeline.Result | None = None
        self.settings: pipeline.Settings | None = None
        self.executor: str | None = None  # `archive build --executor` (see pipeline.Settings.executor)
        self.serving = False
        self.search_mode = "lunr"
        self.pagefind_result: pagefind.PagefindResult | None = None
        self.shells: dict[str, shell.Shell] = {}  # folder → its rendered shell
        self.stub_outputs: list[str] = []
        self.own_pages: dict[str, render.HtmlPage] = {}
        self.script_cache: dict[str, bytes | None] = {}

    def on_startup(self, command: str, dirty: bool) -> None:
        self.serving = command == "serve"  # live reload injects an inline script the policy would block

    def on_config(self, config):
        project_root = Path(config.config_file_path).resolve().parent
        articles_dir = Path(os.environ.get("ARCHIVE_ARTICLES_DIR") or self.config.articles_dir)
        self.settings = pipeline.Settings(
            project_root=project_root,
            articles_dir=articles_dir if articles_dir.is_absolute() else project_root / articles_dir,
            docs_dir=Path(config.docs_dir).resolve(),
            registry=project_root / self.config.registry,
            cache_dir=project_root / self.config.cache_dir,
            min_articles=self.config.min_articles,
            model=self.config.model,
            tiles=render.Tiles(os.environ.get("ARCHIVE_TILE_URL", self.config.tile_url), self.config.tile_attribution),
            executor=self.executor or os.environ.get("ARCHIVE_EXECUTOR") or None,
        )
        for path in assets.STYLESHEETS:
            if path not in config.extra_css:
                config.extra_css.append(path)
        for path in assets.JAVASCRIPT:
            if path not in [str(p) for p in config.extra_javascript]:
                config.extra_javascript.append(ExtraScriptValue(path))
        return config

    def on_pre_build(self, config) -> None:
        self.script_cache = {}
        self.result = pipeline.generate(self.settings)
        for problem in self.result.problems:
            log.warning("%s", printable(f"{problem.severity.upper()}: {problem.file}: {problem.message}"))
        self.search_mode = self._search_mode(len(self.result.index.articles))
        if self.search_mode == "pagefind":
            # on_pre_build runs before mkdocs makes the theme's Jinja environment, so the override counts.
            if str(OVERRIDES_DIR) not in config.theme.dirs:
                config.theme.dirs.insert(0, str(OVERRIDES_DIR))
            for path in PAGEFIND_CSS:
                if path not in config.extra_css:
                    config.extra_css.append(path)
            for path in PAGEFIND_JS:
                if path not in [str(p) for p in config.extra_javascript]:
                    config.extra_javascript.append(ExtraScriptValue(path))

    def _search_mode(self, articles: int) -> str:
        mode = os.environ.get("ARCHIVE_SEARCH") or self.config.search
        if mode not in SEARCH_MODES:
            raise PluginError(f"ARCHIVE_SEARCH={mode!r}: expected one of {', '.join(SEARCH_MODES)}")
        if mode == "auto":
            mode = "pagefind" if articles >= self.config.pagefind_threshold else "lunr"
        return mode

    def on_files(self, files, config):
        """The map library and script ship inside the site: no CDN at run time. Each folder of article,
        entity or location pages gets a stub page, rendered by mkdocs as the shell its pages are written into."""
        for src_uri, path in assets.paths().items():
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        self.shells, self.stub_outputs = {}, []
        html_uris = {p.src_uri for p in (self.result.html_pages if self.result else [])}
        originals = {a.original_url for a in (self.result.index.articles if self.result else [])}
        # The articles' records are data, not pages; the originals are linked in by _write_html_pages.
        for file in [f for f in files if f.src_uri in html_uris or f.src_uri in originals]:
            files.remove(file)
        self.own_pages = {p.src_uri: p for p in (self.result.html_pages if self.result else []) if p.own_shell}
        for page in self.own_pages.values():  # index and browse pages: a page of their own in mkdocs (nav, current tab)
            files.append(File.generated(config, page.src_uri, content=f"---\ntitle: {json.dumps(page.title)}\n---\n\npage\n"))
        for folder in sorted({posixpath.dirname(p.src_uri) for p in (self.result.html_pages if self.result else [])
                              if not p.own_shell}):
            files.append(File.generated(config, shell.stub_uri(folder), content=shell.STUB_MARKDOWN))
        return files

    def on_serve(self, server, config, builder):
        server.watch(str(self.settings.articles_dir))
        return server

    @event_priority(-50)  # after the search plugin has written its index: lunr search gets these pages too
    def on_post_build(self, config) -> None:
        if self.result is not None:
            self._write_html_pages(config)
        if self.search_mode != "pagefind":
            return
        try:
            self.pagefind_result = pagefind.index_site(Path(config.site_dir))
        except pagefind.PagefindError as exc:
            raise PluginError(f"Pagefind search index: {exc}") from exc
        log.info("search: %s", self.pagefind_result.summary())
        if not self.pagefind_result.deterministic:
            log.warning("search: Pagefind %s wrote its filter files in an unexpected layout; they were left as "
                        "written, so rebuilding the same site may not give identical bytes", self.pagefind_result.version)
        if self.result is not None:
            self.result.timings["pagefind"] = self.pagefind_result.seconds

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if self.search_mode == "pagefind":  # Material's lunr index would never be fetched: don't build it
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        # mkdocs' templates print the title unescaped; articles are untrusted, so escape it here.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key])
        if HOME_MARKER in markdown and self.result is not None:
            markdown = markdown.replace(HOME_MARKER, render.render_home_summary(self.result.index))
        return markdown

    def on_page_content(self, content: str, page, config, files) -> str:
        if shell.is_stub(page.file.src_uri):
            return shell.CONTENT_TOKEN
        if page.file.src_uri in self.own_pages:
            return self.own_pages[page.file.src_uri].content  # rendered and sanitised by builder.render
        return sanitise(content)

    def on_post_page(self, output: str, page, config) -> str:
        if not self.serving:
            output = with_policy(output, self.settings.tiles.url, wasm=self.search_mode == "pagefind",
                                 script_bytes=lambda src: self._script_bytes(config, page.file.dest_uri, src))
        if shell.is_stub(page.file.src_uri):
            self.shells[posixpath.dirname(page.file.src_uri)] = shell.Shell.parse(output)
            self.stub_outputs.append(page.file.dest_uri)
        return output

    def _script_bytes(self, config, dest_uri: str, src: str) -> bytes | None:
        """The bytes of a script the page loads from the site (static files are copied before pages are built),
        for its hash in the page's policy; None for anything else."""
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I) or "?" in src or "#" in src:
            return None
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(dest_uri), src))
        if rel.startswith(("../", "/")) or rel == "..":
            return None
        if rel not in self.script_cache:
            path = Path(config.site_dir) / rel
            self.script_cache[rel] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        return self.script_cache[rel]

    def _write_html_pages(self, config) -> None:
        """Article, entity and location pages, each written into its folder's shell (see builder/site/shell.py),
        and the articles' originals."""
        site_dir = Path(config.site_dir)
        for dest_uri in self.stub_outputs:
            shell.remove_stub_output(site_dir, dest_uri)
        names: dict[str, list[str]] = {}
        search_docs = []
        batch: list[tuple[str, shell.Shell, render.HtmlPage, str]] = []
        with ThreadPoolExecutor(WRITER_THREADS) as pool:  # file creation is most of this step: overlap it
            for page in self.result.html_pages:
                if page.own_shell:
                    continue
                folder, name = posixpath.split(page.src_uri[: -len(".md")])
                file = File(page.src_uri, None, str(site_dir), config.use_directory_urls)
                batch.append((os.path.join(site_dir, file.dest_uri), self.shells[folder], page, name))
                if len(batch) == WRITE_BATCH:  # batches: never every filled page in memory at once
                    list(pool.map(_write_page, batch))
                    batch = []
                names.setdefault(folder, []).append(name)
                if self.search_mode == "lunr" and page.search_type is not None:  # not pages 2, 3, … of a subject
                    search_docs.append({"location": file.url, "title": html.escape(page.title), "text": _plain_text(page.content)})
            list(pool.map(_write_page, batch))
            docs_dir = Path(config.docs_dir)
            list(pool.map(_link_file, ((docs_dir / a.original_url, site_dir / a.original_url) for a in self.result.index.articles)))
        shell.fill_sitemap(site_dir, names)
        index_file = site_dir / "search" / "search_index.json"
        if self.search_mode == "lunr" and index_file.is_file():
            index = json.loads(index_file.read_text("utf-8"))
            index["docs"].extend(search_docs)
            index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _link_file(item: tuple[Path, Path]) -> None:
    """An original, published byte for byte: a hard link to the copy in docs/ where the file system allows."""
    source, target = item
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write_page(item: tuple[str, shell.Shell, render.HtmlPage, str]) -> None:
    target, page_shell, page, name = item
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as out:
        # Open Graph (render.HtmlPage.og, escaped) at the end of <head>: after the CSP, which must come first
        out.write(page_shell.fill(page.title, page.content, name).replace("</head>", page.og_meta() + "</head>", 1))


_TAG = re.compile(r"<[^>]+>")


def _plain_text(content: str) -> str:
    """The page's words for Material's lunr index (which shows them as HTML: keep them escaped)."""
    return html.escape(" ".join(html.unescape(_TAG.sub(" ", content)).split()))


