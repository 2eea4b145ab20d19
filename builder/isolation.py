"""Isolation: each article's steps run under one guard, so one file's failure is a listed problem.

Every per-article step (read, extract, events, Markdown rendering) calls `guarded`: any exception in it,
`RecursionError` and `MemoryError` included, becomes a `Failure` naming the stage and the reason; the caller
publishes what it can (the article as plain text, or without names, or without events) and lists the
problem. A bug in the builder then costs one article's feature, never the deploy; `--strict` still fails.
"""

from __future__ import annotations

import gc
import logging
import signal
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger("builder")
T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    stage: str  # read | extract | events | render
    reason: str
    timed_out: bool = False  # stopped by the clock: not the same on every machine, so never cached

    def message(self, consequence: str) -> str:
        return f"{self.stage} failed ({self.reason}); {consequence}"


# Each step's time budget, a backstop behind the size budgets (model tokens, mentions, Markdown blocks),
# which are what keep the output the same on every machine: a step stopped by the clock is not cached.
STAGE_SECONDS = {"read": 60, "extract": 60, "events": 30, "render": 30}


TIMED_OUT = "over its time budget"


class OverBudget(Exception):
    pass


def timed_out(message: str) -> bool:
    """Whether a problem's message says a clock stopped its step (such a result is not cached)."""
    return f"({TIMED_OUT} of " in message


@contextmanager
def time_budget(seconds: float | None):
    """Raises OverBudget in this thread after `seconds` (SIGALRM: only in a process's main thread, where the
    build and its pool workers run steps; elsewhere, e.g. a Dask worker's thread, no clock is set)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    outer = signal.getitimer(signal.ITIMER_REAL)[0]
    if outer and outer <= seconds:  # an outer clock (a caller's own deadline) runs out first: it governs
        yield
        return

    def expired(signum, frame):
        raise OverBudget()

    previous = signal.signal(signal.SIGALRM, expired)
    started = time.monotonic()
    left, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if left:  # an outer budget was running: give it back what it had left, less this step's time
            signal.setitimer(signal.ITIMER_REAL, max(left - (time.monotonic() - started), 0.001))


def guarded(stage: str, work: Callable[[], T], seconds: float | None = None) -> T | Failure:
    """`work()`, or the Failure it raised or its running over `seconds`. KeyboardInterrupt and SystemExit
    pass: they stop the build."""
    try:
        with time_budget(seconds):
            return work()
    except OverBudget:
        return Failure(stage, f"{TIMED_OUT} of {seconds:g} s", timed_out=True)
    except RecursionError:
        return Failure(stage, "nesting too deep")
    except MemoryError:
        gc.collect()  # what the failed step held is garbage now: free it before the next article
        return Failure(stage, "out of memory")
    except Exception as exc:  # noqa: BLE001 — the point: any bug or bad input in one article stays in it
        log.debug("%s failed", stage, exc_info=True)
        return Failure(stage, f"{type(exc).__name__}: {str(exc)[:200]}")
