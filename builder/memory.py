"""The cycle collector, paused while the builder makes many objects that hold no reference cycles.

Python's cycle collector rescans every live object each time it runs. Loading the gazetteer (~10^5 objects),
building its index, and a build holding an archive's records each made it the larger part of their time. None
of them makes reference cycles that matter, and plain reference counting still frees everything else."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; it is restored as it was (a caller that had it off keeps it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
