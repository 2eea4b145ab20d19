"""Shared fixtures: the project's seed articles and throw-away archive projects built from them."""

from __future__ import annotations

import contextlib
import functools
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from builder.ingest import InputFile, read_article
from builder.ingest.discover import KINDS

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "scripts"))  # the synthetic-article generator, shared with the benchmark
SEED_000 = PROJECT / "articles" / "000_5e54e979575ccf65.txt"
SEED_004 = PROJECT / "articles" / "004_8a7ef53b83db8164.txt"


def read(path: Path, relative: str | None = None):
    """Ingest one file the way the build does → (Article | None, problems)."""
    relative = relative or path.name
    return read_article(InputFile(path, relative, relative, KINDS[path.suffix.lower()]))


class Hang(Exception):
    """A time_limit ran out: the code under test hung."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail with Hang when the block runs longer than `seconds` (SIGALRM: main thread only)."""
    def on_alarm(signum, frame):
        raise Hang(f"took more than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def rendered_pages(settings) -> list:
    """Every generated page of the project `settings` names, as the build's emitters render them (the analysis
    and rendered pages cached as a build caches them), without mkdocs or a site."""
    from builder import emit, pipeline
    from builder.cache import BuildCache

    cache = BuildCache(settings.cache_dir)
    analysis = pipeline.analyse(settings, cache)
    context = emit.EmitContext(analysis.index, settings.tiles, analysis.gazetteer.country, cache.table("html"),
                               workers=settings.workers)
    pages = emit.html_pages(context)
    cache.save()
    return pages


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def build_rules_only(root: Path) -> Path:
    """`archive build` of the project at `root` (no spaCy model: quick) into root/../site, checked to succeed."""
    import os
    import subprocess

    site = root.parent / "site"
    env = {**os.environ, "ARCHIVE_MODEL": "none", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    env.pop("ARCHIVE_TILE_URL", None)
    result = subprocess.run([sys.executable, "-m", "builder.app.cli", "build", "--site-dir", str(site)], cwd=root,
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, f"archive build failed:\n{result.stdout}\n{result.stderr}"
    return site


def make_project(root: Path) -> Path:
    """A fresh archive project at `root`: the real mkdocs.yml, registry and hand-written pages, the two seeds
    as articles, and the gazetteer cache built once for the session."""
    (root / "docs").mkdir(parents=True)
    for name in ("mkdocs.yml", "entities.yml"):
        shutil.copy(PROJECT / name, root / name)
    for page in ("index.md", "about.md"):
        shutil.copy(PROJECT / "docs" / page, root / "docs" / page)
    shutil.copytree(PROJECT / "docs" / "stylesheets", root / "docs" / "stylesheets")
    (root / "articles").mkdir()
    for seed in (SEED_000, SEED_004):
        shutil.copy(seed, root / "articles" / seed.name)
    for cached in _gazetteer_cache().glob("gazetteer-*"):
        (root / ".cache").mkdir(exist_ok=True)
        shutil.copy(cached, root / ".cache" / cached.name)
    return root


@functools.cache
def _gazetteer_cache() -> Path:
    """The gazetteer, built once per test session (5–10 s from geonames' cities500) and copied into each project."""
    from builder.extract.gazetteer import load_gazetteer

    directory = Path(tempfile.mkdtemp(prefix="archive-gazetteer-"))
    load_gazetteer(directory)
    return directory


@pytest.fixture(scope="session")
def gazetteer_cache_dir() -> Path:
    """The session's gazetteer cache folder (read it, never write to it): `gazetteer-*.json`."""
    return _gazetteer_cache()


@pytest.fixture(scope="session")
def gazetteer(gazetteer_cache_dir: Path):
    """The session's one gazetteer, the one built cold into `gazetteer_cache_dir` (`from_cache` is False and
    `load_seconds` is the cold build's time): lookups share it instead of each building their own."""
    from builder.extract.gazetteer import load_gazetteer

    return load_gazetteer(gazetteer_cache_dir)


LANES = ("unit", "integration", "browser", "safety", "perf", "fuzz")  # registered in pyproject.toml; `make test-<lane>` runs one


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything: a test without a lane fails every run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test picks exactly one lane, with `pytestmark = pytest.mark.<lane>` or `@pytest.mark.<lane>`."""
    wrong = []
    for item in items:
        lanes = sorted({mark.name for mark in item.iter_markers()} & set(LANES))
        if len(lanes) != 1:
            wrong.append(f"  {item.nodeid}: {', '.join(lanes) or 'no lane'}")
    if wrong:
        raise pytest.UsageError(f"every test needs exactly one lane marker ({', '.join(LANES)}; see README, Tests):\n"
                                + "\n".join(wrong))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "archive")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name="test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def new_page(browser, site_url: str, problems: list[str], timeout_ms: int = 20_000,
             viewport: dict | None = None, **options):
    """A browser context kept to the site (keep_to_site), whose console errors and warnings and page errors are
    recorded in `problems` for the test to assert on; → (context, page). `options`: Playwright's new_context
    options (java_script_enabled, color_scheme, …)."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="en-GB", **options)
    context.set_default_timeout(timeout_ms)
    context.on("console", lambda msg: msg.type in ("error", "warning") and problems.append(f"console {msg.type}: {msg.text}"))
    context.on("weberror", lambda err: problems.append(f"page error: {err.error}"))
    keep_to_site(context, site_url, problems)
    return context, context.new_page()


def keep_to_site(context, base_url: str, problems: list[str]) -> None:
    """Browser tests run offline: a request to any other host is aborted and recorded in `problems`."""
    def only_this_site(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            problems.append(f"request to another host: {route.request.url}")
            route.abort()

    context.route("**/*", only_this_site)


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
