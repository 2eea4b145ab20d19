"""The mkdocs side of the build, as a plugin (registered as `archive` in mkdocs.yml).

on_pre_build   run the pipeline: articles/ → generated pages in docs/
on_config      add the paragraph-id Markdown extension (article blocks get id=p1, p2, …)
on_page_*      escape page titles, fill the home page's summary, sanitise HTML
on_post_page   a Content-Security-Policy per page (inline theme scripts allowed by hash)
on_serve       watch articles/ so `mkdocs serve` / `archive serve` rebuild when an article changes
"""

from __future__ import annotations

import html
import os
import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from .. import pipeline, render
from . import assets
from .csp import with_policy
from .sanitise import sanitise

log = logging.getLogger("builder")  # not under "mkdocs.": data problems are judged by `archive --strict`, not mkdocs

HOME_MARKER = "<!-- archive:summary -->"


class ArchiveConfig(Config):
    articles_dir = c.Type(str, default="articles")
    registry = c.Type(str, default="entities.yml")
    cache_dir = c.Type(str, default=".cache")
    min_articles = c.Type(int, default=2)
    # Map tiles are fetched by readers' browsers; "" draws maps without a background (offline, tests).
    tile_url = c.Type(str, default=pipeline.DEFAULT_TILES)
    tile_attribution = c.Type(str, default=pipeline.DEFAULT_ATTRIBUTION)


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def __init__(self) -> None:
        self.result: pipeline.Result | None = None
        self.settings: pipeline.Settings | None = None
        self.serving = False

    def on_startup(self, command: str, dirty: bool) -> None:
        self.serving = command == "serve"  # live reload injects an inline script the policy would block

    def on_config(self, config):
        if "builder.site.paragraph_ids" not in config.markdown_extensions:
            config.markdown_extensions.append("builder.site.paragraph_ids")
        project_root = Path(config.config_file_path).resolve().parent
        articles_dir = Path(os.environ.get("ARCHIVE_ARTICLES_DIR") or self.config.articles_dir)
        self.settings = pipeline.Settings(
            project_root=project_root,
            articles_dir=articles_dir if articles_dir.is_absolute() else project_root / articles_dir,
            docs_dir=Path(config.docs_dir).resolve(),
            registry=project_root / self.config.registry,
            cache_dir=project_root / self.config.cache_dir,
            min_articles=self.config.min_articles,
            tiles=render.Tiles(os.environ.get("ARCHIVE_TILE_URL", self.config.tile_url), self.config.tile_attribution),
        )
        for path in assets.STYLESHEETS:
            if path not in config.extra_css:
                config.extra_css.append(path)
        for path in assets.JAVASCRIPT:
            if path not in [str(p) for p in config.extra_javascript]:
                config.extra_javascript.append(ExtraScriptValue(path))
        return config

    def on_pre_build(self, config) -> None:
        self.result = pipeline.generate(self.settings)
        for problem in self.result.problems:
            log.warning("%s: %s: %s", problem.severity.upper(), problem.file, problem.message)

    def on_files(self, files, config):
        """The map library and script ship inside the site: no CDN at run time."""
        for src_uri, path in assets.paths().items():
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        return files

    def on_serve(self, server, config, builder):
        server.watch(str(self.settings.articles_dir))
        return server

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        # mkdocs' templates print the title unescaped; articles are untrusted, so escape it here.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key])
        if HOME_MARKER in markdown and self.result is not None:
            markdown = markdown.replace(HOME_MARKER, render.render_home_summary(self.result.index))
        return markdown

    def on_page_content(self, content: str, page, config, files) -> str:
        return sanitise(content)

    def on_post_page(self, output: str, page, config) -> str:
        return output if self.serving else with_policy(output, self.settings.tiles.url)


