"""Finding the input files under articles/, refusing anything that could lead outside it."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import Refused
from ..models import Problem

KINDS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
         ".html": "html", ".htm": "html", ".json": "json"}
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class InputFile:
    path: Path  # absolute
    relative: str  # POSIX path below the articles folder, used for the article id
    display: str  # how messages and exports name the file: relative to the project root when inside it, else to
    # the articles folder; never absolute (the build machine's paths stay off the site)
    kind: str


class UnsafeArticlesFolder(Refused):
    """The articles folder itself would lead outside the archive (a symbolic link): nothing is read."""


def discover(articles_dir: Path, project_root: Path) -> tuple[list[InputFile], list[Problem]]:
    """Every article file below `articles_dir`, in a stable order. Links are listed, never followed; files
    and folders skipped on purpose (hidden ones, README files) are listed as warnings, never dropped unsaid."""
    articles_dir = articles_dir.absolute()
    if articles_dir.is_symlink():
        raise UnsafeArticlesFolder(f"{_display(articles_dir, project_root)} is a symbolic link (to {os.readlink(articles_dir)}); "
                                   "refusing to read through it: make it a real folder inside the project")
    found: list[InputFile] = []
    problems: list[Problem] = []
    unreadable: list[OSError] = []
    for folder, dirnames, filenames in os.walk(articles_dir, followlinks=False, onerror=unreadable.append):
        here = Path(folder)
        dirnames.sort()
        for name in list(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
                problems.append(Problem(_display(here / name, project_root, articles_dir), "warning", "hidden folder (its name starts with '.'); nothing in it is published"))
            elif (here / name).is_symlink():
                dirnames.remove(name)
                problems.append(Problem(_display(here / name, project_root, articles_dir), "error", "symbolic link to a folder; not followed, nothing in it is published"))
        for name in sorted(filenames):
            path = here / name
            display = _display(path, project_root, articles_dir)
            if name.startswith("."):
                problems.append(Problem(display, "warning", "hidden file (its name starts with '.'); skipped, not published"))
                continue
            if name.lower().startswith("readme"):
                problems.append(Problem(display, "warning", "a README (notes about the folder, not an article); skipped, not published"))
                continue
            if path.is_symlink():
                problems.append(Problem(display, "error", "symbolic link; not followed, not published (copy the file into articles/ instead)"))
                continue
            kind = KINDS.get(path.suffix.lower())
            if kind is None:
                problems.append(Problem(display, "warning", f"unsupported file type '{path.suffix or name}'; expected one of {', '.join(sorted(set(KINDS)))}; skipped"))
                continue
            if not path.is_file():
                problems.append(Problem(display, "error", "not a regular file; skipped"))
                continue
            if path.stat().st_size > MAX_BYTES:
                problems.append(Problem(display, "error", f"file is larger than {MAX_BYTES // 2**20} MB; skipped"))
                continue
            relative = _printable(path.relative_to(articles_dir).as_posix(), escape=False)
            found.append(InputFile(path, relative, display, kind))
    for error in unreadable:  # a folder that cannot be listed (permissions, a path too long): said, not skipped
        where = Path(error.filename) if error.filename else articles_dir
        problems.append(Problem(_display(where, project_root, articles_dir), "error", f"folder cannot be read: {error.strerror or error}; nothing in it is published"))
    return found, problems


def has_unprintable_name(path: Path) -> bool:
    """The file's name, or a folder's above it, is not valid UTF-8 or holds control characters (so it is shown
    with \\xNN escapes)."""
    return any(_printable(part, escape=True) != part.replace("\\", "\\\\") for part in path.parts)


def _raw_display(path: Path, project_root: Path, articles_dir: Path | None = None) -> str:
    """Relative to the project root; a file outside it (`--articles /elsewhere`) relative to the articles folder
    (the folder itself by its name): an absolute path would print the build machine's layout on the site."""
    try:
        return path.absolute().relative_to(project_root.absolute()).as_posix()
    except ValueError:
        pass
    if articles_dir is not None:
        try:
            return path.absolute().relative_to(articles_dir.absolute()).as_posix() if path.absolute() != articles_dir.absolute() else articles_dir.name
        except ValueError:
            pass
    return str(path)


def _display(path: Path, project_root: Path, articles_dir: Path | None = None) -> str:
    """How messages, pages and exports name the file: always valid UTF-8 text on one line."""
    return _printable(_raw_display(path, project_root, articles_dir), escape=True)


def _printable(name: str, *, escape: bool) -> str:
    """A file name that is not UTF-8 comes from os.walk with lone surrogates ('caf\\udce9.txt'), which no UTF-8
    output can hold (the page's YAML front matter crashed the build). Show such bytes, and control
    characters such as a newline, as \\xNN escapes (`escape`), or as U+FFFD and a space (for the id)."""
    if escape:  # a backslash is doubled, so 'caf\\xe9' (typed) and 'caf\xe9' (the byte 0xE9) stay two names
        text = name.replace("\\", "\\\\").encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return "".join(f"\\x{ord(ch):02x}" if unicodedata.category(ch) == "Cc" else ch for ch in text)
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
