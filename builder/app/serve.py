"""`archive serve`: the builder's own preview server, watcher and live reload.

The preview is built in `.cache/preview/site` (never the deployed site/, whose pages carry no reload
script) with the same incremental driver as `archive build`: after an edit only the affected pages are
rendered and written. Pages reload themselves when a build is done (assets/archive/live-reload.js long-polls
`/__archive__/reload`); the search index is rebuilt in the background after the pages are written, so a
changed page never waits for Pagefind.

The server is for the author's own browser, and guarded like one a web page could reach: a request that is
not well formed (an unparseable query value, a path with NUL, control characters, bytes that are not UTF-8,
or '.' / '..' segments) is a plain 400; a folder without index.html is a 404, never a listing; a Host header
other than the address it is bound to (localhost, 127.0.0.1, [::1], the --dev-addr host, with or without the
port) is a 421, so a page of another site cannot read the preview through DNS rebinding; at most MAX_CLIENTS
connections are handled at once (the next wait up to QUEUE_WAIT_S for a free slot, then are dropped), and a
client that says nothing is dropped after REQUEST_TIMEOUT_S.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import socket
import sys
import threading
import time
from collections.abc import Sequence
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote_to_bytes, urlsplit

from ..terminal import printable
from ..site import pagefind

if TYPE_CHECKING:
    from ..aggregate import Index

log = logging.getLogger("builder")
POLL_S = 0.25  # how often the watcher looks for changes
SETTLE_S = 0.2  # an editor's save is often several writes: wait for quiet
LONG_POLL_S = 25
MAX_CLIENTS = 32  # connections handled at once (each open page holds one in its long poll)
QUEUE_WAIT_S = 10  # how long a connection beyond MAX_CLIENTS waits for a free slot before it is dropped
REQUEST_TIMEOUT_S = 20  # a client that sends nothing (or stops reading) for this long is dropped
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
_PORT = re.compile(r"[0-9]{1,5}")
_SINCE = re.compile(r"-?[0-9]{1,18}")
_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")


class Preview:
    """The build counter the pages wait on, and the rebuild loop."""

    def __init__(self, config, site_dir: Path):
        self.config, self.site_dir = config, site_dir
        self.build = 0
        self.changed = threading.Condition()
        self.search_lock = threading.Lock()
        self.stopping = threading.Event()
        self.index: Index | None = None  # the last full build's Index and shells, for the quick first answer to an edit
        self.shells: dict = {}

    def rebuild(self, changed: Sequence[Path] = ()) -> None:
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
                pipeline.extract(self.index.articles[:1], settings, BuildCache(None))
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
    from ..paths import GENERATED_DIRS

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


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def host_allowed(value: str, bound: tuple[str, ...], port: int) -> bool:
    """Whether a request's Host header names this server: localhost, 127.0.0.1, [::1] or one of the `bound`
    names (the address it listens on, as given and as bound), with no port or `port`. Anything else is a
    page of another site reaching the preview through a name that resolves to it (DNS rebinding)."""
    value = value.strip().lower()
    if value.startswith("["):
        name, found, rest = value.partition("]")
        if not found or (rest and not rest.startswith(":")):
            return False
        name, port_text = name + "]", rest[1:] if rest else None
    else:
        name, found, port_text = value.partition(":")
        port_text = port_text if found else None
    if port_text is not None and not (_PORT.fullmatch(port_text) and int(port_text) == port):
        return False
    return bool(name) and name in LOOPBACK_HOSTS | {_bracketed(h).lower() for h in bound if h}


def path_problem(target: str) -> str | None:
    """Why a request target is not a plain path into the site, or None: the preview serves files by their
    plain names, so anything else is refused rather than interpreted."""
    if not target.startswith("/"):
        return "not a path"
    raw = unquote_to_bytes(target.split("?", 1)[0].split("#", 1)[0])  # not urlsplit: '//x/..' is no host
    if _CONTROL.search(raw):
        return "a NUL or control character in the path"
    try:
        path = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "the path is not UTF-8"
    if any(part in (".", "..") for part in path.split("/")):
        return "a '.' or '..' segment in the path"
    return None


class PreviewServer(ThreadingHTTPServer):
    """http.server's threading server, bounded: at most `max_clients` connections are handled at once; a
    further one waits (in the listen queue, then up to QUEUE_WAIT_S for a slot) or is dropped. `bound_hosts`:
    the names the Host header may give (see host_allowed). An error in a request is one line in the log,
    never a traceback."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], handler, max_clients: int = MAX_CLIENTS):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.slots = threading.BoundedSemaphore(max_clients)
        self.stopping = threading.Event()
        super().__init__(address, handler)
        self.bound_hosts = (address[0], str(self.server_address[0]))

    def process_request(self, request, client_address):
        deadline = time.monotonic() + QUEUE_WAIT_S
        while not self.slots.acquire(timeout=0.1):
            if self.stopping.is_set() or time.monotonic() > deadline:
                log.debug("archive serve: too many connections at once, one from %s dropped", client_address[0])
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)  # a thread, which gives the slot back when done
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def shutdown(self):
        self.stopping.set()
        super().shutdown()

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        log.debug("%s", printable(f"archive serve: a request from {client_address[0]} failed: {type(exc).__name__}: {exc}"))


def _host_and_port(address: object) -> tuple[str, int]:
    """An IP server's address: (host, port) for IPv4, (host, port, flowinfo, scope_id) for IPv6."""
    if not isinstance(address, tuple):
        raise TypeError(f"the preview listens on an IP address, not {address!r}")
    return str(address[0]), int(address[1])


def handler_for(preview: Preview):
    class Handler(SimpleHTTPRequestHandler):
        timeout = REQUEST_TIMEOUT_S

        def parse_request(self) -> bool:
            if not super().parse_request():
                return False
            hosts = self.headers.get_all("Host") or []
            server = self.server
            host, port = _host_and_port(server.server_address)
            bound = getattr(server, "bound_hosts", (host,))
            if len(hosts) > 1 or (hosts and not host_allowed(hosts[0], bound, port)):
                self.refuse(HTTPStatus.MISDIRECTED_REQUEST, "this preview answers only to the address it listens on",
                            f"a request for host {hosts!r} refused")
                return False
            problem = path_problem(self.path)
            if problem:
                self.refuse(HTTPStatus.BAD_REQUEST, problem, f"{problem}: {self.path!r}")
                return False
            return True

        def refuse(self, status: HTTPStatus, message: str, logged: str) -> None:
            log.info("%s", printable(f"archive serve: {status.value}: {logged}"[:300]))
            self.close_connection = True
            self.send_error(status, message)

        def do_GET(self):  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            if url.path == "/__archive__/reload":
                since = (parse_qs(url.query).get("since") or ["-1"])[0] or "-1"
                if not _SINCE.fullmatch(since):
                    self.refuse(HTTPStatus.BAD_REQUEST, "since: not a build number", f"since={since!r}")
                    return
                build = preview.build if int(since) < 0 else preview.wait(int(since))
                body = json.dumps({"build": build}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def list_directory(self, path):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")  # a folder without index.html: no listing
            return None

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, *args) -> None:
            pass

    return partial(Handler, directory=str(preview.site_dir))


def serve(config, host: str, port: int) -> int:
    from ..site.atomic import Locked, build_lock

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
    server = PreviewServer((host, port), handler_for(preview))
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
