"""The mkdocs side of the build, as a plugin (registered as `archive` in mkdocs.yml).

The builder drives (builder/build.py); mkdocs, called by it through its Python API, renders the hand-written
pages and the page shells the driver asks for (builder/site/shells.py). This plugin:

on_config      derive the archive's settings (read by the CLI), add the map and search assets and the
               search box's theme override
on_files       add the assets and one stub page per requested shell; leave the normalised article records
               (docs/articles/, data, not pages) out
on_page_*      escape page titles, mark the home page's summary slot, sanitise HTML
on_post_page   a Content-Security-Policy per page (inline theme scripts allowed by hash); keep the shells
on_post_template  the same policy for the theme's own HTML templates (404.html)

Search is Pagefind (builder/site/pagefind.py), run by the driver over the built site; the header's search box
is the archive's own (overrides/partials/search.html, assets/pagefind-ui/). Running `mkdocs build` directly
gives the hand-written pages alone: build the archive with `archive build`.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import is_error_template

from ..config import DEFAULT_ATTRIBUTION, Settings, settings_of
from ..paths import GENERATED_DIRS
from ..paths import page_url
from . import assets, shells as site_shells
from .csp import with_policy
from ..render.sanitise import sanitise

OVERRIDES_DIR = Path(__file__).resolve().parent / "overrides"  # the search box's partial
PAGEFIND_CSS = [f"{assets.PREFIX}/pagefind-ui/archive-search.css"]
PAGEFIND_JS = [f"{assets.PREFIX}/pagefind-ui/archive-search.js"]
LIVE_RELOAD_JS = f"{assets.PREFIX}/live-reload.js"  # `archive serve` only


class ArchiveConfig(Config):
    # Search is always Pagefind now; configurations that still set these build as before, with a warning.
    search = c.Deprecated(message="the archive's search is always Pagefind: remove `search` from the plugin options")
    pagefind_threshold = c.Deprecated(message="the archive's search is always Pagefind: remove `pagefind_threshold`")
    articles_dir = c.Type(str, default="articles")
    registry = c.Type(str, default="entities.yml")
    cache_dir = c.Type(str, default=".cache")
    min_articles = c.Type(int, default=2)
    # A spaCy pipeline for names ("en_core_web_sm", …); unset: the first installed of model.DEFAULT_MODELS;
    # "none": the registry, gazetteer and rules alone. $ARCHIVE_MODEL overrides it.
    model = c.Optional(c.Type(str))
    # "" (default): maps draw the vendored vector basemap, no third-party request. A tile URL is fetched by
    # every reader's browser from that host (see README "Maps": the privacy cost).
    tile_url = c.Type(str, default="")
    tile_attribution = c.Type(str, default=DEFAULT_ATTRIBUTION)


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.executor: str | None = None  # `archive build --executor` (see config.Settings.executor)
        self.serving = False  # set by `archive serve`: pages get the live-reload script, no policy
        self.shell_requests: site_shells.ShellRequests | None = None  # set by the driver for one mkdocs run
        self.shells: dict[str, site_shells.Shell] = {}
        self.stub_outputs: list[str] = []
        self.page_urls: list[str] = []
        self.script_cache: dict[str, bytes | None] = {}

    def on_config(self, config):
        self.settings = settings_of(config, self.config, self.executor)
        if str(OVERRIDES_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(OVERRIDES_DIR))
        for path in assets.STYLESHEETS + PAGEFIND_CSS:
            if path not in config.extra_css:
                config.extra_css.append(path)
        for path in assets.JAVASCRIPT + PAGEFIND_JS + ([LIVE_RELOAD_JS] if self.serving else []):
            if path not in [str(p) for p in config.extra_javascript]:
                config.extra_javascript.append(ExtraScriptValue(path))
        return config

    def on_files(self, files, config):
        """The map library and script ship inside the site: no CDN at run time. Each requested shell gets a
        stub page; the articles' records are data, not pages."""
        for src_uri, path in assets.paths().items():
            if src_uri != LIVE_RELOAD_JS or self.serving:
                files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        self.shells, self.stub_outputs, self.page_urls = {}, [], []
        requests = self.shell_requests or site_shells.ShellRequests((), ())
        stubs = set(requests.stubs())
        # docs/articles/ holds the records (data); the other generated folders are left from older versions
        for file in [f for f in files if f.src_uri.split("/")[0] in GENERATED_DIRS or f.src_uri in stubs]:
            files.remove(file)
        for uri in requests.stubs():
            files.append(File.generated(config, uri, content=site_shells.STUB_MARKDOWN))
        for uri in requests.files:  # so mkdocs can check links to them (data/articles.json); the driver writes them
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=b""))
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        # Material's lunr index is never fetched (the search box is Pagefind's): keep it empty
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        # mkdocs' templates print the title unescaped; articles are untrusted, so escape it here.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key])
        if site_shells.SUMMARY_MARKER in markdown and self.shell_requests and page.file.src_uri in self.shell_requests.own:
            markdown = markdown.replace(site_shells.SUMMARY_MARKER, f"\n\n{site_shells.SUMMARY_TOKEN}\n\n", 1)
        return markdown

    def on_page_content(self, content: str, page, config, files) -> str:
        if self._is_stub(page.file.src_uri):
            return site_shells.CONTENT_TOKEN
        return sanitise(content)

    def on_post_page(self, output: str, page, config) -> str:
        if not self.serving:
            output = with_policy(output, self._settings().tiles.url, wasm=True,
                                 script_bytes=lambda src: self._script_bytes(config, page.file.dest_uri, src))
        uri = page.file.src_uri
        if site_shells.is_stub(uri):
            self.shells[uri] = site_shells.Shell.parse(output)
            self.stub_outputs.append(page.file.dest_uri)
        elif self._is_stub(uri):
            self.shells[uri] = site_shells.Shell.parse(output)
            self.page_urls.append(page_url(uri))
        elif self.shell_requests and uri in self.shell_requests.own and f"<p>{site_shells.SUMMARY_TOKEN}</p>" in output:
            self.shells[uri] = site_shells.Shell.parse(output, f"<p>{site_shells.SUMMARY_TOKEN}</p>")
            self.page_urls.append(page_url(uri))
        else:
            self.page_urls.append(page_url(uri))
        return output

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        """The theme's static templates are no pages (no on_post_page): 404.html gets the pages' policy here.
        mkdocs writes an error page's links absolute, from site_url's path ("/assets/…"), as it is served for
        any missing URL; its scripts are found from there."""
        if self.serving or not template_name.endswith(".html"):
            return output_content
        if is_error_template(template_name):
            root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"

            def script_bytes(src: str) -> bytes | None:
                return self._script_bytes(config, "index.html", src[len(root):]) if src.startswith(root) else None
        else:
            def script_bytes(src: str) -> bytes | None:
                return self._script_bytes(config, template_name, src)
        return with_policy(output_content, self._settings().tiles.url, wasm=True, script_bytes=script_bytes)

    def _settings(self) -> Settings:
        if self.settings is None:
            raise RuntimeError("the archive plugin's settings are read before mkdocs ran on_config")
        return self.settings

    def _is_stub(self, src_uri: str) -> bool:
        return self.shell_requests is not None and src_uri in self.shell_requests.stubs()

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


def archive_plugin(config: MkDocsConfig) -> ArchivePlugin:
    """mkdocs.yml's `archive` plugin, on which the CLI and the driver set a run's options."""
    plugin = config.plugins["archive"]
    if not isinstance(plugin, ArchivePlugin):
        raise TypeError(f"mkdocs.yml's `archive` plugin is {type(plugin).__name__}, not the archive's ArchivePlugin")
    return plugin
