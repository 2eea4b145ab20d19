"""Building the site beside the old one and swapping it in, under a lock.

A killed or failed build leaves the previous site whole; two builds at once wait for nobody and
corrupt nothing: the second one stops with a message naming the lock and who holds it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import subprocess
import sys
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
    """Where this build writes: beside the site, so the swap is a rename on the same file system.
    Leftovers of a killed build are removed (we hold the lock); if the site itself is missing while an
    old copy is there (a build killed inside a two-rename swap, where no exchange was available), that
    copy is put back first, never deleted."""
    if not site_dir.exists() and not site_dir.is_symlink():
        olds = sorted(site_dir.parent.glob(f".{site_dir.name}.old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
        if olds:
            os.rename(olds[0], site_dir)
    for pattern in (f".{site_dir.name}.building-*", f".{site_dir.name}.old-*"):
        for stale in site_dir.parent.glob(pattern):
            _remove(stale)
    staging = site_dir.parent / f".{site_dir.name}.building-{os.getpid()}"
    _remove(staging)
    return staging


def _remove(path: Path) -> None:
    """Remove a leftover; a symbolic link (say, one committed as `.site.building-1234`) is removed itself, never
    followed, so the build never writes into wherever it points."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, musl
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # a file system without exchange
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap_in(staging: Path, site_dir: Path) -> None:
    """The new site replaces the old at once: one exchange of the two folders, so at no moment is there no
    site (where the exchange is unavailable, two renames, and staging_dir() recovers a build killed between
    them). The old one is then deleted by a background process (tens of thousands of files take seconds to
    unlink), or by the next build if that process dies."""
    old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    if site_dir.is_dir() and not site_dir.is_symlink() and exchange(staging, site_dir):
        os.rename(staging, old)  # staging now holds the old site
    else:
        if site_dir.exists() or site_dir.is_symlink():
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
