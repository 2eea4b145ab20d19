"""Builds are atomic and locked, every input is accounted for, and pages carry a Content-Security-Policy."""

import json
import threading
import time

import pytest

from builder import pipeline
from builder.app.cli import main
from builder.site.atomic import Locked, build_lock


def build(root, *extra):
    return main(["-f", str(root / "mkdocs.yml"), "build", *extra])


@pytest.mark.safety
def test_failed_build_leaves_previous_site_whole(project, monkeypatch):
    assert build(project) == 0
    before = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}

    def explode(*args, **kwargs):
        raise pipeline.ConservationError("simulated failure in the middle of a build")

    monkeypatch.setattr(pipeline, "check_conservation", explode)
    (project / "articles" / "new.txt").write_text("A new article\n\nWith a body.\n")
    assert build(project) == 1
    after = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".site.*"))  # no staging directory left behind


@pytest.mark.safety
def test_a_second_build_at_once_is_refused(project, capsys):
    entered, release = threading.Event(), threading.Event()

    def hold():
        with build_lock(project):
            entered.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(10)
    try:
        with pytest.raises(Locked):
            with build_lock(project):
                pass
    finally:
        release.set()
        holder.join()
    # …and through the CLI, with a clear message (the lock is per process: take it in a child).
    import subprocess
    import sys

    code = ("import fcntl, pathlib, sys, time; p = pathlib.Path(sys.argv[1]) / '.cache' / 'build.lock'; "
            "p.parent.mkdir(exist_ok=True); h = p.open('a+'); fcntl.flock(h, fcntl.LOCK_EX); h.write('4242'); h.flush(); "
            "print('locked', flush=True); time.sleep(20)")
    child = subprocess.Popen([sys.executable, "-c", code, str(project)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        assert build(project) == 1
        assert "another build is running" in capsys.readouterr().err
    finally:
        child.kill()
        child.wait()


@pytest.mark.integration
def test_conservation_holds_and_is_checked(project):
    (project / "articles" / "empty.txt").write_bytes(b"")
    (project / "articles" / "notes.pdf").write_bytes(b"%PDF")
    assert build(project) == 0
    site = project / "site" / "data"
    published = {a["original"] for a in json.loads((site / "articles.json").read_text())}
    listed = {p["file"] for p in json.loads((site / "problems.json").read_text())}
    inputs = {f"articles/{p.name}" for p in (project / "articles").iterdir()}
    assert inputs == published | listed


@pytest.mark.unit
def test_conservation_failure_is_loud():
    from builder.aggregate import Index
    from builder.ingest import InputFile

    lost = InputFile(path=None, relative="x.txt", display="articles/x.txt", kind="text")
    with pytest.raises(pipeline.ConservationError, match="articles/x.txt"):
        pipeline.check_conservation([lost], Index(articles=[], problems=[], inputs=1))


@pytest.mark.integration
def test_pages_carry_a_content_security_policy(project):
    assert build(project) == 0
    page = (project / "site" / "index.html").read_text("utf-8")
    head = page[: page.index("</head>")]
    assert head.index('http-equiv="Content-Security-Policy"') < head.index("<script")
    policy = head.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


@pytest.mark.safety
def test_a_killed_build_leaves_the_previous_site_whole(project):
    import os
    import signal
    import subprocess
    import sys
    import time

    from synthetic import write_articles

    assert build(project) == 0
    before = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    write_articles(project / "articles" / "more", 60, seed=3)
    child = subprocess.Popen([sys.executable, "-m", "builder.app.cli", "-f", str(project / "mkdocs.yml"), "build"],
                             cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(project.glob(".site.building-*/*")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # kill it once mkdocs has started writing the new site
    assert child.poll() is None, "the build ended before it could be killed"
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    after = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert build(project) == 0  # the next build clears the dead build's staging folder and succeeds
    assert not list(project.glob(".site.building-*"))


@pytest.mark.safety
def test_the_replaced_site_is_removed_after_the_swap(project):
    assert build(project) == 0
    (project / "articles" / "new.txt").write_text("A new article\n\nWith a body.\n")
    assert build(project) == 0
    assert (project / "site" / "articles" / "new" / "index.html").is_file()
    deadline = time.monotonic() + 30
    while list(project.glob(".site.old-*")) and time.monotonic() < deadline:
        time.sleep(0.1)  # deleted by a background process
    assert not list(project.glob(".site.*"))
