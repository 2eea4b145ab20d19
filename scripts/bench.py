#!/usr/bin/env python3
"""`make bench`: the driver's build times, memory and first-search bytes at 5,000 / 10,000 articles (issue 11).

Developer tool, not part of the test suite. For each size N, in one throw-away project, it

0. writes N distinct articles of real text: recombined from the corpora in ../shared/corpora (beside the
   project, never copied into it) when present (a title from one FA-KES or BBC article, paragraphs from 2–3
   others, a fixed seed, about 40 % with a `date YYYY-MM-DD Site` clipping header), else from a small
   built-in generator. The output says which source was used.
1. cold: `<venv>/bin/archive -f mkdocs.yml build` with an empty .cache/ and no site/ (under /usr/bin/time -v,
   ARCHIVE_TILE_URL=""): wall, the build's own phases (its summary line), peak memory of the whole process
   tree (PSS and RSS, sampled from /proc; peak RSS of one process by program);
2. the same command again with nothing changed;
3. +1 article: one new article, the same command, with its phases;
4. the CI deploy: site/ deleted, the warm .cache/ kept, the same command, with phases and peak memory;
5. `archive serve` (warm cache) on a free port: waits until it serves, reads the build counter from
   `/__archive__/reload?since=-1`, long-polls `?since=<counter>`, appends a sentence to one existing article,
   and times until the long-poll returns the next build and until the article's page, fetched from the
   server, contains the sentence; then stops it (SIGINT);
6. a plain mkdocs-material build of the same normalised article pages (docs/articles/** of the archive
   build; theme material, plugins [search], nav [index.md]) with `<venv>/bin/mkdocs build -q`: the baseline;
7. the bytes a browser transfers for a first search, in headless Chromium (playwright, /usr/bin/chromium):
   the site served on 127.0.0.1, the home page opened, a query typed into the search box, the response
   bodies of every request from focusing the box onwards summed; and page sizes.

Results are printed as tables and written to BENCHMARKS.md between <!-- bench:start --> and <!-- bench:end -->
(text outside the markers is kept), with the machine and the measured commit described.

    /work/main/.venv/bin/python scripts/bench.py [--sizes 5000,10000] [--keep] [--no-write] [--query syria]

The `archive` measured is the venv's (default: the venv running this script); the script records which
checkout its `builder` package is imported from, and that checkout's commit before and after each size.

Exit codes: 0 done; 3 a build failed or printed no summary line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import http.server
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
BENCHMARKS = PROJECT_ROOT / "BENCHMARKS.md"
GNU_TIME = Path("/usr/bin/time")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SEED = 20240611

# The build's last stdout line (builder/app/cli.py, builder/build.py BuildReport.summary).
SUMMARY = re.compile(
    r"^archive: built (?P<site>.+?): (?P<files>\d+) files, (?P<articles>\d+) articles published, "
    r"(?P<errors>\d+) errors, (?P<warnings>\d+) warnings"
    r"(?:; (?P<nothing>nothing changed)|; (?P<written>\d+) files written, (?P<unchanged>\d+) unchanged, "
    r"(?P<removed>\d+) removed)? \((?P<timings>[^)]*)\)$", re.M)

TARGETS = {  # issue 11, "Targets"
    "add_s": (5.0, 5000),  # +1 article, `archive build`, at 5,000
    "serve_s": (2.0, 10000),  # the changed page shows in `archive serve`, at 10,000
    "noop_s": (3.0, 5000),  # rebuild with nothing changed, at 5,000
    "ci_ratio": (2.0, (5000, 10000)),  # CI deploy / plain mkdocs-material, at 5,000 and 10,000
    "memory_mb": (1024, 10000),  # peak memory of the whole process tree, at 10,000
    "search_kb": (300, 10000),  # first search, at 10,000
}
# Published figures of other generators, for the comparison table.
HUGO = ("Hugo", 4000, 0.68, "published figure: 4,000 pages in 0.68 s (full build)")
QUARTZ = ("Quartz v4", 2319, 60.0, "jackyzha0/quartz#633: after changing one file under `quartz build --serve`, "
          "\"all 2319 need to be emitted which takes 60 seconds\"")


# ─── articles ────────────────────────────────────────────────────────────────────────────────────────────

SENTENCE_END = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["”’]))\s+(?=["“‘]?[A-Z0-9])')
SITES = ["The Jerusalem Post - Israel News", "Reuters - World News", "Al-Monitor", "BBC News - Middle East",
         "Times of Israel", "Asharq Al-Awsat - English", "Middle East Eye", "Enab Baladi"]


def load_corpus_docs(corpora: Path) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every FA-KES and BBC article. FA-KES bodies are one long line: they are cut
    into paragraphs of about four sentences so that they recombine like the BBC's."""
    docs = []
    files = sorted((corpora / "fakes-dev" / "articles").glob("*.txt")) + sorted((corpora / "bbc").glob("*/*.txt"))
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]
        if len(blocks) < 2:
            continue
        title, body = blocks[0], blocks[1:]
        paragraphs = []
        for block in body:
            sentences = SENTENCE_END.split(block)
            if len(sentences) > 6:
                paragraphs.extend(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))
            else:
                paragraphs.append(block)
        if title and paragraphs and len(title) < 200:
            docs.append((title, paragraphs))
    return docs


from synthetic import synthetic_docs  # noqa: E402  (scripts/ is on sys.path when run as a script)


class ArticleMaker:
    """N distinct raw .txt articles in the seed shape: [clipping header,] title, blank line, paragraphs."""

    def __init__(self, corpora: Path, seed: int = SEED):
        self.rng = random.Random(seed)
        self.docs = load_corpus_docs(corpora) if corpora.is_dir() else []
        if self.docs:
            self.source = (f"real text recombined from {corpora} (FA-KES fakes-dev/articles + BBC; "
                           f"{len(self.docs)} source articles; seed {seed})")
        else:
            self.docs = synthetic_docs(600, random.Random(seed))
            self.source = f"synthetic text from the built-in generator (no {corpora}; seed {seed})"
        self.seen: set[str] = set()

    def make(self) -> str:
        rng, docs = self.rng, self.docs
        while True:
            title_doc = rng.randrange(len(docs))
            donors = rng.sample([i for i in rng.sample(range(len(docs)), 4) if i != title_doc][:3], k=rng.choice((2, 3)))
            paragraphs = []
            for d in donors:
                ps = docs[d][1]
                run = rng.randint(1, min(3, len(ps)))
                start = rng.randrange(len(ps) - run + 1)
                paragraphs.extend(ps[start:start + run])
            lines = []
            if rng.random() < 0.4:
                day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(8 * 365))
                lines += [f"date {day.isoformat()} {rng.choice(SITES)}", ""]
            lines += [docs[title_doc][0], ""]
            text = "\n".join(lines) + "\n" + "\n\n".join(paragraphs) + "\n"
            digest = hashlib.sha256(text.encode()).hexdigest()
            if digest not in self.seen:
                self.seen.add(digest)
                return text

    def write(self, folder: Path, count: int, prefix: str = "a") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (folder / f"{prefix}{i:05d}.txt").write_text(self.make(), encoding="utf-8")


# ─── running and measuring ───────────────────────────────────────────────────────────────────────────────


class TreeMemory(threading.Thread):
    """Samples a process and all its descendants (the build's worker pools, Pagefind) from /proc: the peak of
    the summed RSS (over-counts pages shared after fork), of the summed PSS (shared pages split), and the
    peak RSS of each program alone (by /proc/<pid>/comm: which one is the big one)."""

    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.peak_by_program: dict[str, int] = {}  # comm → peak RSS (kB) of one process
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            rss, pss = self._sample()
            self.peak_rss_kb, self.peak_pss_kb = max(self.peak_rss_kb, rss), max(self.peak_pss_kb, pss)
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def _sample(self) -> tuple[int, int]:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry.name))
        rss = pss = 0
        todo = [self.pid]
        while todo:
            pid = todo.pop()
            todo.extend(children.get(pid, []))
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
                program = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                continue
            for key, value in re.findall(r"^(Rss|Pss):\s+(\d+) kB", text, re.M):
                if key == "Rss":
                    rss += int(value)
                    self.peak_by_program[program] = max(self.peak_by_program.get(program, 0), int(value))
                else:
                    pss += int(value)
        return rss, pss


def parse_gnu_time(text: str) -> dict:
    out = {}
    for line in text.splitlines():
        key, sep, value = line.strip().rpartition(": ")
        if sep:
            try:
                out[key] = float(value) if "." in value else int(value)
            except ValueError:
                out[key] = value
    return out


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run cmd under /usr/bin/time -v, sampling the process tree's memory; → wall, user, sys, peaks, output."""
    time_file = Path(tempfile.mkstemp(prefix="bench-time-")[1])
    full = [str(GNU_TIME), "-v", "-o", str(time_file), *cmd] if GNU_TIME.is_file() else cmd
    started = time.perf_counter()
    proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    gnu = parse_gnu_time(time_file.read_text()) if time_file.stat().st_size else {}
    time_file.unlink()
    return {
        "exit": proc.returncode, "output": output, "wall_s": wall,
        "user_s": gnu.get("User time (seconds)"), "sys_s": gnu.get("System time (seconds)"),
        "cpu_pct": gnu.get("Percent of CPU this job got"),
        "max_rss_mb": round(gnu.get("Maximum resident set size (kbytes)", 0) / 1024, 1),  # largest single process
        "tree_rss_mb": round(sampler.peak_rss_kb / 1024, 1),
        "tree_pss_mb": round(sampler.peak_pss_kb / 1024, 1),
        "by_program_mb": {k: round(v / 1024) for k, v in sorted(sampler.peak_by_program.items(), key=lambda kv: -kv[1])},
    }




def parse_summary(output: str) -> dict | None:
    """The figures of the build's last summary line; None when there is none."""
    m = None
    for m in SUMMARY.finditer(output):
        pass
    if m is None:
        return None
    timings = {name: float(sec) for name, sec in re.findall(r"(\w+) ([\d.]+)s", m["timings"])}
    total = timings.pop("total", None)
    return {"articles": int(m["articles"]), "files": int(m["files"]), "errors": int(m["errors"]),
            "warnings": int(m["warnings"]), "nothing_changed": bool(m["nothing"]),
            "written": int(m["written"]) if m["written"] else None,
            "unchanged": int(m["unchanged"]) if m["unchanged"] else None,
            "removed": int(m["removed"]) if m["removed"] else None,
            "timings": timings, "total_s": total if total is not None else sum(timings.values()),
            "line": m.group(0)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
        return response.read()


def article_page(project: Path, source: str) -> str:
    """The site path of the article page made from articles/<source> (its record's `id`)."""
    for record in (project / "docs" / "articles").rglob("*.md"):
        head = record.read_text(encoding="utf-8", errors="replace")[:4000]
        if re.search(rf"^original: ['\"]?articles/{re.escape(source)}['\"]?$", head, re.M):
            ident = re.search(r"^id: ['\"]?([^'\"\n]+)", head, re.M).group(1)
            site = project / "site"
            for candidate in (f"articles/{ident}/index.html", f"articles/{ident}.html"):
                if (site / candidate).is_file():
                    return candidate
            hits = sorted(p.relative_to(site).as_posix() for p in (site / "articles").rglob(f"*{ident}*") if p.suffix == ".html" or p.is_dir())
            if hits:
                return hits[0] if hits[0].endswith(".html") else hits[0] + "/index.html"
    raise BuildFailed(f"no article page found for articles/{source}")


class ServeSession:
    """`archive serve` in the project, its output lines timestamped, its process tree's memory sampled."""

    def __init__(self, archive: Path, project: Path, env: dict):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.lines: list[tuple[float, str]] = []
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([str(archive), "-f", "mkdocs.yml", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
                                     cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.memory = TreeMemory(self.proc.pid)
        self.memory.start()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def counter(self, since: int = -1, timeout: float = 40) -> int:
        return json.loads(http_get(f"{self.base}/__archive__/reload?since={since}", timeout))["build"]

    def wait_ready(self, limit: float) -> float:
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise BuildFailed("archive serve exited (%s):\n%s" % (self.proc.returncode, "\n".join(l for _, l in self.lines[-40:])))
            try:
                self.counter(-1, timeout=5)
                return time.perf_counter() - self.started
            except (OSError, ValueError):
                time.sleep(0.25)
        raise BuildFailed(f"archive serve did not answer within {limit:.0f} s")

    def edit(self, path: Path, page: str, sentence: str, limit: float = 120) -> dict:
        """Append `sentence` to `path`; time until the long-poll reports the next build and until `page` shows it."""
        before = self.counter(-1)
        polled: dict = {}

        def poll() -> None:
            build = before
            while build <= before and time.perf_counter() < t0 + limit:
                try:
                    build = self.counter(before)
                except (OSError, ValueError):
                    time.sleep(0.1)
            polled["t"], polled["build"] = time.perf_counter(), build

        t0 = time.perf_counter() + 3600  # the poller's deadline is set for real below
        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        time.sleep(0.5)  # the long-poll is waiting in the server before the edit
        mark = len(self.lines)
        t0 = time.perf_counter()
        with path.open("a", encoding="utf-8") as out:
            out.write(f"\n{sentence}\n")
        poller.join(limit + 30)
        if "t" not in polled:
            polled["t"], polled["build"] = float("nan"), None
        shown = None
        while time.perf_counter() < t0 + limit:
            try:
                if sentence.encode() in http_get(f"{self.base}/{page}", 10):
                    shown = time.perf_counter()
                    break
            except OSError:
                pass
            time.sleep(0.05)
        rebuilt = next((line for _, line in self.lines[mark:] if "rebuilt in" in line), "")
        return {"poll_s": polled["t"] - t0, "page_s": (shown - t0) if shown else None, "build": polled["build"],
                "before": before, "server_line": rebuilt, "t0": t0}

    def search_refreshed_after(self, t0: float, wait: float) -> float | None:
        deadline = time.perf_counter() + wait
        while time.perf_counter() < deadline:
            hit = next((t for t, line in self.lines if t > t0 and "search refreshed" in line), None)
            if hit:
                return hit - t0
            time.sleep(0.5)
        return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.memory.stop()
        self.reader.join(5)


def measure_serve(archive: Path, project: Path, env: dict, page: str, source: Path) -> dict:
    session = ServeSession(archive, project, env)
    try:
        ready = session.wait_ready(1800)
        log(f"  serve ready after {ready:.1f}s on {session.base}")
        time.sleep(1.0)
        edits = []
        for i in (1, 2):
            sentence = f"Benchmark edit number {i} zq{random.Random(i).getrandbits(40):x}xq was appended here."
            e = session.edit(source, page, sentence)
            edits.append(e)
            log(f"  edit {i}: long-poll {e['poll_s']:.2f}s, page {e['page_s'] if e['page_s'] is None else round(e['page_s'], 2)}s; {e['server_line']}")
            time.sleep(1.0)
        refreshed = session.search_refreshed_after(edits[-1]["t0"], 240)
    finally:
        session.stop()
    return {"ready_s": ready, "edits": edits, "search_refreshed_s": refreshed,
            "tree_pss_mb": round(session.memory.peak_pss_kb / 1024, 1), "tree_rss_mb": round(session.memory.peak_rss_kb / 1024, 1),
            "log_tail": [line for _, line in session.lines[-12:]]}

def site_stats(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    html_bytes = [p.stat().st_size for p in html]
    article_pages = [p.stat().st_size for p in html if p.relative_to(site).parts[0] == "articles"]
    largest = max(html, key=lambda p: p.stat().st_size) if html else None
    return {
        "site_mb": sum(p.stat().st_size for p in files) / 2**20,
        "site_files": len(files),
        "pages": len(html),
        "avg_page_kb": sum(html_bytes) / len(html) / 1024 if html else 0,
        "avg_article_page_kb": sum(article_pages) / len(article_pages) / 1024 if article_pages else 0,
        "largest_page": f"{largest.relative_to(site)} ({largest.stat().st_size / 1024:.0f} KB)" if largest else "",
    }



class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, *args) -> None:
        pass


def browser_first_search(site: Path, query: str) -> dict:
    """Serve `site`, open the home page in headless Chromium, type `query` into the search box; sum the
    response bodies of the requests made from focusing the box until the network is quiet for 3 s."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
            phase = {"now": "load"}
            seen: list[tuple[str, object]] = []
            last = {"t": time.monotonic()}

            def on_request(request) -> None:
                seen.append((phase["now"], request))
                last["t"] = time.monotonic()

            context.on("request", on_request)
            context.on("requestfinished", lambda r: last.__setitem__("t", time.monotonic()))
            page = context.new_page()
            page.goto(url, wait_until="networkidle")
            phase["now"] = "search"
            box = page.locator("input.md-search__input").first
            box.click()
            page.keyboard.type(query, delay=60)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and time.monotonic() - last["t"] < 3:
                page.wait_for_timeout(250)
            results = page.locator(".md-search-result__item").count()
            rows = []
            for when, request in seen:
                try:
                    size = request.sizes()["responseBodySize"]
                except Exception:  # never finished or failed
                    size = 0
                rows.append((when, request.url.replace(url, "/"), max(size, 0)))
            browser.close()
    finally:
        server.shutdown()
    search = [r for r in rows if r[0] == "search"]
    return {"kb": sum(r[2] for r in search) / 1024, "requests": len(search), "results_shown": results,
            "load_kb": sum(r[2] for r in rows if r[0] == "load") / 1024,
            "largest": sorted(search, key=lambda r: -r[2])[:5], "query": query}


def plain_mkdocs(archive_docs: Path, folder: Path, mkdocs: Path) -> dict:
    """The baseline: a plain mkdocs-material build of the archive's normalised article pages."""
    docs = folder / "docs"
    shutil.copytree(archive_docs / "articles", docs / "articles")
    (docs / "index.md").write_text("# Articles\n\nA plain mkdocs-material build of the archive's article pages.\n")
    (folder / "mkdocs.yml").write_text(
        "site_name: Plain mkdocs-material baseline\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n"
        "markdown_extensions:\n  - md_in_html\n  - attr_list\n  - tables\n  - toc\n"
        "nav:\n  - index.md\n"
        "not_in_nav: |\n  /articles/**\n"
        "validation:\n  omitted_files: ignore\n  not_found: ignore\n  absolute_links: ignore\n"
        "  unrecognized_links: ignore\n  anchors: ignore\n")
    run = timed([str(mkdocs), "build", "-q", "-f", "mkdocs.yml"], folder)
    run.update(site_stats(folder / "site"))
    run["md_pages"] = sum(1 for _ in (docs / "articles").rglob("*.md"))
    return run




# ─── one size ───────────────────────────────────────────────────────────────────────────────────────────


def make_project(tmp: Path, source: Path) -> None:
    """The project's configuration, registry and hand-written pages, from the measured checkout."""
    for name in ("mkdocs.yml", "entities.yml"):
        shutil.copy2(source / name, tmp / name)
    (tmp / "docs").mkdir()
    for page in ("index.md", "about.md"):
        shutil.copy2(source / "docs" / page, tmp / "docs" / page)
    shutil.copytree(source / "docs" / "stylesheets", tmp / "docs" / "stylesheets")


def snapshot_code(checkout: Path) -> tuple[Path, str]:
    """A frozen copy of the checkout's committed HEAD (git archive): others merge into the checkout while a
    build runs, and a build that loaded its Python before a merge and reads templates after it fails."""
    head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    folder = Path(tempfile.mkdtemp(prefix=f"bench-code-{head}-"))
    archive = subprocess.run(["git", "-C", str(checkout), "archive", "--format=tar", head], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder, head


class BuildFailed(RuntimeError):
    pass


def archive_build(cmd: list[str], cwd: Path, env: dict, what: str) -> dict:
    """One timed `archive build`: its measurements and its summary line's figures, or BuildFailed."""
    run = timed(cmd, cwd, env)
    summary = parse_summary(run["output"])
    if run["exit"] != 0 or summary is None:
        raise BuildFailed(f"{what} (exit {run['exit']}):\n{run['output'][-4000:]}")
    run.pop("output")
    return {**run, **summary}


def bench_size(n: int, maker: ArticleMaker, venv: Path, query: str, keep: bool, measured: Path, code: Path, head: str) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
    r: dict = {"n": n, "tmp": str(tmp), "commit": head, "checkout_before": git_state(measured), "load_before": load_average()}
    env = {**os.environ, "ARCHIVE_TILE_URL": "", "PYTHONPATH": str(code)}
    archive = venv / "bin" / "archive"
    cmd = [str(archive), "-f", "mkdocs.yml", "build"]
    try:
        make_project(tmp, code)
        maker.write(tmp / "articles", n)
        r["input_kb"] = sum(p.stat().st_size for p in (tmp / "articles").glob("*.txt")) / n / 1024
        log(f"[{n}] load {r['load_before']}; 1. cold build: cd {tmp} && ARCHIVE_TILE_URL= {' '.join(cmd)}")
        cold = r["cold"] = archive_build(cmd, tmp, env, f"cold archive build at N={n}")
        log(f"[{n}] cold {cold['wall_s']:.1f}s wall, tree PSS {cold['tree_pss_mb']:.0f} MB: {cold['line']}")

        r["load_noop"] = load_average()
        noop = r["noop"] = archive_build(cmd, tmp, env, f"unchanged rebuild at N={n}")
        log(f"[{n}] 2. nothing changed {noop['wall_s']:.2f}s wall: {noop['line']}")

        (tmp / "articles" / "zz-added.txt").write_text(maker.make(), encoding="utf-8")
        r["load_add"] = load_average()
        add = r["add"] = archive_build(cmd, tmp, env, f"+1 article build at N={n}")
        log(f"[{n}] 3. +1 article {add['wall_s']:.2f}s wall: {add['line']}")

        shutil.rmtree(tmp / "site")
        r["load_ci"] = load_average()
        ci = r["ci"] = archive_build(cmd, tmp, env, f"CI deploy build at N={n}")
        log(f"[{n}] 4. CI deploy (site/ deleted, warm .cache/) {ci['wall_s']:.1f}s wall, tree PSS {ci['tree_pss_mb']:.0f} MB: {ci['line']}")
        r["site"] = site_stats(tmp / "site")
        r["pagefind_dir"] = (tmp / "site" / "pagefind").is_dir()

        source = "a00042.txt" if n > 42 else "a00000.txt"
        page = article_page(tmp, source)
        r["load_serve"] = load_average()
        log(f"[{n}] 5. archive serve: edit articles/{source} → /{page}")
        r["serve"] = measure_serve(archive, tmp, env, page, tmp / "articles" / source)

        r["load_plain"] = load_average()
        log(f"[{n}] 6. plain mkdocs-material baseline")
        plain = plain_mkdocs(tmp / "docs", tmp / "plain", venv / "bin" / "mkdocs")
        if plain["exit"] != 0:
            raise BuildFailed(f"plain mkdocs build (exit {plain['exit']}) at N={n}:\n{plain['output'][-4000:]}")
        plain.pop("output")
        r["plain"] = plain
        shutil.rmtree(tmp / "plain")  # 10k pages: keep the disk use down
        log(f"[{n}] plain mkdocs {plain['wall_s']:.1f}s wall, {plain['pages']} pages")

        if r["pagefind_dir"]:
            log(f"[{n}] 7. first search in headless Chromium")
            try:
                r["browser"] = browser_first_search(tmp / "site", query)
            except Exception as exc:  # reported, never hidden
                r["browser"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
            log(f"[{n}] first search: {r['browser'].get('kb', r['browser'].get('error'))}")
        r["checkout_after"] = git_state(measured)
    finally:
        if keep:
            log(f"[{n}] kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return r


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def imported_from(venv: Path, code: Path) -> str:
    out = subprocess.run([str(venv / "bin" / "python"), "-c", "import builder; print(builder.__file__)"],
                         capture_output=True, text=True, cwd="/", env={**os.environ, "PYTHONPATH": str(code)})
    return out.stdout.strip()


def measured_checkout(venv: Path) -> Path:
    """The checkout whose `builder` the venv's `archive` imports (an editable install)."""
    out = subprocess.run([str(venv / "bin" / "python"), "-c", "import builder, pathlib; print(pathlib.Path(builder.__file__).resolve().parent.parent)"],
                         capture_output=True, text=True, cwd="/")
    return Path(out.stdout.strip() or PROJECT_ROOT)


def git_state(repo: Path) -> str:
    def git(*args: str) -> str:  # read-only; --no-optional-locks: `status` must not refresh the index
        return subprocess.run(["git", "--no-optional-locks", "-C", str(repo), *args], capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "?"
    changed = [line for line in git("status", "--porcelain", "--", "builder").splitlines() if line.strip()]
    return head + (f" + {len(changed)} uncommitted paths under builder/" if changed else "")


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


# ─── reporting ──────────────────────────────────────────────────────────────────────────────────────────


def machine() -> dict:
    cpu = "?"
    try:
        cpu = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M).group(1)
    except (OSError, AttributeError):
        pass
    free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip() if shutil.which("free") else "?"
    return {"nproc": os.cpu_count(), "cpu": cpu, "free_g": free, "python": platform.python_version(),
            "platform": platform.platform(), "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load": load_average()}


def phases(run: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in run["timings"].items())


def writes(run: dict) -> str:
    if run["nothing_changed"]:
        return "nothing changed (short-circuited)"
    if run["written"] is None:
        return "?"
    return f"{run['written']:,} written, {run['unchanged']:,} unchanged, {run['removed']:,} removed"


def memory(run: dict) -> str:
    top = ", ".join(f"{k} {v:,}" for k, v in list(programs(run).items())[:3])
    return f"**{run['tree_pss_mb']:,.0f} MB** PSS ({run['tree_rss_mb']:,.0f} MB RSS); one process by program: {top} MB"


def programs(run: dict) -> dict:
    """Peak RSS of one process by program, without /usr/bin/time itself."""
    return {k: v for k, v in run.get("by_program_mb", {}).items() if k != "time"}


def server_timings(line: str) -> str:
    m = re.search(r"rebuilt in ([\d.]+)s: .*?(\d+) files written.*?\(([^)]*)\)", line)
    return f"rebuilt in {m.group(1)} s, {m.group(2)} files written ({m.group(3)})" if m else line[-200:]


def cpu(run: dict) -> float:
    return (run["user_s"] or 0) + (run["sys_s"] or 0)


def sec(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f} s"


def serve_cell(r: dict, i: int) -> str:
    e = r["serve"]["edits"][i]
    line = re.search(r"rebuilt in ([\d.]+)s", e["server_line"])
    return (f"**{sec(e['page_s'])}** until the page shows the sentence; long-poll returned {sec(e['poll_s'])}"
            + (f"; server: {server_timings(e['server_line'])}" if line else ""))


def browser_cell(r: dict) -> str:
    if not r.get("pagefind_dir"):
        return "no pagefind/ in the site: not measured"
    b = r.get("browser", {})
    if "error" in b:
        return f"failed: {b['error'][:120]}"
    return f"**{b['kb']:,.0f} KB** in {b['requests']} requests ({b['results_shown']} results shown)"


def size_table(r: dict) -> list[str]:
    c, noop, add, ci, s, p = r["cold"], r["noop"], r["add"], r["ci"], r["serve"], r["plain"]
    rows = [
        ("articles published (after +1)", f"{add['articles']:,} of {add['files']:,} files; input .txt average {r['input_kb']:.1f} KB"),
        ("builder measured (frozen copy); the checkout before → after; load average before the size",
         f"`{r['commit']}`; `{r['checkout_before']}` → `{r['checkout_after']}`; {r['load_before']}"),
        ("load average before steps 2 / 3 / 4 / 5 / 6", " / ".join(r[k].split()[0] for k in ("load_noop", "load_add", "load_ci", "load_serve", "load_plain"))),
        ("1. **cold build** (empty .cache/, no site/), wall", f"**{c['wall_s']:.1f} s** (user+sys CPU {cpu(c):.1f} s)"),
        ("  phases (s)", phases(c)),
        ("  peak memory, whole process tree", memory(c)),
        ("2. **nothing changed**, wall", f"**{noop['wall_s']:.2f} s** ({writes(noop)}; {phases(noop)})"),
        ("3. **+1 article**, wall", f"**{add['wall_s']:.2f} s** ({writes(add)})"),
        ("  phases (s)", phases(add)),
        ("4. **CI deploy** (site/ deleted, warm .cache/), wall", f"**{ci['wall_s']:.1f} s** (user+sys CPU {cpu(ci):.1f} s; {writes(ci)})"),
        ("  phases (s)", phases(ci)),
        ("  peak memory, whole process tree", memory(ci)),
        ("5. **`archive serve`**: ready (preview built, warm cache)", sec(s["ready_s"], 1)),
        ("  first edit of an article after start", serve_cell(r, 0)),
        ("  second edit of the same article", serve_cell(r, 1)),
        ("  search refreshed in the background", sec(s["search_refreshed_s"], 1) + " after the second edit"),
        ("  peak memory of serve's process tree", f"{s['tree_pss_mb']:,.0f} MB PSS ({s['tree_rss_mb']:,.0f} MB RSS)"),
        ("6. **plain mkdocs-material**, wall", f"**{p['wall_s']:.1f} s** (user+sys CPU {cpu(p):.1f} s; {p['pages']:,} pages; peak {p['tree_pss_mb']:,.0f} MB PSS)"),
        ("  **CI deploy / plain**", f"**{ci['wall_s'] / p['wall_s']:.2f}×** wall ({cpu(ci) / cpu(p):.2f}× CPU); cold build / plain {c['wall_s'] / p['wall_s']:.2f}×"),
        ("7. **first search**, Chromium", browser_cell(r)),
        ("  HTML pages; average page; average article page", f"{r['site']['pages']:,}; {r['site']['avg_page_kb']:.1f} KB; {r['site']['avg_article_page_kb']:.1f} KB"),
        ("  largest page; site/", f"{r['site']['largest_page']}; {r['site']['site_mb']:,.0f} MB, {r['site']['site_files']:,} files"),
    ]
    return [f"### N = {r['n']:,}", "", "| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]


def at(results: list[dict], n: int) -> dict | None:
    return next((r for r in results if r["n"] == n), None)


def stand_in(results: list[dict], n: int) -> tuple[dict, str]:
    """The result at n, or the largest below it with a caveat."""
    r = at(results, n)
    if r:
        return r, ""
    r = max(results, key=lambda x: x["n"])
    return r, f" (stated at {n:,}; measured at N = {r['n']:,} only)"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def slowest(run: dict, k: int = 3) -> str:
    ranked = sorted(run["timings"].items(), key=lambda kv: -kv[1])[:k]
    return ", ".join(f"{name} {v:.2f} s" for name, v in ranked)


def verdicts(results: list[dict]) -> list[str]:
    lines = []
    limit, n = TARGETS["add_s"]
    r, cav = stand_in(results, n)
    w = r["add"]["wall_s"]
    lines.append(f"- +1 article, `archive build` ≤ {limit:.0f} s at {n:,}: {verdict(w <= limit)}: {w:.2f} s at N = {r['n']:,}{cav}"
                 + ("" if w <= limit else f"; gap {w - limit:+.2f} s; slowest phases {slowest(r['add'])} (wall includes "
                    f"{w - r['add']['total_s']:.2f} s outside the timed phases: interpreter start, imports, config)") + ".")
    limit, n = TARGETS["serve_s"]
    r, cav = stand_in(results, n)
    pages = [e["page_s"] for e in r["serve"]["edits"]]
    worst = max((x for x in pages if x is not None), default=None)
    ok = worst is not None and None not in pages and worst <= limit
    lines.append(f"- Changed page shows in `archive serve` ≤ {limit:.0f} s at {n:,}: {verdict(ok)}: "
                 + " / ".join(sec(x) for x in pages) + f" (first / second edit) at N = {r['n']:,}{cav}"
                 + ("" if ok else f"; gap {(worst or float('nan')) - limit:+.2f} s; server: " + "; ".join(server_timings(e["server_line"]) for e in r["serve"]["edits"]))
                 + ".")
    limit, n = TARGETS["noop_s"]
    r, cav = stand_in(results, n)
    w = r["noop"]["wall_s"]
    lines.append(f"- Nothing changed ≤ {limit:.0f} s at {n:,}: {verdict(w <= limit)}: {w:.2f} s at N = {r['n']:,}{cav} "
                 f"(the build's own check {r['noop']['total_s']:.2f} s; the rest is starting the process)"
                 + ("" if w <= limit else f"; gap {w - limit:+.2f} s") + ".")
    limit, ns = TARGETS["ci_ratio"]
    parts, ok_all = [], True
    for n in ns:
        r = at(results, n)
        if not r:
            parts.append(f"not measured at {n:,}")
            ok_all = False
            continue
        ratio = r["ci"]["wall_s"] / r["plain"]["wall_s"]
        ok_all &= ratio <= limit
        parts.append(f"{ratio:.2f}× at {n:,} ({r['ci']['wall_s']:.1f} s vs {r['plain']['wall_s']:.1f} s"
                     + ("" if ratio <= limit else f"; gap {r['ci']['wall_s'] - limit * r['plain']['wall_s']:.1f} s over "
                        f"{limit:.1f}× plain; slowest phases {slowest(r['ci'])}") + ")")
    lines.append(f"- CI deploy (site/ deleted, warm .cache/) ≤ {limit:.1f}× plain mkdocs-material: {verdict(ok_all)}: " + "; ".join(parts) + ".")
    limit, n = TARGETS["memory_mb"]
    r, cav = stand_in(results, n)
    worst = max(r["ci"]["tree_pss_mb"], r["cold"]["tree_pss_mb"])
    lines.append(f"- Peak memory of the whole process tree ≤ 1 GB at {n:,}: {verdict(worst <= limit)}: CI deploy "
                 f"{r['ci']['tree_pss_mb']:,.0f} MB PSS ({r['ci']['tree_rss_mb']:,.0f} MB RSS), cold build {r['cold']['tree_pss_mb']:,.0f} MB PSS "
                 f"({r['cold']['tree_rss_mb']:,.0f} MB RSS) at N = {r['n']:,}{cav}; largest single processes (cold): "
                 + ", ".join(f"{k} {v:,} MB" for k, v in list(programs(r["cold"]).items())[:3])
                 + ("" if worst <= limit else f"; gap {worst - limit:+,.0f} MB") + ".")
    limit, n = TARGETS["search_kb"]
    r, cav = stand_in(results, n)
    kb = r.get("browser", {}).get("kb")
    ok = kb is not None and kb <= limit
    lines.append(f"- First search ≤ {limit} KB at {n:,}: {verdict(ok)}: "
                 + (f"{kb:,.0f} KB at N = {r['n']:,}{cav}" if kb is not None else "not measured: " + browser_cell(r))
                 + ("" if ok or kb is None else f"; gap {kb - limit:+,.0f} KB") + ".")
    return lines


def comparison(results: list[dict]) -> list[str]:
    out = ["| generator, pages | full build | one article changed | source |", "|---|---:|---:|---|"]
    for r in sorted(results, key=lambda x: x["n"]):
        e = r["serve"]["edits"][-1]
        out.append(f"| this archive, {r['n']:,} articles ({r['site']['pages']:,} HTML pages) | CI deploy {r['ci']['wall_s']:.1f} s; "
                   f"cold {r['cold']['wall_s']:.0f} s | `archive build` {r['add']['wall_s']:.1f} s; in `archive serve` {sec(e['page_s'], 1)} | this run |")
        out.append(f"| plain mkdocs-material, {r['plain']['pages']:,} pages | {r['plain']['wall_s']:.1f} s | (full rebuild) | this run |")
    out.append(f"| {HUGO[0]}, {HUGO[1]:,} pages | {HUGO[2]:.2f} s | — | {HUGO[3]} |")
    out.append(f"| {QUARTZ[0]}, {QUARTZ[1]:,} notes | — | {QUARTZ[2]:.0f} s | {QUARTZ[3]} |")
    return out


def markdown_report(results: list[dict], m: dict, source: str, argv: list[str], started: float, measured: Path) -> str:
    sizes = ", ".join(f"{r['n']:,}" for r in results)
    lines = [
        START,
        f"## Results ({m['date']})",
        "",
        f"Sizes measured: **{sizes}** articles, each in its own throw-away project. Nothing below is extrapolated.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, {m['platform']}; shared with other sessions "
        f"(load average at the end of the run {m['load']}; before each size in the tables), so wall times include contention.",
        "",
        "```",
        "$ free -g",
        m["free_g"],
        "```",
        "",
        f"Command: `{' '.join(['/work/main/.venv/bin/python', 'scripts/bench.py', *argv]).strip()}` "
        f"(whole run so far {(time.perf_counter() - started) / 60:.0f} min). Code measured: the venv's `archive` with "
        f"`builder` imported (PYTHONPATH) from a frozen copy (`git archive`) of `{measured}` at the commit in the tables; "
        f"the project's mkdocs.yml, registry and hand-written pages from the same copy. Articles: {source}. Every build is "
        "`cd <project> && ARCHIVE_TILE_URL= archive -f mkdocs.yml build` under `/usr/bin/time -v`; phases are the "
        "build's own summary line (seconds); memory is the peak over the process tree sampled from /proc every 0.2 s "
        "(PSS splits pages shared after fork; RSS counts them in every process).",
        "",
    ]
    for r in results:
        lines += [*size_table(r), ""]
    lines += ["### Targets (issue 11)", "", *verdicts(results), "",
              "### Beside other generators", "", *comparison(results), "",
              "Hugo's and Quartz's figures are theirs, on their machines, not rerun here."]
    for r in results:
        b = r.get("browser", {})
        if "largest" in b:
            lines.append(f"\nFirst search at N = {r['n']:,} (query {b['query']!r}), largest responses: "
                         + ", ".join(f"`{u}` {s / 1024:.0f} KB" for _, u, s in b["largest"]))
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_benchmarks(block: str) -> None:
    if BENCHMARKS.is_file():
        text = BENCHMARKS.read_text()
        if START in text and END in text:
            before, rest = text.split(START, 1)
            after = rest.split(END, 1)[1]
            BENCHMARKS.write_text(before + block.rstrip("\n") + after)
            return
        BENCHMARKS.write_text(text.rstrip("\n") + "\n\n" + block)
        return
    BENCHMARKS.write_text("# Benchmarks\n\n`make bench` (scripts/bench.py) writes the section between the markers.\n\n" + block)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="5000,10000", help="comma-separated article counts (default 5000,10000)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary projects and print their paths")
    ap.add_argument("--no-write", action="store_true", help="print only; do not update BENCHMARKS.md")
    ap.add_argument("--query", default="syria", help="what to type into the search box (default: syria)")
    ap.add_argument("--corpora", type=Path, default=CORPORA, help=f"corpora folder (default: {CORPORA})")
    ap.add_argument("--venv", type=Path, default=Path(sys.prefix), help="the venv whose archive and mkdocs run (default: this one)")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    measured = measured_checkout(args.venv)
    code, head = snapshot_code(measured)
    where = imported_from(args.venv, code)
    if not where.startswith(str(code)):
        print(f"bench: with PYTHONPATH={code} the venv imports builder from {where!r}, not the copy", file=sys.stderr)
        return 3
    log(f"measuring {args.venv}/bin/archive with builder from a frozen copy of {measured} at {head}: {code}")
    maker = ArticleMaker(args.corpora.resolve())
    log(f"articles: {maker.source}")
    results = []
    try:
        for n in sizes:
            results.append(bench_size(n, maker, args.venv, args.query, args.keep, measured, code, head))
            print(json.dumps(results[-1], default=str)[:20000], file=sys.stderr, flush=True)
            if not args.no_write:  # each size as soon as it is measured
                write_benchmarks(markdown_report(results, machine(), maker.source, argv, started, measured))
                log(f"wrote {BENCHMARKS} ({len(results)} of {len(sizes)} sizes)")
    except BuildFailed as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3
    finally:
        if results:
            print("\n" + markdown_report(results, machine(), maker.source, argv, started, measured))
        shutil.rmtree(code, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
