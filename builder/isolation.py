"""Isolation: each article's steps run under one guard, so one file's failure is a listed problem.

Every per-article step (read, extract, events, Markdown rendering) calls `guarded`: any exception in it,
`RecursionError` and `MemoryError` included, becomes a `Failure` naming the stage and the reason; the caller
publishes what it can (the article as plain text, or without names, or without events) and lists the
problem. A bug in the builder then costs one article's feature, never the deploy; `--strict` still fails.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger("builder")
T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    stage: str  # read | extract | events | render
    reason: str

    def message(self, consequence: str) -> str:
        return f"{self.stage} failed ({self.reason}); {consequence}"


def guarded(stage: str, work: Callable[[], T]) -> T | Failure:
    """`work()`, or the Failure it raised. KeyboardInterrupt and SystemExit pass: they stop the build."""
    try:
        return work()
    except RecursionError:
        return Failure(stage, "nesting too deep")
    except MemoryError:
        gc.collect()  # what the failed step held is garbage now: free it before the next article
        return Failure(stage, "out of memory")
    except Exception as exc:  # noqa: BLE001 — the point: any bug or bad input in one article stays in it
        log.debug("%s failed", stage, exc_info=True)
        return Failure(stage, f"{type(exc).__name__}: {str(exc)[:200]}")
