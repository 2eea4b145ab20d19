"""No orphan workers: a pool's workers die with the process that made it (builder/workers.py), even when that
process is killed with SIGKILL and runs no clean-up of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import time_limit

pytestmark = pytest.mark.safety

PROJECT = Path(__file__).resolve().parent.parent

# A build in miniature: a pool of two workers, each busy with a long task; each worker prints its pid once
# it runs the task (so after the pool's initializer).
BUILD = r"""
import os, time
from builder.workers import process_pool

def busy():
    os.write(1, b"%d\n" % os.getpid())  # one write: the two workers' lines never interleave
    time.sleep(120)

pool = process_pool(2)
futures = [pool.submit(busy) for _ in range(2)]
time.sleep(300)
"""


def start_time(pid: int) -> str | None:
    """The process's start time (field 22 of /proc/PID/stat), None when it is gone or a zombie (dead, waiting
    for its parent to collect it): a pid is the same process only while its start time is."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, *fields = stat[stat.rindex(")") + 2:].split()
    return None if state in ("Z", "X") else fields[18]


def children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").glob("*/children") for child in task.read_text().split()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_when_the_build_is_killed():
    build = subprocess.Popen([sys.executable, "-c", BUILD], cwd=PROJECT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(PROJECT)})
    workers: dict[int, str] = {}
    try:
        with time_limit(60):
            while len(workers) < 2:
                line = build.stdout.readline()
                assert line, f"the build exited ({build.wait()}) before its two workers ran"
                pid = int(line)
                workers[pid] = start_time(pid)
        assert all(workers.values()), workers

        build.send_signal(signal.SIGKILL)  # no atexit, no finally, no pool shutdown
        build.wait(timeout=10)
        deadline = time.monotonic() + 5
        while (alive := [pid for pid, started in workers.items() if start_time(pid) == started]) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive, f"workers {alive} outlived the killed build"
    finally:
        for pid in children(build.pid):  # workers that never printed (a failed read)
            workers.setdefault(pid, start_time(pid))
        build.kill()
        build.wait()
        for pid, started in workers.items():  # if the test failed: leave no orphan behind
            if started and start_time(pid) == started:
                os.kill(pid, signal.SIGKILL)
