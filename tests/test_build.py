"""End to end: a temporary archive through `archive build --strict` and mkdocs' own strict checks."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from builder.app.cli import main
from conftest import SEED_000, SEED_004

pytestmark = pytest.mark.integration


def build(root, *extra):
    return main(["-f", str(root / "mkdocs.yml"), "build", "--strict", *extra])


def test_seeds_build_strict_with_pages_and_exports(project):
    assert build(project) == 0
    site = project / "site"
    page = (site / "articles" / "000-5e54e979575ccf65" / "index.html").read_text("utf-8")
    assert "Report: Iranian-backed militia evacuates from Aleppo" in page
    assert "The Jerusalem Post" in page and "Tzvi Joffre" in page and "6 May 2020" in page
    assert 'id="p1"' in page  # paragraphs are addressable for mention links
    # The original is published byte for byte and linked as "Original text".
    assert (site / "originals" / "000-5e54e979575ccf65.txt").read_bytes() == SEED_000.read_bytes()
    assert (site / "originals" / "004-8a7ef53b83db8164.txt").read_bytes() == SEED_004.read_bytes()
    assert re.search(r'<a href="../../originals/000-5e54e979575ccf65.txt"[^>]*>Original text</a>', page)

    articles = json.loads((site / "data" / "articles.json").read_text("utf-8"))
    assert [a["id"] for a in articles] == ["000-5e54e979575ccf65", "004-8a7ef53b83db8164"]
    first = articles[0]
    assert first["url"] == "articles/000-5e54e979575ccf65/"
    assert first["original"] == "articles/000_5e54e979575ccf65.txt"
    assert first["date"] == "2020-05-06" and articles[1]["date"] is None
    assert set(first) >= {"id", "title", "subtitle", "date", "source", "authors", "contributors", "url",
                          "original", "sha256", "word_count", "entities", "locations"}
    assert json.loads((site / "data" / "problems.json").read_text("utf-8")) == []


def test_index_pages(project):
    build(project)
    site = project / "site"
    timeline = (site / "browse" / "timeline" / "index.html").read_text("utf-8")
    timeline = timeline[timeline.index("<article"):]  # the page body, after the table of contents
    assert "May 2020" in timeline and "Undated" in timeline
    assert timeline.index("Report: Iranian-backed militia") < timeline.index("Undated") < timeline.index("Iran-backed forces including Hezbollah")
    sources = (site / "browse" / "sources" / "index.html").read_text("utf-8")
    assert "The Jerusalem Post" in sources and "World Israel News" in sources
    home = (site / "index.html").read_text("utf-8")
    assert "<strong>2</strong> articles" in home
    assert "Report: Iranian-backed militia evacuates from Aleppo" in home
    assert "archive:summary" not in home
    # index and browse pages are generated HTML, each in a shell of its own: no Markdown of theirs in docs/,
    # their own tab marked current, and heading anchors that do not change with the counts
    for path, tab in (("entities/index.md", "Entities"), ("locations/index.md", "Locations"),
                      ("browse/timeline.md", "Timeline"), ("browse/sources.md", "Sources"), ("browse/quality.md", "Data quality")):
        assert not (project / "docs" / path).exists(), path
        page = (site / path.replace("index.md", "").replace(".md", "/") / "index.html").read_text("utf-8")
        assert re.search(r'md-tabs__item--active">\s*<a href="[^"]*" class="md-tabs__link">\s*' + tab, page), path
        assert "ARCHIVE-SHELL" not in page and page.count("<h1") == 1
    entities = (site / "entities" / "index.html").read_text("utf-8")
    assert 'id="people"' in entities and 'id="organisations"' in entities
    assert 'id="2020-05"' in timeline


def test_articles_are_searchable_but_not_in_the_nav(project):
    build(project)
    from test_pagefind import fragments

    urls = set(fragments(project / "site"))
    assert any(u.endswith("articles/000-5e54e979575ccf65/") for u in urls), urls
    assert any(u.endswith("articles/004-8a7ef53b83db8164/") for u in urls), urls
    about = (project / "site" / "about" / "index.html").read_text("utf-8")  # a page whose content links no article
    assert "articles/000-5e54e979575ccf65" not in about


def test_rebuild_is_byte_identical_and_ids_stable(project, tmp_path):
    build(project)
    first = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "articles" / "newer.txt").write_text("Another article\n\nIt says something else entirely.\n")
    build(project)
    build(project, "--site-dir", str(tmp_path / "second"))
    assert (tmp_path / "second" / "articles" / "000-5e54e979575ccf65" / "index.html").is_file()
    (project / "articles" / "newer.txt").unlink()
    build(project)
    again = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    # sitemap.xml.gz embeds a timestamp; every other file must match byte for byte.
    differing = {path for path in first.keys() | again.keys() if first.get(path) != again.get(path)} - {Path("sitemap.xml.gz")}
    assert differing == set()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def test_every_internal_link_resolves(project):
    _assert_links_resolve(project)


def test_every_internal_link_resolves_with_a_corpus(project):
    """The seeds plus 80 generated articles: many entity and location pages, pagination, indexes."""
    from synthetic import write_articles

    write_articles(project / "articles" / "corpus", 80, seed=7)
    _assert_links_resolve(project)


def _assert_links_resolve(project):
    assert build(project) == 0
    site = project / "site"
    parsed = {}
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        parsed[page] = parser
    broken = []
    for page, parser in parsed.items():
        base = "/" + page.relative_to(site).as_posix()
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target_url = urljoin(base, parts.path) if parts.path else base
            target = site / unquote(target_url.lstrip("/"))
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((base, href))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parsed[target].ids:
                broken.append((base, href))
    assert broken == []


def test_cli_usage_errors_exit_2(project, capsys):
    assert main(["frobnicate"]) == 2
    assert main(["-f", str(project / "nope.yml"), "build"]) == 2
    assert main(["-f", str(project / "mkdocs.yml"), "build", "--articles", str(project / "missing")]) == 2


def test_check_validates_without_building(project, capsys):
    assert main(["-f", str(project / "mkdocs.yml"), "check", "--strict"]) == 0
    (project / "articles" / "empty.txt").write_bytes(b"")
    assert main(["-f", str(project / "mkdocs.yml"), "check"]) == 0
    assert main(["-f", str(project / "mkdocs.yml"), "check", "--strict"]) == 1
    assert "ERROR: articles/empty.txt: empty file" in capsys.readouterr().out
    assert not (project / "site").exists()


def test_check_and_build_run_one_path_and_agree_byte_for_byte(project, monkeypatch):
    """`archive check` runs the build's own path (build.plan_site) in memory: the files it would publish are
    exactly the files `archive build` writes, with the same bytes (Pagefind's index aside: check does not run it)."""
    import hashlib

    from builder.build import check_site
    from builder.app.cli import load_config

    (project / "articles" / "extra.md").write_text("---\ntitle: Strike near Damascus\ndate: 2018-05-10\n---\n\n"
                                                   "Israeli jets struck a base near Damascus, Reuters said.\n", "utf-8")
    monkeypatch.setenv("ARCHIVE_MODEL", "none")
    config = load_config(project / "mkdocs.yml")
    checked = check_site(config.plugins["archive"].settings, config)
    assert not (project / "site").exists()  # check writes nothing but the caches
    assert build(project) == 0
    site = project / "site"
    built = {p.relative_to(site).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
             for p in site.rglob("*") if p.is_file() and p.relative_to(site).parts[0] != "pagefind"}
    records = project / "docs" / "articles"
    built.update({f"docs/articles/{p.relative_to(records).as_posix()}": hashlib.sha1(p.read_bytes()).hexdigest()
                  for p in records.rglob("*") if p.is_file()})
    assert set(checked.outputs) == set(built)
    assert checked.outputs == built
    assert len(built) > 50 and any(path.startswith("entities/") for path in built)


def test_two_builds_into_fresh_site_folders_give_every_output_the_same_identity(project, tmp_path, monkeypatch):
    """A CI deploy builds into a deleted site/ with the last build's cache: every output must get the identity it
    had, or the kept search index is never reused (issue 22, item 0). The first build renders its pages on forked
    workers, as a large archive's are; the second runs in another process with another string-hash seed, so an
    order taken from a set cannot hide."""
    import json
    import os
    import subprocess
    import sys

    from builder import render

    monkeypatch.setattr(render, "PARALLEL_RENDER_FROM", 1)
    monkeypatch.setenv("ARCHIVE_MODEL", "none")

    def identities():
        state = json.loads((project / ".cache" / "build-state.json").read_text())
        return state["search"], {p: i for e in state["emitters"].values() for p, i in e.get("outputs", {}).items()}

    assert build(project, "--site-dir", str(tmp_path / "one")) == 0
    search, outputs = identities()
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    done = subprocess.run([sys.executable, "-m", "builder.app.cli", "-f", str(project / "mkdocs.yml"), "build",
                           "--site-dir", str(tmp_path / "two")], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONHASHSEED": seed})
    assert done.returncode == 0, done.stderr
    again_search, again = identities()
    assert len(outputs) > 50 and search
    assert again == outputs and again_search == search
    assert "search index: the same pages were indexed before, reused" in done.stderr + done.stdout
