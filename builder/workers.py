"""Worker processes that cannot outlive the build.

A pool's workers are children of the build: when the build is killed (an out-of-memory kill, a CI timeout,
Ctrl-C twice) Linux would leave them running, each holding its share of the archive. `die_with_parent` asks
the kernel to send the worker SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG). No library wraps this
one call, hence ctypes; on other systems it does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
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


def process_pool(workers: int, **options) -> ProcessPoolExecutor:
    """A process pool whose workers die with the build (every pool of the builder is made here)."""
    return ProcessPoolExecutor(workers, initializer=die_with_parent, initargs=(os.getpid(),), **options)
