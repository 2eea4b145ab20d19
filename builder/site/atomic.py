"""Building the site beside the old one and swapping it in, under a lock.

A killed or failed build leaves the previous site whole; two builds at once wait for nobody and
corrupt nothing: the second one stops with a message naming the lock and who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path


class Locked(RuntimeError):
    pass


@contextlib.contextmanager
def build_lock(project_root: Path) -> Iterator[None]:
    path = project_root / ".cache" / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise Locked(f"another build is running in {project_root} (pid {holder}, lock {path}); try again when it ends") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def staging_dir(site_dir: Path) -> Path:
    """Where this build writes: beside the site, so the swap is a rename on the same file system."""
    for pattern in (f".{site_dir.name}.building-*", f".{site_dir.name}.old-*"):  # a killed build's; we hold the lock
        for stale in site_dir.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)
    return site_dir.parent / f".{site_dir.name}.building-{os.getpid()}"


def swap_in(staging: Path, site_dir: Path) -> None:
    """The new site replaces the old at once; the old one is deleted by a background process (tens of
    thousands of files take seconds to unlink), or by the next build if that process dies."""
    old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    if old.exists():
        try:
            subprocess.Popen(["rm", "-rf", "--", str(old)], start_new_session=True,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
