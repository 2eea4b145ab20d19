"""Issue "Hardening III": a corpus of hostile files plus the two seed articles, through the real `archive` CLI.

The standard: `archive build` (without --strict) exits 0; both seeds are published; every other input file is
published or listed in problems.json; a failure names its file and its stage ("<stage> failed (<reason>); …",
builder/isolation.py), in problems.json and in `archive check`'s output; the refused toll, the refused date,
the model's budget and the Markdown shown as text are warnings on the files that caused them; `check --strict`
fails where `build --strict` fails, and both pass on the seeds alone; an absurd toll never reaches an incident;
names of 255 bytes build without an OSError.

Small versions of /work/hostile/make.py's reproducers (the spaCy model on, as by default). Each command runs in
its own process group with a timeout, so a hang fails the test instead of blocking the run.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SEED_000, SEED_004, make_project, write
from test_hostile_inputs import Site, input_files

pytestmark = pytest.mark.integration

COMMAND_SECONDS = 180  # the corpus builds in ~20 s here; a command over this is a hang
MAX_FATALITIES = 10_000  # event_rules.yml max_fatalities
FM = "---\ntitle: {title}\ndate: {date}\n---\n\n"
EVENT = "Three people were killed in an air strike on Aleppo on Saturday.\n"

LONG_ASCII = "x" * 251 + ".txt"  # 255 bytes
LONG_UTF8 = "é" * 126 + ".md"  # 255 bytes: 126 two-byte characters and '.md'
LONG_FOLDER = "d" * 255  # a folder name of 255 bytes, with an article inside
LONG_NAMES = [LONG_ASCII, LONG_UTF8, f"{LONG_FOLDER}/inside.txt"]


def hostile_corpus(articles: Path) -> None:
    """Small versions of each reproducer class (/work/hostile/make.py)."""
    for name, marker in [("dash", "- "), ("star", "* "), ("plus", "+ "), ("num", "1. "), ("quote", "> - ")]:
        write(articles, f"list-{name}.md", FM.format(title=f"List {name}", date="2020-01-01") + marker * 1000 + "x\n")
    write(articles, "brackets.txt", "Brackets\n\n" + "[" * 30_000 + "\n")
    write(articles, "parens.txt", "Parens\n\n" + "(" * 20_000 + "\n")
    write(articles, "url.txt", "Url\n\nSee https://example.org/" + "a/b-c_d" * 3_000 + " there.\n")
    write(articles, "date-max.md", FM.format(title="Max date", date="9999-12-31") + EVENT)
    write(articles, "date-min.md", FM.format(title="Min date", date="0001-01-01") + EVENT)
    write(articles, "toll-digits.txt", "Toll\n\n" + "1" * 4_301 + " people were killed in an air strike on Aleppo.\n")
    # The strike seed 000 reports (alleged Israeli strikes on a research centre in Aleppo, May 2020): its
    # incident is the one the absurd toll would reach.
    write(articles, "toll-huge.txt",
          "Air strike on an Aleppo research centre\n\nAlleged Israeli air strikes hit a research center in Aleppo "
          "on 5 May 2020, the Step News Agency said. 99999999999999999999 people were killed in the air strike on "
          "Aleppo on 5 May 2020.\n")
    write(articles, "impossible.txt",
          "Impossible\n\nOn 31 February 2016 ten people were killed in a car bomb in Homs. "
          "One hundred thousand thousand people were killed in an air strike on Homs.\n")
    write(articles, "amp.md", FM.format(title="Amp", date="2020-01-01") + "&" * 20_000 + "\n")
    write(articles, "lt.md", FM.format(title="Lt", date="2020-01-01") + "<" * 20_000 + "\n")
    write(articles, "hr-lines.md", FM.format(title="Rules", date="2020-01-01") + "---\n***\n" * 5_000)  # 40 KB
    write(articles, "headings.md", FM.format(title="Headings", date="2020-01-01") + "# h\n\n" * 8_000)  # 40 KB
    write(articles, "attrs.html", "<html><head><title>Attrs</title></head><body><p "
          + " ".join(f"a{i}=x" for i in range(50_000)) + ">Hello text here.</p></body></html>")
    write(articles, "aleppo.txt", "Places\n\n" + "Aleppo, " * 3_000 + "and Homs.\n")
    write(articles, "generals.txt", "Generals\n\n" + " ".join(f"General Xa{i} spoke." for i in range(2_000)) + "\n")
    write(articles, LONG_ASCII, "Long name\n\nAn article whose file name is 255 bytes.\n")
    write(articles, LONG_UTF8, FM.format(title="Long UTF-8 name", date="2020-01-01")
          + "An article whose file name is 255 bytes of two-byte characters.\n")
    write(articles, f"{LONG_FOLDER}/inside.txt", "Long folder\n\nAn article in a folder whose name is 255 bytes.\n")


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def archive(root: Path, *args: str) -> Run:
    """`archive -f <root>/mkdocs.yml <args>` from the project root, in its own process group (a hang is killed,
    workers included, and fails the test)."""
    command = [str(Path(sys.executable).with_name("archive")), "-f", str(root / "mkdocs.yml"), *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8", errors="backslashreplace", start_new_session=True)
    try:
        out, err = process.communicate(timeout=COMMAND_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"archive {' '.join(args)} ran over {COMMAND_SECONDS} s (a hang); stderr ends: {err[-2000:]}")
    return Run(process.returncode, out, err, time.perf_counter() - started)


@dataclass
class Corpus:
    site: Site
    build: Run
    check_strict: Run
    build_strict: Run
    events: list[dict]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = make_project(tmp_path_factory.mktemp("hostile-corpus") / "archive")
    hostile_corpus(root / "articles")
    build = archive(root, "build")
    data = root / "site" / "data"
    assert (data / "problems.json").is_file(), f"rc {build.code}; stderr ends: {build.err[-3000:]}"
    site = Site(root, build.code, build.seconds, json.loads((data / "articles.json").read_text("utf-8")),
                json.loads((data / "problems.json").read_text("utf-8")))
    events = list(csv.DictReader(io.StringIO((data / "events.csv").read_text("utf-8"))))
    check_strict = archive(root, "check", "--strict")
    build_strict = archive(root, "build", "--strict")  # last: it may replace site/, already read above
    return Corpus(site, build, check_strict, build_strict, events)


@functools.cache
def _written() -> list[Path]:
    """The corpus's own files (written once into a scratch folder, to list them)."""
    with tempfile.TemporaryDirectory() as scratch:
        hostile_corpus(Path(scratch))
        return [p.relative_to(scratch) for p in Path(scratch).rglob("*") if p.is_file()]


def published(site: Site, name: str) -> dict | None:
    found = [a for a in site.articles if a["original"] == f"articles/{name}"]
    assert len(found) <= 1, name
    return found[0] if found else None


# ─── the build ──────────────────────────────────────────────────────────────────────────────────────────


def test_the_corpus_builds_with_rc_0_and_publishes_both_seeds(corpus):
    assert corpus.build.code == 0, corpus.build.err[-3000:]
    for seed in (SEED_000, SEED_004):
        record = published(corpus.site, seed.name)
        assert record is not None, f"seed {seed.name} is not published"
        assert corpus.site.page_file(record).is_file(), seed.name
        assert not corpus.site.problems_of(seed.name), corpus.site.problems_of(seed.name)


def test_every_input_file_is_published_or_listed(corpus):
    inputs = input_files(corpus.site.root / "articles")
    assert len(inputs) == 2 + len(_written())  # the seeds and every hostile file, each written
    shown = {a["original"] for a in corpus.site.articles} | {p["file"] for p in corpus.site.problems}
    missing = [name for name in inputs if name not in shown]
    assert not missing, f"neither published (articles.json) nor listed (problems.json): {missing}"
    assert all(p["severity"] in ("error", "warning") and p["message"] for p in corpus.site.problems)
    for record in corpus.site.articles:
        assert corpus.site.page_file(record).is_file(), record["original"]
    # (Not test_hostile_inputs.assert_conserved: an extract or events failure is an error on an article that is
    # still published, by design (builder/isolation.py), which its "an error means not published" rule refuses.)


# Messages from the guard read "<stage> failed (<reason>); <consequence>" (builder/isolation.py, Failure.message).
STAGED = re.compile(r"^(?:read|extract|events|render) failed \(")
FAILURE_LIKE = re.compile(r"\bfailed\b|\w+(?:Error|Exception)\b|Traceback|nesting too deep|out of memory|"
                          r"time budget|recursion", re.I)


def test_every_failure_names_its_file_and_stage_in_problems_and_in_check(corpus):
    # No step fails on this corpus today (every file publishes); this keeps any future failure honest. Checked
    # with failures injected in read, extract, events and render: passes, and fails when Failure.message drops
    # the stage.
    for problem in corpus.site.problems:
        if problem["severity"] == "error" or FAILURE_LIKE.search(problem["message"]):
            assert STAGED.match(problem["message"]), problem
    shown = corpus.check_strict.err + corpus.check_strict.out
    for problem in corpus.site.problems:  # check lists what build lists, each with its file and its stage
        assert f"{problem['file']}: {problem['message'][:60]}" in shown, problem


WARNINGS = {  # what must be said, and on which files (exactly)
    "its body is published as plain text": {"headings.md"},  # 8,000 blocks: over bounded_markdown.MAX_BLOCKS
    "refused the toll": {"toll-digits.txt", "toll-huge.txt", "impossible.txt"},  # 4,301 digits, 20 digits, words
    "refused the date": {"date-max.md", "date-min.md", "impossible.txt"},  # 'on Saturday' off the calendar, 31 Feb
    "extract: the model read the first": {"hr-lines.md"},  # ~30,000 tokens: over model.MAX_TOKENS
}


@pytest.mark.parametrize("said", list(WARNINGS))
def test_each_expected_warning_is_on_the_right_files(corpus, said):
    files = {p["file"].removeprefix("articles/") for p in corpus.site.problems if said in p["message"]}
    assert files == WARNINGS[said]
    for p in corpus.site.problems:
        if said in p["message"]:
            assert p["severity"] == "warning", p
            assert published(corpus.site, p["file"].removeprefix("articles/")) is not None, p


def test_the_refused_toll_and_dates_name_what_was_refused(corpus):
    messages = {(p["file"], p["message"]) for p in corpus.site.problems}
    assert any(f == "articles/toll-digits.txt" and "4301 digits" in m for f, m in messages)
    assert any(f == "articles/toll-huge.txt" and "'99999999999999999999'" in m for f, m in messages)
    assert any(f == "articles/impossible.txt" and "One hundred thousand thousand" in m for f, m in messages)
    assert any(f == "articles/impossible.txt" and "31 February" in m for f, m in messages)
    for name, year in (("date-max.md", "9999-12-31"), ("date-min.md", "0001-01-01")):
        assert any(f == f"articles/{name}" and "on Saturday" in m and year in m for f, m in messages), name


# ─── strict ─────────────────────────────────────────────────────────────────────────────────────────────


def test_strict_build_and_strict_check_both_fail_on_the_corpus(corpus):
    assert corpus.build_strict.code == 1, corpus.build_strict.err[-3000:]
    assert corpus.check_strict.code == 1, corpus.check_strict.err[-3000:]


def test_the_seeds_alone_pass_strict_check_and_strict_build(tmp_path):
    root = make_project(tmp_path / "archive")
    check = archive(root, "check", "--strict")
    assert check.code == 0, check.err[-3000:]
    build = archive(root, "build", "--strict")
    assert build.code == 0, build.err[-3000:]
    assert json.loads((root / "site" / "data" / "problems.json").read_text("utf-8")) == []


# ─── tolls ──────────────────────────────────────────────────────────────────────────────────────────────


def test_no_incident_takes_the_absurd_toll(corpus):
    ids = {a["original"]: a["id"] for a in corpus.site.articles}
    huge, seed = ids["articles/toll-huge.txt"], ids[f"articles/{SEED_000.name}"]
    assert any(huge in row["article_ids"].split() for row in corpus.events), "the strike article has no event at all"
    assert any(seed in row["article_ids"].split() for row in corpus.events), "the seed's Aleppo strike has no event"
    for row in corpus.events:
        if row["fatalities"]:
            assert int(row["fatalities"]) <= MAX_FATALITIES, row
        assert "99999999999999999999" not in row["notes"] and "1111111111111" not in row["notes"], row


# ─── names of 255 bytes ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", LONG_NAMES, ids=["ascii-file", "utf8-file", "folder"])
def test_names_of_255_bytes_publish_or_are_listed_without_an_os_error(corpus, name):
    record = published(corpus.site, name)
    if record is not None:
        assert corpus.site.page_file(record).is_file(), name
        assert (corpus.site.root / "site" / record["original_url"]).is_file(), name
    else:
        assert corpus.site.problems_of(name), f"{name[:20]}… is neither published nor listed"
    for run in (corpus.build, corpus.check_strict, corpus.build_strict):
        for sign in ("Traceback", "OSError", "File name too long", "Errno 36"):
            assert sign not in run.err and sign not in run.out, run.err[-3000:]
