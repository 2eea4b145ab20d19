"""Hardening III: `archive serve` answers bad requests with a plain 400, never lists a folder, refuses foreign
Host headers (DNS rebinding) and bounds its threads; 404.html carries the site's Content-Security-Policy; no
JSON the site publishes holds a raw U+2028 / U+2029 (they end a line in a JavaScript script context)."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from builder.app.cli import main
from builder.app import serve
from conftest import make_project, time_limit

SEPARATORS = ("\u2028", "\u2029")
RAW_SEPARATORS = ("\u2028".encode(), "\u2029".encode())


# ─── the preview server ─────────────────────────────────────────────────────────────────────────────────


class _Preview(SimpleNamespace):
    """What the request handler uses of serve.Preview: the build counter, its wait and the site folder."""

    def wait(self, since: int) -> int:
        return self.build


@pytest.fixture
def preview_server(tmp_path: Path):
    """A preview server over a small site on 127.0.0.1 (a free port) → (server, port)."""
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>", "utf-8")
    (site / "page" / "index.html").write_text("<p>page</p>", "utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "secret-listing.txt").write_text("x", "utf-8")
    started = []

    def start(max_clients: int = serve.MAX_CLIENTS, host: str = "127.0.0.1"):
        server = serve.PreviewServer((host, 0), serve.handler_for(_Preview(build=3, site_dir=site)),
                                     max_clients=max_clients)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        started.append((server, thread))
        return server, server.server_address[1]

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def request(port: int, target: str, host: str | None = None, method: str = "GET") -> tuple[int, bytes]:
    """Send one raw request (the target exactly as given) → (status, body); (0, b"") if the server closed the
    connection without an answer."""
    head = f"{method} {target} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "")
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head.encode("latin-1") + b"Connection: close\r\n\r\n")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    if not data:
        return 0, b""
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


@pytest.mark.integration
@pytest.mark.parametrize("query", ["since=abc", "since=1e3", "since=" + "9" * 5000, "since=%00"])
def test_an_unparseable_since_is_a_plain_400(preview_server, capfd, query):
    _, port = preview_server()
    status, body = request(port, f"/__archive__/reload?{query}", host=f"127.0.0.1:{port}")
    assert status == 400
    assert b"Traceback" not in body
    assert "Traceback" not in capfd.readouterr().err
    assert request(port, "/__archive__/reload?since=-1", host=f"127.0.0.1:{port}") == (200, b'{"build": 3}')


@pytest.mark.integration
@pytest.mark.parametrize("target", [
    "/%00", "/page/%00/", "/index.html%00.txt", "/%0a", "/%ed%b0%80", "/%ff", "/%c0%ae%c0%ae/",
    "/../../../etc/passwd", "/page/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/page/%2E%2E/index.html", "/./index.html", "//%2e%2e/%2e%2e/etc/passwd", "*",
])
def test_bad_paths_are_a_plain_400(preview_server, capfd, target):
    _, port = preview_server()
    for method in ("GET", "HEAD"):
        status, body = request(port, target, host=f"127.0.0.1:{port}", method=method)
        assert status == 400, (method, target)
        assert b"Traceback" not in body
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.integration
def test_a_folder_without_index_html_is_404_never_a_listing(preview_server):
    _, port = preview_server()
    for target in ("/assets/", "/assets"):
        status, body = request(port, target, host=f"127.0.0.1:{port}")
        assert status in (404, 301) and b"secret-listing" not in body, target
    assert request(port, "/assets/", host=f"127.0.0.1:{port}")[0] == 404
    assert request(port, "/page/", host=f"127.0.0.1:{port}") == (200, b"<p>page</p>")  # index.html is served
    assert request(port, "/", host=f"127.0.0.1:{port}") == (200, b"<p>home</p>")


@pytest.mark.integration
def test_a_foreign_host_header_is_refused(preview_server):
    _, port = preview_server()
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", f"localhost.evil.example:{port}",
                 "10.0.0.1", f"127.0.0.2:{port}", f"127.0.0.1:{port + 1 if port < 65535 else 1}", f"127.0.0.1:{port}x",
                 "", "[::1", f"localhost:{port}:{port}"):
        status, body = request(port, "/", host=host)
        assert status in (400, 421), host
        assert b"home" not in body, host
    for host in ("127.0.0.1", f"127.0.0.1:{port}", "localhost", f"LOCALHOST:{port}", "[::1]", f"[::1]:{port}"):
        assert request(port, "/", host=host) == (200, b"<p>home</p>"), host
    status, _ = request(port, "/__archive__/reload?since=-1", host=f"evil.example:{port}")
    assert status in (400, 421)


@pytest.mark.integration
def test_the_bound_host_name_is_accepted(preview_server):
    _, port = preview_server(host="localhost")
    assert request(port, "/", host=f"localhost:{port}") == (200, b"<p>home</p>")
    assert request(port, "/", host=f"127.0.0.1:{port}") == (200, b"<p>home</p>")
    assert request(port, "/", host=f"rebound.example:{port}")[0] in (400, 421)


def _handler_threads() -> int:
    return sum("process_request_thread" in t.name for t in threading.enumerate())


@pytest.mark.integration
def test_threads_are_bounded(preview_server):
    server, port = preview_server(max_clients=3)
    before = _handler_threads()
    idle = []
    try:
        with time_limit(60):
            for _ in range(20):  # clients that connect and say nothing (slowloris)
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            time.sleep(1.0)
            assert _handler_threads() - before <= 3
    finally:
        for s in idle:
            s.close()
    with time_limit(60):  # the slots come back once those clients are gone
        deadline = time.monotonic() + 30
        while True:
            try:
                if request(port, "/", host=f"127.0.0.1:{port}") == (200, b"<p>home</p>"):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not recover from idle clients"
            time.sleep(0.2)
    assert _handler_threads() - before <= 3


@pytest.mark.unit
def test_host_allowed():
    allowed = serve.host_allowed
    bound = ("127.0.0.1",)
    assert allowed("127.0.0.1:8000", bound, 8000) and allowed("localhost", bound, 8000)
    assert allowed("[::1]:8000", bound, 8000) and allowed("Localhost:8000", bound, 8000)
    assert not allowed("evil.example:8000", bound, 8000) and not allowed("127.0.0.1:8001", bound, 8000)
    assert not allowed("127.0.0.1:", bound, 8000) and not allowed("::1", bound, 8000)
    assert allowed("archive.lan:8000", ("archive.lan",), 8000) and allowed("[fd00::1]", ("fd00::1",), 8000)


# ─── JSON for the site ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.unit
def test_site_json_writers_escape_line_and_paragraph_separators():
    from builder.render import exports, linked_data

    record = {"name": "a\u2028b\u2029c", "aliases": ["\u2028"]}
    written = [
        exports.json_lines([record]).decode("utf-8"),
        exports.json_lines([record], head='{"features": ', tail="}").decode("utf-8"),
        linked_data.json_ld_script(record),
    ]
    for text in written:
        assert not any(sep in text for sep in SEPARATORS), text
        assert "\\u2028" in text and "\\u2029" in text
    assert json.loads(written[0]) == [record]
    assert json.loads(written[1]) == {"features": [record]}


# ─── a built site: 404.html's policy, the data files ────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def separator_site(tmp_path_factory) -> Path:
    """The seeds built with a registry whose Hezbollah description holds U+2028 and U+2029."""
    root = make_project(tmp_path_factory.mktemp("separators") / "archive")
    registry = root / "entities.yml"
    text = registry.read_text("utf-8")
    old = "description: Lebanese Shia political party and militant group, armed and funded by Iran."
    assert old in text
    new = 'description: "Lebanese Shia party\\u2028and militant group\\u2029armed by Iran."'  # YAML escapes
    registry.write_text(text.replace(old, new, 1), "utf-8")
    with time_limit(300):
        assert main(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    return root / "site"


def _policy(page: str) -> str:
    head = page[: page.index("</head>")]
    assert head.index('http-equiv="Content-Security-Policy"') < head.index("<script")
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', head).group(1)


@pytest.mark.integration
def test_the_404_page_carries_the_sites_policy(separator_site):
    home = _policy((separator_site / "index.html").read_text("utf-8"))
    page = (separator_site / "404.html").read_text("utf-8")
    policy = _policy(page)
    directives = lambda p: {d.split()[0]: d for d in p.split("; ")}  # noqa: E731
    ours, theirs = directives(policy), directives(home)
    assert ours.keys() == theirs.keys()
    for name in ours.keys() - {"script-src"}:
        assert ours[name] == theirs[name]
    scripts = ours["script-src"].split()
    assert "'strict-dynamic'" in scripts and "'unsafe-inline'" not in scripts and "'self'" not in scripts
    for src, integrity in re.findall(r'<script src="([^"]+)" integrity="([^"]+)"', page):  # the theme's scripts run
        assert f"'{integrity}'" in scripts, src
    assert not re.findall(r'<script src="[^"]+">', page)  # every script file is pinned by its hash


@pytest.mark.integration
def test_no_site_json_holds_a_raw_line_separator(separator_site):
    raw = (separator_site / "data" / "entities.json").read_bytes()
    [hezbollah] = [e for e in json.loads(raw) if e["name"] == "Hezbollah"]
    assert hezbollah["description"] == "Lebanese Shia party\u2028and militant group\u2029armed by Iran."
    for path in sorted(separator_site.rglob("*")):
        if path.suffix in (".json", ".geojson") and path.is_file():
            assert not any(sep in path.read_bytes() for sep in RAW_SEPARATORS), path
        elif path.suffix == ".html":
            for block in re.findall(r"<script[^>]*>(.*?)</script>", path.read_text("utf-8"), re.S):
                assert not any(sep in block for sep in SEPARATORS), path
