#!/usr/bin/env python3
"""Benchmark a full `archive build --strict` on the BBC corpus (2,223 articles).

Reads ../shared/corpora/bbc (beside the project, NOT part of it and never copied in): the
{business,entertainment,politics,sport,tech}/NNN.txt files, first line the title, no dates.
This is a developer tool, not part of the test suite; it needs that corpus to be present.

It builds a throw-away project in a temporary folder (mkdocs.yml and the hand-written docs pages
copied from this project, the corpus copied into articles/ keeping the category folders), runs

    <venv>/bin/archive -f <tmp>/mkdocs.yml build --strict          (with <tmp> as working directory)

and reports wall time, peak RSS, the build's own summary (problems and phase timings), the size of
the built site/ and its number of HTML pages. It then reads the build's own data/articles.json to
check the corpus against what is known about it: BBC articles carry no dates (any date is a false
positive) and their first line is the title.

    .venv/bin/python scripts/bench_bbc.py [--corpus DIR] [--keep] [--json out.json]

Exit codes: 0 report printed (even when --strict found problems; they are reported), 2 corpus missing,
3 the build did not run or produced no summary line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench import parse_gnu_time  # noqa: E402  (scripts/ is on sys.path when run as a script)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "bbc"
GNU_TIME = Path("/usr/bin/time")

SUMMARY = re.compile(
    r"^archive: built (?P<site>.+?): (?P<files>\d+) files, (?P<articles>\d+) articles published, "
    r"(?P<errors>\d+) errors, (?P<warnings>\d+) warnings \((?P<timings>[^)]*)\); total (?P<total>[\d.]+)s$", re.M)
PROBLEM_LINE = re.compile(r"^(?P<severity>ERROR|WARNING): (?P<file>.+?): (?P<message>.*)$", re.M)
MKDOCS_LINE = re.compile(r"^(?P<level>WARNING|ERROR)\s+-\s+(?P<message>.*)$", re.M)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"the BBC corpus folder (default: {DEFAULT_CORPUS})")
    ap.add_argument("--keep", action="store_true", help="keep the temporary project and print its path")
    ap.add_argument("--json", metavar="OUT", type=Path, help="also write the results as JSON")
    ap.add_argument("--venv", type=Path, default=PROJECT_ROOT / ".venv", help="virtualenv with `archive` (default: .venv)")
    args = ap.parse_args(argv)

    corpus = args.corpus.resolve()
    sources = sorted(corpus.glob("*/*.txt")) if corpus.is_dir() else []
    if not sources:
        print(f"bench_bbc: corpus not found: no {corpus}/<category>/*.txt\n"
              f"(it lives beside the project in ../shared/corpora/bbc; pass --corpus PATH)", file=sys.stderr)
        return 2
    archive = args.venv / "bin" / "archive"
    if not archive.exists():
        print(f"bench_bbc: {archive} not found; run `make test` (or pass --venv) first", file=sys.stderr)
        return 3

    tmp = Path(tempfile.mkdtemp(prefix="bench-bbc-"))
    try:
        make_project(tmp, corpus, sources)
        report = run_build(tmp, archive)
        if report is None:
            return 3
        report["corpus"] = str(corpus)
        report["input_files"] = len(sources)
        report["checks"] = check_articles(tmp, corpus)
        print_report(report)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
            print(f"\nwrote {args.json}")
    finally:
        if args.keep:
            print(f"\nkept the temporary project: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def make_project(tmp: Path, corpus: Path, sources: list[Path]) -> None:
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    (tmp / "docs").mkdir()
    for page in ("index.md", "about.md"):
        shutil.copy2(PROJECT_ROOT / "docs" / page, tmp / "docs" / page)
    shutil.copytree(PROJECT_ROOT / "docs" / "stylesheets", tmp / "docs" / "stylesheets")
    for src in sources:
        dest = tmp / "articles" / src.relative_to(corpus)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)


def run_build(tmp: Path, archive: Path) -> dict | None:
    cmd = [str(archive), "-f", str(tmp / "mkdocs.yml"), "build", "--strict"]
    time_file = tmp.parent / f"{tmp.name}.time"
    use_gnu_time = GNU_TIME.is_file() and os.access(GNU_TIME, os.X_OK)
    full = [str(GNU_TIME), "-v", "-o", str(time_file), *cmd] if use_gnu_time else cmd
    print(f"$ cd {tmp} && {' '.join(cmd)}", flush=True)

    started = time.perf_counter()
    proc = subprocess.Popen(full, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeRss(proc.pid)
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop()

    rusage_maxrss_kb = None
    gnu = {}
    if use_gnu_time and time_file.is_file():
        gnu = parse_gnu_time(time_file.read_text())
        time_file.unlink()
        rusage_maxrss_kb = gnu.get("Maximum resident set size (kbytes)")
    if rusage_maxrss_kb is None:
        import resource  # RUSAGE_CHILDREN: the largest RSS of any waited-for descendant

        rusage_maxrss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    m = None
    for m in SUMMARY.finditer(output):
        pass
    if m is None:
        print(f"bench_bbc: the build (exit {proc.returncode}) printed no summary line; its output:\n{output[-4000:]}", file=sys.stderr)
        return None
    timings = {name: float(sec) for name, sec in re.findall(r"(\w+) ([\d.]+)s", m["timings"])}
    problems = [pm.groupdict() for pm in PROBLEM_LINE.finditer(output)]
    site = tmp / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    return {
        "command": f"cd {tmp} && {' '.join(cmd)}",
        "exit_code": proc.returncode,
        "files_found": int(m["files"]),
        "articles_published": int(m["articles"]),
        "errors": int(m["errors"]),
        "warnings": int(m["warnings"]),
        "phase_timings_s": timings,
        "build_total_s": float(m["total"]),
        "wall_s": round(wall, 2),
        "user_s": gnu.get("User time (seconds)"),
        "sys_s": gnu.get("System time (seconds)"),
        "peak_rss_mb_largest_process": round(rusage_maxrss_kb / 1024, 1),
        "peak_rss_mb_process_tree_sampled": round(sampler.peak_kb / 1024, 1) if sampler.peak_kb else None,
        "site_mb": round(sum(p.stat().st_size for p in files) / 2**20, 1),
        "site_files": len(files),
        "html_pages": sum(p.suffix == ".html" for p in files),
        "problems": problems,
        "mkdocs_messages": [mm.group(0) for mm in MKDOCS_LINE.finditer(output)],
        "summary_line": m.group(0),
    }


class TreeRss(threading.Thread):
    """Samples the summed RSS of a process and all its descendants (the build's worker pool) from /proc."""

    def __init__(self, pid: int, every: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb = pid, every, 0
        self._halt = threading.Event()

    def run(self) -> None:
        if not Path("/proc").is_dir():
            return
        while not self._halt.is_set():
            self.peak_kb = max(self.peak_kb, self._sample())
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def _sample(self) -> int:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                status = (entry / "status").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
            m = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            rss[int(entry.name)] = int(m.group(1)) if m else 0
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            total += rss.get(pid, 0)
            todo.extend(children.get(pid, []))
        return total


def check_articles(tmp: Path, corpus: Path) -> dict:
    """What the build made of the BBC articles, from its own data/articles.json."""
    data = tmp / "docs" / "data" / "articles.json"
    if not data.is_file():
        return {"error": f"{data} not written"}
    articles = json.loads(data.read_text())
    dated, retitled, with_subtitle, with_authors, with_source = [], [], [], [], []
    for a in articles:
        original = corpus / Path(a["original"]).relative_to("articles")
        raw = original.read_text(encoding="utf-8", errors="replace") if original.is_file() else ""
        first_line = next((line.strip() for line in raw.splitlines() if line.strip()), "")
        if a.get("date"):
            dated.append({"original": a["original"], "date": a["date"], "time": a.get("time"), "title": a["title"],
                          "context": _date_context(raw, a["date"])})
        if " ".join(a["title"].split()) != " ".join(first_line.split()):
            retitled.append({"original": a["original"], "first_line": first_line, "title": a["title"]})
        if a.get("subtitle"):
            with_subtitle.append({"original": a["original"], "subtitle": a["subtitle"][:150]})
        if a.get("authors"):
            with_authors.append({"original": a["original"], "authors": a["authors"]})
        if a.get("source"):
            with_source.append({"original": a["original"], "source": a["source"]})
    return {
        "articles_in_json": len(articles),
        "dated_false_positives": dated,
        "title_not_first_line": retitled,
        "with_subtitle": with_subtitle,
        "with_authors": with_authors,
        "with_source": with_source,
        "languages": dict(Counter(a.get("language") for a in articles).most_common()),
    }


def _date_context(raw: str, iso: str) -> str | None:
    """The text around the first date expression in the raw file that gives `iso`."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from builder.ingest.dates import DATE_EXPRESSION, _to_date  # only to show where; never decides anything

    for m in DATE_EXPRESSION.finditer(raw):
        day = _to_date(m)
        if day is not None and day.isoformat() == iso:
            return f"char {m.start()}: …{raw[max(0, m.start() - 60):m.end() + 20]!r}"
    return None


def print_report(r: dict) -> None:
    print(f"\nBBC build benchmark ({r['corpus']})")
    print(f"  command            {r['command']}")
    print(f"  exit code          {r['exit_code']}" + ("  (--strict: data problems found)" if r["exit_code"] == 1 else ""))
    print(f"  input .txt files   {r['input_files']}   (build found {r['files_found']}, published {r['articles_published']})")
    print(f"  problems           {r['errors']} errors, {r['warnings']} warnings")
    print(f"  wall time          {r['wall_s']:.2f}s   (build's own total {r['build_total_s']:.2f}s"
          + (f"; user {r['user_s']}s, sys {r['sys_s']}s" if r["user_s"] is not None else "") + ")")
    print(f"  phases             " + ", ".join(f"{k} {v:.2f}s" for k, v in r["phase_timings_s"].items())
          + f"  (mkdocs itself ≈ {r['build_total_s'] - sum(r['phase_timings_s'].values()):.2f}s)")
    print(f"  peak RSS           {r['peak_rss_mb_largest_process']} MB largest single process (rusage)"
          + (f"; {r['peak_rss_mb_process_tree_sampled']} MB whole process tree incl. ingest workers (sampled every 0.1s)"
             if r["peak_rss_mb_process_tree_sampled"] else ""))
    print(f"  site/              {r['site_mb']} MB, {r['site_files']} files, {r['html_pages']} HTML pages")

    if r["problems"]:
        by_message = Counter(re.sub(r"\d+", "N", p["message"])[:100] for p in r["problems"])
        print(f"\nproblems reported by the build ({len(r['problems'])}), grouped by message:")
        for msg, n in by_message.most_common(15):
            print(f"  {n:>5}  {msg}")
        print("first problems:")
        for p in r["problems"][:15]:
            print(f"  {p['severity']}: {p['file']}: {p['message']}")
    if r["mkdocs_messages"]:
        print(f"\nmkdocs warnings/errors ({len(r['mkdocs_messages'])}):")
        for line in r["mkdocs_messages"][:15]:
            print(f"  {line}")

    c = r["checks"]
    if "error" in c:
        print(f"\nchecks skipped: {c['error']}")
        return
    print(f"\nchecks against what is known about the corpus (from the build's data/articles.json, {c['articles_in_json']} articles):")
    print(f"  dates found (BBC has none: all false positives): {len(c['dated_false_positives'])}")
    for d in c["dated_false_positives"][:15]:
        print(f"    {d['original']}: {d['date']}{' ' + d['time'] if d['time'] else ''}  title {d['title'][:60]!r}")
        if d["context"]:
            print(f"        {d['context']}")
    print(f"  title differs from the file's first line: {len(c['title_not_first_line'])}")
    for t in c["title_not_first_line"][:10]:
        print(f"    {t['original']}: first line {t['first_line'][:70]!r} → title {t['title'][:70]!r}")
    for key, label in (("with_subtitle", "subtitle (dek) detected"), ("with_authors", "authors detected"),
                       ("with_source", "source detected")):
        items = c[key]
        print(f"  {label}: {len(items)}")
        for item in items[:5]:
            print(f"    {item}")
    print(f"  languages: {c['languages']}")


if __name__ == "__main__":
    sys.exit(main())
