"""`archive serve`: the builder's own preview server, watcher and live reload.

The preview is built in `.cache/preview/site` (never the deployed site/, whose pages carry no reload
script) with the same incremental driver as `archive build`: after an edit only the affected pages are
rendered and written. Pages reload themselves when a build is done (assets/archive/live-reload.js long-polls
`/__archive__/reload`); the search index is rebuilt in the background after the pages are written, so a
changed page never waits for Pagefind.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..terminal import printable
from . import pagefind

log = logging.getLogger("builder")
POLL_S = 0.25  # how often the watcher looks for changes
SETTLE_S = 0.2  # an editor's save is often several writes: wait for quiet
LONG_POLL_S = 25


class Preview:
    """The build counter the pages wait on, and the rebuild loop."""

    def __init__(self, config, site_dir: Path):
        self.config, self.site_dir = config, site_dir
        self.build = 0
        self.changed = threading.Condition()
        self.search_lock = threading.Lock()
        self.stopping = threading.Event()
        self.index = None  # the last full build's Index and shells, for the quick first answer to an edit
        self.shells: dict = {}

    def rebuild(self, changed: list[Path] = ()) -> None:
        from ..build import build_site
        from .preview import quick_pages

        plugin = self.config.plugins["archive"]
        started = time.perf_counter()
        if self.index is not None and changed:
            try:
                quick = quick_pages(plugin.settings, self.index, self.shells, list(changed), self.site_dir)
            except Exception as exc:  # noqa: BLE001 - the full build below still runs and says what is wrong
                log.warning("%s", printable(f"archive serve: no quick preview: {exc}"))
                quick = []
            if quick:
                log.info("archive serve: %s shown in %.2fs; the full build follows", ", ".join(quick),
                         time.perf_counter() - started)
                with self.changed:
                    self.build += 1
                    self.changed.notify_all()
        try:
            report = build_site(plugin.settings, self.config, self.site_dir, serving=True)
        except Exception as exc:  # noqa: BLE001 - the preview keeps running; the message names the problem
            log.error("%s", printable(f"archive serve: the build failed: {exc}"))
            return
        if report.index is not None:
            self.index, self.shells = report.index, report.shells or {}
        for problem in report.problems:
            log.warning("%s", printable(f"{problem.severity.upper()}: {problem.file}: {problem.message}"))
        log.info("%s", printable(f"archive serve: rebuilt in {time.perf_counter() - started:.2f}s: {report.summary()}"))
        with self.changed:
            self.build += 1
            self.changed.notify_all()
        if not report.unchanged:
            threading.Thread(target=self.refresh_search, daemon=True).start()

    def warm_up(self) -> None:
        """Load the extractor (automaton, spaCy model) now, in the background, so the first edit's quick page does
        not wait for it (a build whose extractions all come from the cache never loads it)."""
        from .. import pipeline
        from ..cache import BuildCache

        if self.index is not None and self.index.articles:
            settings = self.config.plugins["archive"].settings
            try:
                pipeline.extract(self.index.articles[:1], settings, [], BuildCache(None))
            except Exception as exc:  # noqa: BLE001 - only a head start; the edit path reports real problems
                log.debug("archive serve: warm-up failed: %s", exc)

    def refresh_search(self) -> None:
        """Pagefind over the preview, into a fresh folder swapped in when done (search keeps working meanwhile)."""
        with self.search_lock:
            fresh = self.site_dir / (pagefind.OUTPUT_SUBDIR + ".next")
            shutil.rmtree(fresh, ignore_errors=True)
            try:
                result = pagefind.index_site(self.site_dir, output_subdir=fresh.name)
            except pagefind.PagefindError as exc:
                log.warning("%s", printable(f"archive serve: search index not refreshed: {exc}"))
                return
            live = self.site_dir / pagefind.OUTPUT_SUBDIR
            old = self.site_dir / (pagefind.OUTPUT_SUBDIR + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if live.exists():
                live.rename(old)
            fresh.rename(live)
            shutil.rmtree(old, ignore_errors=True)
            log.info("archive serve: search refreshed (%s)", result.summary())

    def wait(self, since: int) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.build > since or self.stopping.is_set(), timeout=LONG_POLL_S)
            return self.build


def watched(config) -> list[Path]:
    settings = config.plugins["archive"].settings
    return [settings.articles_dir, Path(config.docs_dir), Path(config.config_file_path)] + (
        [settings.registry] if settings.registry else [])


def snapshot(paths: list[Path], docs_dir: Path) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every watched file; the generated records under docs/articles/ are not watched."""
    from ..render import GENERATED_DIRS

    seen: dict[str, tuple[int, int]] = {}
    for root in paths:
        if root.is_file():
            st = root.stat()
            seen[str(root)] = (st.st_mtime_ns, st.st_size)
            continue
        for path in root.rglob("*") if root.is_dir() else ():
            if root == docs_dir and path.relative_to(root).parts[0] in GENERATED_DIRS:
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            seen[str(path)] = (st.st_mtime_ns, st.st_size)
    return seen


def handler_for(preview: Preview):
    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            if url.path == "/__archive__/reload":
                since = int((parse_qs(url.query).get("since") or ["-1"])[0] or -1)
                build = preview.build if since < 0 else preview.wait(since)
                body = json.dumps({"build": build}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, *args) -> None:
            pass

    return partial(Handler, directory=str(preview.site_dir))


def serve(config, host: str, port: int) -> int:
    from .atomic import Locked, build_lock

    settings = config.plugins["archive"].settings
    site_dir = (settings.cache_dir or settings.project_root / ".cache") / "preview" / "site"
    preview = Preview(config, site_dir)
    try:
        with build_lock(settings.project_root):
            preview.rebuild()
    except Locked as exc:
        log.error("archive: %s", exc)
        return 1
    threading.Thread(target=preview.warm_up, daemon=True).start()
    server = ThreadingHTTPServer((host, port), handler_for(preview))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"archive serve: http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
    paths = watched(config)
    before = snapshot(paths, Path(config.docs_dir))
    try:
        while True:
            time.sleep(POLL_S)
            now = snapshot(paths, Path(config.docs_dir))
            if now == before:
                continue
            time.sleep(SETTLE_S)
            now = snapshot(paths, Path(config.docs_dir))
            changed = [Path(p) for p in now.keys() | before.keys() if now.get(p) != before.get(p)]
            before = now
            try:
                with build_lock(settings.project_root):
                    preview.rebuild(changed)
            except Locked as exc:
                log.warning("archive serve: %s", exc)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stopping.set()
        with preview.changed:
            preview.changed.notify_all()
        server.shutdown()
    return 0
