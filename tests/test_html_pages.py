"""Article, entity and location pages skip mkdocs' per-page pipeline (builder/site/shell.py) and are kept
between builds (render.html_page): the shell must look like any other page, and a kept page must never
be stale."""

import gzip
import json
import re

import pytest

from builder import emit, pipeline, render
from builder.app.cli import main
from conftest import write

pytestmark = pytest.mark.integration

HEZBOLLAH_ARTICLE = """Hezbollah fighters seen near Palmyra

March 3, 2021

Hezbollah fighters were seen moving towards Palmyra on Tuesday, residents said.

The Syrian Observatory for Human Rights reported the movement of Hezbollah convoys near Palmyra.
"""


class CountingStore:
    """A PageStore that says how often a page had to be rendered."""

    def __init__(self):
        self.pages, self.renders = {}, 0

    def get(self, key):
        return self.pages.get(key)

    def put(self, key, value):
        self.renders += 1
        self.pages[key] = value


def settings_for(root):
    return pipeline.Settings(project_root=root, articles_dir=root / "articles", docs_dir=root / "docs",
                             registry=root / "entities.yml", cache_dir=root / ".cache", workers=1)


def rendered(root, store=None):
    analysis = pipeline.analyse(settings_for(root))
    index, gazetteer = analysis.index, analysis.gazetteer
    pages = emit.html_pages(emit.EmitContext(index, render.Tiles("", ""), gazetteer.country, store or render.NoStore()))
    return {p.src_uri: p for p in pages if not p.own_shell}  # index and browse pages are rendered every build, never kept


def test_a_kept_page_is_redone_exactly_when_something_it_shows_changes(project):
    store = CountingStore()
    first = rendered(project, store)
    assert store.renders == len(first) > 20
    assert rendered(project, store) == first and store.renders == len(first)  # nothing changed: nothing rendered

    write(project / "articles", "palmyra.txt", HEZBOLLAH_ARTICLE)
    before = store.renders
    kept = rendered(project, store)
    assert kept == rendered(project, None)  # what the store gave back is what a fresh render gives
    redone = store.renders - before
    assert 0 < redone < len(kept) / 2
    assert "Hezbollah fighters seen near Palmyra" in kept["entities/hezbollah.md"].content
    unchanged = kept["entities/benny-gantz.md"]
    assert unchanged == first["entities/benny-gantz.md"]


def test_shell_pages_have_their_own_title_canonical_link_and_sitemap_entry(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nsite_url: https://archive.example.org/\n", "utf-8")
    assert main(["-f", str(config), "build", "--strict"]) == 0
    site = project / "site"
    assert not list(site.rglob("*__archive_shell__*"))
    page = (site / "entities" / "hezbollah" / "index.html").read_text("utf-8")
    assert "<title>Hezbollah - " in page
    assert '<link rel="canonical" href="https://archive.example.org/entities/hezbollah/">' in page
    assert "ARCHIVE-SHELL" not in page
    assert page.count("<h1") == 1 and 'http-equiv="Content-Security-Policy"' in page
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "__archive_shell__" not in sitemap
    urls = set(re.findall(r"<loc>(.*?)</loc>", sitemap))
    assert {"https://archive.example.org/entities/hezbollah/", "https://archive.example.org/locations/aleppo-sy/",
            "https://archive.example.org/articles/000-5e54e979575ccf65/"} <= urls
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def test_search_finds_entity_and_location_pages(project):
    from test_pagefind import fragments

    assert main(["-f", str(project / "mkdocs.yml"), "build", "--strict"]) == 0
    by_url = {url.lstrip("/"): page for url, page in fragments(project / "site").items()}
    assert by_url["entities/hezbollah/"]["meta"]["title"] == "Hezbollah"
    assert "Lebanese Shia political party" in by_url["entities/hezbollah/"]["content"]
    assert "locations/aleppo-sy/" in by_url and "articles/000-5e54e979575ccf65/" in by_url
    assert not any("__archive_shell__" in url for url in by_url)


def test_archive_check_keeps_the_rendered_pages_cached(project):
    assert main(["-f", str(project / "mkdocs.yml"), "build", "--strict"]) == 0
    cache_file = project / ".cache" / "build-cache.json"
    pages = len(json.loads(cache_file.read_bytes())["entries"]["html"])
    assert pages > 20
    assert main(["-f", str(project / "mkdocs.yml"), "check", "--strict"]) == 0  # renders in memory, writes nothing
    assert len(json.loads(cache_file.read_bytes())["entries"]["html"]) == pages
