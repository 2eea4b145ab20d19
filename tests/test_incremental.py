"""The builder drives (builder/build.py): a rebuild redoes only what changed, and `archive serve` shows an
edit without a restart."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from builder.app.cli import main

pytestmark = pytest.mark.integration

ARTICLE_000 = "articles/000-5e54e979575ccf65/index.html"
ARTICLE_004 = "articles/004-8a7ef53b83db8164/index.html"


def build(root: Path, capsys, *extra: str) -> str:
    assert main(["-f", str(root / "mkdocs.yml"), "build", *extra]) == 0
    return capsys.readouterr().out


def snapshot(site: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in site.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path, monkeypatch):
    from conftest import make_project

    monkeypatch.setenv("ARCHIVE_TILE_URL", "")
    return make_project(tmp_path / "archive")


def test_nothing_changed_leaves_the_site_as_it_was(project, capsys):
    build(project, capsys)
    before = snapshot(project / "site")
    assert "nothing changed" in build(project, capsys)
    assert snapshot(project / "site") == before


def test_an_edited_article_rewrites_only_the_pages_it_affects(project, capsys):
    build(project, capsys)
    before = snapshot(project / "site")
    seed = next((project / "articles").glob("004_*"))
    seed.write_text(seed.read_text("utf-8").replace("Hezbollah", "Hizbullah", 1), "utf-8")
    out = build(project, capsys)
    after = snapshot(project / "site")
    changed = {p for p in after if p in before and after[p][1] != before[p][1]}
    rewritten = {p for p in after if p in before and after[p][0] != before[p][0]}
    assert ARTICLE_004 in changed
    assert rewritten <= changed | {p for p in after if p.startswith("pagefind/")}  # nothing unchanged was rewritten
    assert len(rewritten) < len(after) / 2, out
    assert "Hizbullah" in (project / "site" / "originals" / "004-8a7ef53b83db8164.txt").read_text("utf-8")


def test_a_deleted_site_comes_back_identical_from_the_cache(project, capsys, tmp_path):
    build(project, capsys)
    first = {p: data for p, (_, data) in snapshot(project / "site").items()}
    os.rename(project / "site", tmp_path / "old-site")
    build(project, capsys)
    again = {p: data for p, (_, data) in snapshot(project / "site").items()}
    assert again == first


def test_a_hand_written_page_change_reaches_the_site_and_docs_holds_only_records(project, capsys):
    build(project, capsys)
    about = project / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n\nA sentence added by the editors.\n", "utf-8")
    build(project, capsys)
    assert "A sentence added by the editors." in (project / "site" / "about" / "index.html").read_text("utf-8")
    generated = {p.relative_to(project / "docs").parts[0] for p in (project / "docs").rglob("*.md")}
    assert generated == {"articles", "index.md", "about.md"}  # no page round-trips through docs/
    assert not (project / "docs" / "entities").exists()


def test_a_removed_article_takes_its_pages_with_it(project, capsys):
    build(project, capsys)
    next((project / "articles").glob("000_*")).unlink()
    build(project, capsys)
    site = project / "site"
    assert not (site / ARTICLE_000).exists() and not (site / "originals" / "000-5e54e979575ccf65.txt").exists()
    assert not (project / "docs" / "articles" / "000-5e54e979575ccf65.md").exists()
    assert "000-5e54e979575ccf65" not in (site / "sitemap.xml").read_text("utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def test_serve_rebuilds_an_edited_article_and_tells_the_page(project):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "ARCHIVE_TILE_URL": "", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "builder.app.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                page = fetch(base + ARTICLE_004).decode("utf-8")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "the preview never came up"
                time.sleep(0.5)
        assert "live-reload.js" in page  # the preview's pages carry the reload script…
        assert not (project / "site").exists()  # …in a folder of their own, never the deployed site/
        build_no = json.loads(fetch(base + "__archive__/reload?since=-1"))["build"]
        seed = next((project / "articles").glob("004_*"))
        seed.write_text(seed.read_text("utf-8").replace("Hezbollah", "Hizbullah", 1), "utf-8")
        started = time.monotonic()
        answer = json.loads(fetch(base + f"__archive__/reload?since={build_no}", timeout=60))
        assert answer["build"] == build_no + 1  # the edited page first, rendered against the last build's index…
        assert "Hizbullah" in fetch(base + ARTICLE_004).decode("utf-8")
        assert time.monotonic() - started < 60
        answer = json.loads(fetch(base + f"__archive__/reload?since={build_no + 1}", timeout=120))
        assert answer["build"] == build_no + 2  # …then the full build
        assert "Hizbullah" in fetch(base + ARTICLE_004).decode("utf-8")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_with_a_site_url_pages_carry_their_permalink_as_og_url(project, capsys):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name:", "site_url: https://archive.example.org/\nsite_name:", 1), "utf-8")
    build(project, capsys)
    page = (project / "site" / ARTICLE_004).read_text("utf-8")
    assert '<meta property="og:url" content="https://archive.example.org/articles/004-8a7ef53b83db8164/">' in page
    head, _, _ = page.partition("</head>")
    assert head.index('http-equiv="Content-Security-Policy"') < head.index('property="og:url"')  # the policy comes first
