"""Writing the site incrementally: only the files whose content changed are written.

Each output has an *identity*, a digest of what it is made of (a page: its shell and its packed HTML; a
file: its bytes), known without producing the bytes. The manifest of the last build maps each output path to
(identity, size, mtime_ns); a file whose identity is unchanged and whose stat still matches is left alone.

The new site is built in a staging folder that starts as a hard-link clone of the old one (`clone_tree`),
so unchanged files cost a link, not a write; a changed file is written beside and renamed over its link,
never written through it, so the old site (still being served) is never touched. Then the staging folder is
swapped in (builder/site/atomic.py).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..emit import Output
from ..paths import GENERATED_DIRS, is_safe_output
from ..errors import Refused

WRITER_THREADS = 8  # file creation dominates: overlap it


@dataclass
class SyncStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass
class Manifest:
    """path → (identity, size, mtime_ns) of the files the last build wrote; `kept`: folders the builder does
    not manage file by file (Pagefind's index), left in place by `sync`."""

    files: dict[str, list] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict | None) -> "Manifest":
        return cls(dict((data or {}).get("files", {})))

    def to_json(self) -> dict:
        return {"files": self.files}


def clone_tree(source: Path, target: Path) -> None:
    """`target` becomes a copy of `source` made of hard links (cheap: no data is copied). Symbolic links
    inside are copied as links, never followed."""
    if not source.is_dir() or source.is_symlink():
        target.mkdir(parents=True)
        return
    try:
        subprocess.run(["cp", "-al", "--no-dereference", "--", str(source), str(target)], check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def sync(root: Path, outputs: dict[str, Output], manifest: Manifest, keep: tuple[str, ...] = ()) -> SyncStats:
    """Make `root` hold exactly `outputs` (plus the folders named in `keep`), writing only what changed;
    `manifest` is updated in place."""
    stats = SyncStats()
    todo = []
    for path, output in outputs.items():
        if not is_safe_output(path):
            raise Refused(f"refusing to write outside the site: {path!r}")
        known = manifest.files.get(path)
        if known and known[0] == output.identity:
            try:
                st = os.lstat(root / path)
                if stat.S_ISREG(st.st_mode) and [st.st_size, st.st_mtime_ns] == list(known[1:]):
                    stats.unchanged += 1
                    continue
            except FileNotFoundError:
                pass
        todo.append(output)
    with ThreadPoolExecutor(WRITER_THREADS) as pool:
        for path, st_size, st_mtime in pool.map(lambda o: _write(root, o), todo):
            manifest.files[path] = [outputs[path].identity, st_size, st_mtime]
    stats.written = len(todo)
    for dirpath, dirnames, filenames in os.walk(root, topdown=True):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        if rel_dir != "." and rel_dir.split("/")[0] in keep:
            dirnames[:] = []
            continue
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in keep]
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if rel not in outputs:
                (here / name).unlink()
                stats.removed += 1
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        if dirpath != str(root) and not os.listdir(dirpath):
            os.rmdir(dirpath)
    for path in [p for p in manifest.files if p not in outputs]:
        del manifest.files[path]
    return stats


def _write(root: Path, output: Output) -> tuple[str, int, int]:
    target = root / output.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.is_dir():
        raise Refused(f"refusing to write over {target}: not a regular file")
    tmp = target.with_name(target.name + ".archive-tmp")
    if output.copy_from is not None:
        tmp.unlink(missing_ok=True)
        shutil.copyfile(output.copy_from, tmp, follow_symlinks=False)
    elif output.produce is None:
        raise ValueError(f"{output.path}: an Output needs `produce` or `copy_from`")
    else:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(output.produce())
    os.replace(tmp, target)  # replaces the hard link to the old site's file, never writes through it
    st = os.lstat(target)
    return output.path, st.st_size, st.st_mtime_ns


def check_tree(docs_dir: Path, files: dict[str, bytes]) -> None:
    """Raise Refused unless every file of `files` can be written under docs/ without going through a
    symbolic link (a link committed into docs/articles/ would lead the write anywhere) or out of the generated
    folders. `archive check` runs this too, so a pull request that would break the deploy fails its check."""
    root = docs_dir.resolve()
    for folder in GENERATED_DIRS:  # a generated folder that is a link could lead anywhere (its old files are removed)
        if (root / folder).is_symlink() or ((root / folder).exists() and not (root / folder).resolve().is_relative_to(root)):
            raise Refused(f"refusing to write through a symbolic link: {root / folder}")
    safe: set[str] = set()
    for rel in files:
        parts = rel.split("/")
        if parts[0] not in GENERATED_DIRS or any(p in ("", ".", "..") for p in parts) or "\\" in rel or "\0" in rel:
            raise Refused(f"refusing to write outside the generated folders of docs/: {rel}")
        for i in range(1, len(parts) + 1):
            here = "/".join(parts[:i])
            if here in safe:
                continue
            try:
                st = os.lstat(root / here)
            except FileNotFoundError:
                break  # the build creates the rest as real folders
            except OSError as exc:
                raise Refused(f"cannot write {root / rel}: {exc.strerror or exc}") from None
            if stat.S_ISLNK(st.st_mode):
                raise Refused(f"refusing to write through a symbolic link: {root / here} (remove it; the build makes "
                              f"docs/{parts[0]}/ itself)")
            if i < len(parts):
                if not stat.S_ISDIR(st.st_mode):
                    raise Refused(f"cannot write {root / rel}: {root / here} is not a folder")
                safe.add(here)
