#!/usr/bin/env python3
"""`make bench`: build time, memory, page size and first-search bytes at 1,000 / 5,000 / 10,000 articles.

Developer tool, not part of the test suite. For each size N it

1. writes N distinct articles of real text into a throw-away project in a temporary folder:
   recombined from the corpora in ../shared/corpora (beside the project, never copied into it) when
   present — a title from one FA-KES or BBC article, paragraphs from 2–3 others, a fixed seed, about
   40 % with a `date YYYY-MM-DD Site` clipping header — else from a small built-in generator
   (synthetic sentences over a word list of names and places). The output says which source was used.
2. runs, with the temporary project as working directory and ARCHIVE_TILE_URL="",

       <venv>/bin/archive -f mkdocs.yml build                 (under /usr/bin/time -v)

   a cold build: empty .cache/, so the gazetteer is built (once per machine and builder version) and
   every article is parsed and scanned. Reported: wall time, peak memory, the build's own phase
   timings (the *generate step* = ingest + extract + aggregate + render + write; the rest of the
   total is mkdocs), pages, average HTML page size, site size.
3. measures the bytes a browser transfers for a first search: with Material's lunr search, the
   size of search/search_index.json plus the search worker script (computed from file sizes; gzip
   sizes are shown too); when the built site has a pagefind/ folder, also measured in headless
   Chromium (playwright, Debian's /usr/bin/chromium): the site is served on 127.0.0.1, the home page
   opened, a query typed into the search box, and the response bodies of every request made from
   focusing the box onwards are summed.
4. builds a plain mkdocs-material site from the same normalised article pages (docs/articles/**
   of the archive build; theme material, plugins [search], nav [index.md], no entity pages) with
   `<venv>/bin/mkdocs build -q` under /usr/bin/time -v: the baseline the full build is compared to.
5. adds one new article and runs `archive build` again (incremental: the build cache is warm).
6. runs the generate step alone in a fresh process on one core (`taskset -c 0`,
   `pipeline.generate(Settings(..., workers=1))`) with an empty cache directory (cold; the
   gazetteer build is timed apart), then again with that cache (warm).

Results are printed as a table and written to BENCHMARKS.md between <!-- bench:start --> and
<!-- bench:end --> (text outside the markers is kept), with the machine described.

    .venv/bin/python scripts/bench.py [--sizes 1000,5000,10000] [--keep] [--no-write] [--query syria]

Exit codes: 0 done; 3 a build failed or printed no summary line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import hashlib
import http.server
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
BENCHMARKS = PROJECT_ROOT / "BENCHMARKS.md"
GNU_TIME = Path("/usr/bin/time")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
GENERATE_PHASES = ("ingest", "extract", "aggregate", "render", "write")
SEED = 20240611

# The build's last stdout line (builder/cli.py).
SUMMARY = re.compile(
    r"^archive: built (?P<site>.+?): (?P<files>\d+) files, (?P<articles>\d+) articles published, "
    r"(?P<errors>\d+) errors, (?P<warnings>\d+) warnings \((?P<timings>[^)]*)\); total (?P<total>[\d.]+)s$", re.M)

TARGETS = {  # the targets
    "ratio": 1.2,  # full build / plain mkdocs-material build, at 10k
    "rate": 2000,  # generate step, articles per second on one core
    "incremental_s": 2.0,  # adding one article to a built archive
    "rss_mb": 1024,  # peak memory
    "page_kb": 40,  # average page
    "search_kb": 500,  # first search, at 10k
}


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
    m = None
    for m in SUMMARY.finditer(output):
        pass
    if m is None:
        return None
    timings = {name: float(sec) for name, sec in re.findall(r"(\w+) ([\d.]+)s", m["timings"])}
    generate = sum(timings.get(p, 0.0) for p in GENERATE_PHASES)
    return {"articles": int(m["articles"]), "files": int(m["files"]), "errors": int(m["errors"]),
            "warnings": int(m["warnings"]), "timings": timings, "generate_s": generate,
            "total_s": float(m["total"]), "mkdocs_s": float(m["total"]) - generate, "line": m.group(0)}


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


def lunr_first_search(site: Path) -> dict | None:
    """What Material's search downloads: the whole index and the worker (computed from the files)."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return None
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    parts = [index, *workers[:1]]
    raw = sum(p.stat().st_size for p in parts)
    gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in parts)
    return {"raw_kb": raw / 1024, "gzip_kb": gz / 1024, "index_kb": index.stat().st_size / 1024,
            "files": [str(p.relative_to(site)) for p in parts]}


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
    run["lunr"] = lunr_first_search(folder / "site")
    run["md_pages"] = sum(1 for _ in (docs / "articles").rglob("*.md"))
    return run


def generate_alone(project: Path, cache: Path, docs: Path, python: Path) -> dict:
    """The generate step alone, in a fresh process pinned to one core, workers=1."""
    cmd = [str(python), str(Path(__file__).resolve()), "--_generate", str(project), str(cache), str(docs)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    run = timed(cmd, project, env={**os.environ, "ARCHIVE_TILE_URL": ""})
    if run["exit"] != 0:
        raise RuntimeError(f"generate-only run failed:\n{run['output'][-3000:]}")
    result = json.loads(run["output"].strip().splitlines()[-1])
    result["max_rss_mb"] = run["max_rss_mb"]
    return result


def _generate_child(project: Path, cache: Path, docs: Path) -> int:
    sys.path.insert(0, str(PROJECT_ROOT))
    from builder import pipeline, render
    from builder.extract.gazetteer import load_gazetteer

    started = time.perf_counter()
    load_gazetteer(cache)  # memoised per process: generate() below reuses it
    gazetteer_s = time.perf_counter() - started
    settings = pipeline.Settings(project_root=project, articles_dir=project / "articles", docs_dir=docs,
                                 registry=project / "entities.yml", cache_dir=cache, workers=1,
                                 tiles=render.Tiles("", pipeline.DEFAULT_ATTRIBUTION))
    result = pipeline.generate(settings)
    timings = {k: v for k, v in result.timings.items()}
    print(json.dumps({"gazetteer_s": gazetteer_s, "timings": timings, "articles": len(result.index.articles),
                      "generate_s": sum(timings.get(p, 0.0) for p in GENERATE_PHASES)}))
    return 0


# ─── one size ───────────────────────────────────────────────────────────────────────────────────────────


def make_project(tmp: Path) -> None:
    for name in ("mkdocs.yml", "entities.yml"):
        shutil.copy2(PROJECT_ROOT / name, tmp / name)
    (tmp / "docs").mkdir()
    for page in ("index.md", "about.md"):
        shutil.copy2(PROJECT_ROOT / "docs" / page, tmp / "docs" / page)
    shutil.copytree(PROJECT_ROOT / "docs" / "stylesheets", tmp / "docs" / "stylesheets")


def bench_size(n: int, maker: ArticleMaker, venv: Path, query: str, keep: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
    r: dict = {"n": n, "tmp": str(tmp), "code": builder_code(), "load_before": load_average()}
    env = {**os.environ, "ARCHIVE_TILE_URL": ""}
    archive = venv / "bin" / "archive"
    try:
        make_project(tmp)
        maker.write(tmp / "articles", n)
        r["input_kb"] = sum(p.stat().st_size for p in (tmp / "articles").glob("*.txt")) / n / 1024
        cmd = [str(archive), "-f", "mkdocs.yml", "build"]
        r["command"] = f"cd <tmp> && ARCHIVE_TILE_URL= {' '.join(cmd)}"
        log(f"[{n}] full build: cd {tmp} && ARCHIVE_TILE_URL= {' '.join(cmd)}")
        full = r["full"] = archive_build(cmd, tmp, env, f"archive build at N={n}")
        r["site"] = site_stats(tmp / "site")
        r["lunr"] = lunr_first_search(tmp / "site")
        r["pagefind_dir"] = (tmp / "site" / "pagefind").is_dir()
        log(f"[{n}] full build {full['wall_s']:.1f}s wall: {full['line']}")
        if r["pagefind_dir"]:
            log(f"[{n}] first search in headless Chromium (pagefind/ present)")
            try:
                r["browser"] = browser_first_search(tmp / "site", query)
            except Exception as exc:  # reported, never hidden
                r["browser"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}

        log(f"[{n}] plain mkdocs-material baseline")
        plain = plain_mkdocs(tmp / "docs", tmp / "plain", venv / "bin" / "mkdocs")
        if plain["exit"] != 0:
            raise BuildFailed(f"plain mkdocs build (exit {plain['exit']}) at N={n}:\n{plain['output'][-4000:]}")
        plain.pop("output")
        r["plain"] = plain
        shutil.rmtree(tmp / "plain")  # 10k pages: keep the disk use down
        log(f"[{n}] plain mkdocs {plain['wall_s']:.1f}s wall, {plain['pages']} pages")

        log(f"[{n}] incremental: one more article, archive build again")
        (tmp / "articles" / "zz-added.txt").write_text(maker.make(), encoding="utf-8")
        inc = r["incremental"] = archive_build(cmd, tmp, env, f"incremental archive build at N={n}")
        log(f"[{n}] incremental {inc['wall_s']:.1f}s wall: {inc['line']}")

        log(f"[{n}] generate step alone, one core, cold then warm cache")
        cache = tmp / "gen-cache"
        cache.mkdir()
        r["gen_cold"] = generate_alone(tmp, cache, tmp / "gen-docs-cold", venv / "bin" / "python")
        r["gen_warm"] = generate_alone(tmp, cache, tmp / "gen-docs-warm", venv / "bin" / "python")
        r["code_after"] = builder_code()
        log(f"[{n}] generate alone: cold {r['gen_cold']['generate_s']:.1f}s (+ gazetteer {r['gen_cold']['gazetteer_s']:.1f}s),"
            f" warm {r['gen_warm']['generate_s']:.1f}s")
    finally:
        if keep:
            log(f"[{n}] kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return r


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


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def builder_code() -> str:
    """The digest the build cache keys on (builder/cache.py: the package's code and data), recomputed now:
    other engineers edit builder/ while this runs, so each size records which code it measured."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from builder import cache

    return cache.code_digest.__wrapped__()[:12]


def git_state() -> str:
    def git(*args: str) -> str:  # read-only; --no-optional-locks: `status` must not refresh the index
        return subprocess.run(["git", "--no-optional-locks", *args], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "?"
    changed = [line for line in git("status", "--porcelain", "--", "builder").splitlines() if line.strip()]
    return f"commit {head}" + (f" plus {len(changed)} uncommitted changed/new paths under builder/" if changed else "")


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
            "platform": platform.platform(), "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M %Z").strip(),
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def rate(r: dict, key: str) -> float:
    g = r[key]
    return g["articles"] / g["generate_s"] if g["generate_s"] else float("inf")


def table(results: list[dict]) -> list[str]:
    rows = [
        ("articles published", lambda r: f"{r['full']['articles']:,}"),
        ("builder code digest; load avg before", lambda r: f"`{r['code']}`{'' if r['code_after'] == r['code'] else ' → `' + r['code_after'] + '` (changed during the run)'}; {r['load_before']}"),
        ("input .txt, average", lambda r: f"{r['input_kb']:.1f} KB"),
        ("**full `archive build`**, wall", lambda r: f"**{r['full']['wall_s']:.1f} s**"),
        ("  generate step (ingest+extract+aggregate+render+write)", lambda r: f"{r['full']['generate_s']:.1f} s"),
        ("  phases", lambda r: ", ".join(f"{k} {v:.1f}" for k, v in r["full"]["timings"].items())),
        ("  mkdocs (total − generate)", lambda r: f"{r['full']['mkdocs_s']:.1f} s"),
        ("  user + sys CPU (all processes)", lambda r: f"{cpu(r['full']):.1f} s"),
        ("**plain mkdocs-material build**, wall", lambda r: f"**{r['plain']['wall_s']:.1f} s**"),
        ("  its pages / search index", lambda r: f"{r['plain']['pages']:,} / {r['plain']['lunr']['index_kb']:,.0f} KB" if r['plain']['lunr'] else f"{r['plain']['pages']:,}"),
        ("  plain: user + sys CPU", lambda r: f"{cpu(r['plain']):.1f} s"),
        ("**ratio full / plain**: wall (CPU time)", lambda r: f"**{r['full']['wall_s'] / r['plain']['wall_s']:.2f}×** ({cpu(r['full']) / cpu(r['plain']):.2f}×)"),
        ("generate alone, 1 core, cold cache", lambda r: f"{r['gen_cold']['generate_s']:.1f} s = **{rate(r, 'gen_cold'):,.0f} articles/s**"),
        ("  its phases", lambda r: ", ".join(f"{k} {v:.1f}" for k, v in r["gen_cold"]["timings"].items())),
        ("  + gazetteer build (once per machine)", lambda r: f"{r['gen_cold']['gazetteer_s']:.1f} s"),
        ("generate alone, 1 core, warm cache", lambda r: f"{r['gen_warm']['generate_s']:.1f} s = {rate(r, 'gen_warm'):,.0f} articles/s"),
        ("  its phases", lambda r: ", ".join(f"{k} {v:.1f}" for k, v in r["gen_warm"]["timings"].items())),
        ("**+1 article**: generate step / total", lambda r: f"**{r['incremental']['generate_s']:.1f} s** / {r['incremental']['total_s']:.1f} s"),
        ("  its phases", lambda r: ", ".join(f"{k} {v:.1f}" for k, v in r["incremental"]["timings"].items())),
        ("**peak memory**: whole process tree, PSS (RSS)", lambda r: f"**{r['full']['tree_pss_mb']:,.0f} MB** ({r['full']['tree_rss_mb']:,.0f} MB)"),
        ("  peak RSS of one process, by program", lambda r: ", ".join(f"{k} {v:,} MB" for k, v in list(r["full"].get("by_program_mb", {}).items())[:3])),
        ("  largest single process (time -v)", lambda r: f"{r['full']['max_rss_mb']:,.0f} MB"),
        ("  plain mkdocs build", lambda r: f"{r['plain']['max_rss_mb']:,.0f} MB"),
        ("HTML pages", lambda r: f"{r['site']['pages']:,}"),
        ("**average HTML page**", lambda r: f"**{r['site']['avg_page_kb']:.1f} KB**"),
        ("  average article page", lambda r: f"{r['site']['avg_article_page_kb']:.1f} KB"),
        ("  largest page", lambda r: r["site"]["largest_page"]),
        ("site/ size", lambda r: f"{r['site']['site_mb']:,.0f} MB, {r['site']['site_files']:,} files"),
        ("**first search, lunr** (from file sizes: index + worker)", lambda r: f"**{r['lunr']['raw_kb']:,.0f} KB** ({r['lunr']['gzip_kb']:,.0f} KB gzipped)" if r["lunr"] else "no search_index.json"),
        ("first search, Chromium (pagefind/)", browser_cell),
    ]
    out = ["| | " + " | ".join(f"N = {r['n']:,}" for r in results) + " |",
           "|---|" + "---:|" * len(results)]
    for label, cell in rows:
        out.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")
    return out


def cpu(run: dict) -> float:
    return (run["user_s"] or 0) + (run["sys_s"] or 0)


def browser_cell(r: dict) -> str:
    if not r["pagefind_dir"]:
        return "no pagefind/ in the site: not measured"
    b = r["browser"]
    if "error" in b:
        return f"failed: {b['error'][:120]}"
    return f"**{b['kb']:,.0f} KB** in {b['requests']} requests ({b['results_shown']} results shown)"


def verdicts(results: list[dict]) -> list[str]:
    big = max(results, key=lambda r: r["n"])
    n_big = f"N = {big['n']:,}"
    at_10k = big["n"] >= 10000
    caveat = "" if at_10k else f" (the target is stated at 10k; measured at {n_big} only, no 10k run)"
    lines = []

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    ratio = big["full"]["wall_s"] / big["plain"]["wall_s"]
    over_s = big["full"]["wall_s"] - TARGETS["ratio"] * big["plain"]["wall_s"]
    gap = "none" if ratio <= TARGETS["ratio"] else f"{ratio - TARGETS['ratio']:+.2f}×, {over_s:.1f} s over the allowed time"
    lines.append(f"- Full build ≤ 1.2× plain mkdocs-material: {verdict(ratio <= TARGETS['ratio'])} at {n_big}: "
                 f"{big['full']['wall_s']:.1f} s vs {big['plain']['wall_s']:.1f} s = {ratio:.2f}× wall (gap {gap}); "
                 f"by CPU time {cpu(big['full']):.1f} s vs {cpu(big['plain']):.1f} s = {cpu(big['full']) / cpu(big['plain']):.2f}×{caveat}.")
    worst_rate = min(rate(r, "gen_cold") for r in results)
    lines.append(f"- Generate step ≥ 2,000 articles/s on one core (cold cache): {verdict(worst_rate >= TARGETS['rate'])}: "
                 + ", ".join(f"{rate(r, 'gen_cold'):,.0f}/s at N = {r['n']:,}" for r in results)
                 + f" ({worst_rate / TARGETS['rate']:.2f} of the target); warm cache: "
                 + ", ".join(f"{rate(r, 'gen_warm'):,.0f}/s" for r in results) + ".")
    worst_inc = max(r["incremental"]["generate_s"] for r in results)
    lines.append(f"- +1 article regenerates in ≤ 2 s: {verdict(worst_inc <= TARGETS['incremental_s'])} for the generate step: "
                 + ", ".join(f"{r['incremental']['generate_s']:.1f} s at N = {r['n']:,}" for r in results)
                 + "; the whole rebuild including mkdocs: "
                 + ", ".join(f"{r['incremental']['total_s']:.1f} s" for r in results) + ".")
    worst_mem = max(r["full"]["tree_pss_mb"] for r in results)
    lines.append(f"- Peak memory ≤ 1 GB: {verdict(worst_mem <= TARGETS['rss_mb'])}: whole process tree "
                 + ", ".join(f"{r['full']['tree_pss_mb']:,.0f} MB PSS / {r['full']['tree_rss_mb']:,.0f} MB RSS at N = {r['n']:,}" for r in results)
                 + f"; largest single process {max(r['full']['max_rss_mb'] for r in results):,.0f} MB"
                 + (f" (at {n_big}, by program: " + ", ".join(f"{k} {v:,} MB" for k, v in big["full"]["by_program_mb"].items())
                    + ")" if big["full"].get("by_program_mb") else "") + ".")
    worst_page = max(r["site"]["avg_page_kb"] for r in results)
    lines.append(f"- Average page ≤ 40 KB: {verdict(worst_page <= TARGETS['page_kb'])}: "
                 + ", ".join(f"{r['site']['avg_page_kb']:.1f} KB at N = {r['n']:,}" for r in results) + ".")
    if big["pagefind_dir"] and "kb" in big.get("browser", {}):
        kb, how = big["browser"]["kb"], "measured in Chromium (pagefind)"
    elif big["lunr"]:
        kb, how = big["lunr"]["raw_kb"], "lunr, computed from file sizes, uncompressed"
    else:
        kb, how = float("nan"), "not measurable"
    gap = "none" if kb <= TARGETS["search_kb"] else f"{kb - TARGETS['search_kb']:,.0f} KB over ({kb / TARGETS['search_kb']:.1f}×)"
    lines.append(f"- First search ≤ 500 KB: {verdict(kb <= TARGETS['search_kb'])} at {n_big}: {kb:,.0f} KB ({how}; gap {gap}){caveat}.")
    return lines


def causes(results: list[dict]) -> list[str]:
    big = max(results, key=lambda r: r["n"])
    f = big["full"]
    phases = dict(f["timings"])
    phases["mkdocs"] = f["mkdocs_s"] - phases.get("pagefind", 0)  # the summary's pagefind phase runs inside mkdocs
    ranked = sorted(phases.items(), key=lambda kv: -kv[1])
    share = ", ".join(f"{k} {v:.1f} s ({v / f['total_s']:.0%})" for k, v in ranked)
    g = big["gen_cold"]["timings"]
    gen_ranked = sorted(g.items(), key=lambda kv: -kv[1])
    lines = [f"- Where the full build's time goes at N = {big['n']:,} (of {f['total_s']:.1f} s): {share}.",
             f"- Generate alone on one core, cold, at N = {big['n']:,}: "
             + ", ".join(f"{k} {v:.1f} s ({v / big['gen_cold']['generate_s']:.0%})" for k, v in gen_ranked)
             + f"; per article {1000 * big['gen_cold']['generate_s'] / big['gen_cold']['articles']:.2f} ms.",
             f"- The archive site has {big['site']['pages']:,} HTML pages against the plain build's {big['plain']['pages']:,}. "
             f"Article, entity and location pages are written into theme shells (no Markdown, no theme render apiece); "
             f"the rest of the build after generate ({f['mkdocs_s']:.1f} s) is Pagefind ({phases.get('pagefind', 0):.1f} s) "
             f"plus mkdocs: its own pages, the shells, writing every HTML page and linking the originals "
             f"({f['mkdocs_s'] - phases.get('pagefind', 0):.1f} s).",
             f"- Pagefind alone takes {phases.get('pagefind', 0):.1f} s at N = {big['n']:,}, "
             f"{phases.get('pagefind', 0) / big['plain']['wall_s']:.2f}× the whole plain build: with it the 1.2× target "
             "cannot be met even if everything else took no time.",
             f"- +1 article at N = {big['n']:,}: " + ", ".join(f"{k} {v:.1f} s" for k, v in big["incremental"]["timings"].items())
             + f"; mkdocs then rebuilds the whole site ({big['incremental']['mkdocs_s']:.1f} s)."]
    return lines


def markdown_report(results: list[dict], m: dict, source: str, argv: list[str], started: float) -> str:
    sizes = ", ".join(f"{r['n']:,}" for r in results)
    lines = [
        START,
        f"## Results ({m['date']})",
        "",
        f"Sizes measured: **{sizes}** articles. Nothing below is extrapolated unless labelled so.",
        "",
        "Machine: " + f"{m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, {m['platform']}; "
        f"load average at the end of the run {m['load']} (a shared machine: other jobs were running, so wall "
        "times include contention).",
        "",
        "```",
        "$ free -g",
        m["free_g"],
        "```",
        "",
        f"Command: `{' '.join(['.venv/bin/python', 'scripts/bench.py', *argv]).strip()}` "
        f"(whole run {(time.perf_counter() - started) / 60:.0f} min). Builder measured: {git_state()} "
        f"(code digests per size in the table). Articles: {source}.",
        "Each full build is `cd <tmp project> && ARCHIVE_TILE_URL= .venv/bin/archive -f mkdocs.yml build` under "
        "`/usr/bin/time -v`, cold (empty `.cache/`, so it includes building the gazetteer). The plain baseline is "
        "`mkdocs build -q` over the same `docs/articles/*.md` with theme material, plugins [search], nav [index.md].",
        "",
        *table(results),
        "",
        "### Targets",
        "",
        *verdicts(results),
        "",
        "### Causes visible in the phase timings",
        "",
        *causes(results),
        "",
        "Peak memory is sampled from /proc every 0.2 s over the build and its worker processes (PSS splits pages "
        "shared after fork; RSS counts them once per process). Lunr first-search bytes are computed from the "
        "files (`search/search_index.json` + `assets/javascripts/workers/search.*.min.js`), not measured in a browser.",
        END,
    ]
    for r in results:
        if r["pagefind_dir"] and "largest" in r.get("browser", {}):
            lines.insert(-1, f"\nPagefind first search at N = {r['n']:,} (query {r['browser']['query']!r}), largest "
                             "responses: " + ", ".join(f"`{u}` {s / 1024:.0f} KB" for _, u, s in r["browser"]["largest"]))
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
    if argv[:1] == ["--_generate"]:
        return _generate_child(*(Path(a) for a in argv[1:4]))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,10000", help="comma-separated article counts (default 1000,5000,10000)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary projects and print their paths")
    ap.add_argument("--no-write", action="store_true", help="print only; do not update BENCHMARKS.md")
    ap.add_argument("--query", default="syria", help="what to type into the search box (default: syria)")
    ap.add_argument("--corpora", type=Path, default=CORPORA, help=f"corpora folder (default: {CORPORA})")
    ap.add_argument("--venv", type=Path, default=PROJECT_ROOT / ".venv")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()

    maker = ArticleMaker(args.corpora.resolve())
    log(f"articles: {maker.source}")
    results = []
    try:
        for n in sizes:
            results.append(bench_size(n, maker, args.venv, args.query, args.keep))
    except BuildFailed as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3
    finally:
        if results:
            m = machine()
            block = markdown_report(results, m, maker.source, argv, started)
            print("\n" + block)
            if not args.no_write:
                write_benchmarks(block)
                log(f"wrote {BENCHMARKS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
