"""Shared fixtures: the project's seed articles and throw-away archive projects built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.ingest import InputFile, read_article
from builder.ingest.discover import KINDS

PROJECT = Path(__file__).resolve().parent.parent
SEED_000 = PROJECT / "articles" / "000_5e54e979575ccf65.txt"
SEED_004 = PROJECT / "articles" / "004_8a7ef53b83db8164.txt"


def read(path: Path, relative: str | None = None):
    """Ingest one file the way the build does → (Article | None, problems)."""
    relative = relative or path.name
    return read_article(InputFile(path, relative, relative, KINDS[path.suffix.lower()]))


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh archive project: the real mkdocs.yml and hand-written pages, the two seeds as articles."""
    root = tmp_path / "archive"
    (root / "docs").mkdir(parents=True)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    for page in ("index.md", "about.md"):
        shutil.copy(PROJECT / "docs" / page, root / "docs" / page)
    shutil.copytree(PROJECT / "docs" / "stylesheets", root / "docs" / "stylesheets")
    (root / "articles").mkdir()
    for seed in (SEED_000, SEED_004):
        shutil.copy(seed, root / "articles" / seed.name)
    return root


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Playwright's sync API allows one running instance)."""
    import os

    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true, so the browser tests must run")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
