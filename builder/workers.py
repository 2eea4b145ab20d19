"""Worker processes that cannot outlive the build.

A pool's workers are children of the build: when the build is killed (an out-of-memory kill, a CI timeout,
Ctrl-C twice) Linux would leave them running, each holding its share of the archive. `die_with_parent` asks
the kernel to send the worker SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG). No library wraps this
one call, hence ctypes; on other systems it does nothing.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Pool initializer: this process gets SIGKILL when its parent exits. `parent`: the pid the pool was made
    by; if that process is already gone (it died before this call), exit at once."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def process_pool(workers: int, initializer: Callable[..., None] | None = None, initargs: tuple = (),
                 **options) -> ProcessPoolExecutor:
    """A process pool whose workers die with the build (every pool of the builder is made here);
    `initializer(*initargs)` runs in each worker after that."""
    return ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(os.getpid(), initializer, initargs), **options)


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


# What a forked worker inherited from forked_map's caller. Set only inside a worker, by its pool's initializer;
# the build's own process never writes it.
inherited = threading.local()


def forked_map(function: Callable, shared: Sequence, workers: int, chunksize: int = 64) -> Iterator:
    """function(shared[i]) for each i, in order, on `workers` forked processes that inherit `shared` through the
    fork (never pickled: it may hold closures and the whole index); only the results travel back."""
    pool = process_pool(workers, initializer=_inherit, initargs=(shared,), mp_context=multiprocessing.get_context("fork"))
    with pool:
        yield from pool.map(_call_inherited, [function] * len(shared), range(len(shared)), chunksize=chunksize)


def _inherit(shared: Sequence) -> None:
    inherited.shared = shared


def _call_inherited(function: Callable, i: int):
    return function(inherited.shared[i])
