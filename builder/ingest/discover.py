"""Finding the input files under articles/, refusing anything that could lead outside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..models import Problem

KINDS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
         ".html": "html", ".htm": "html", ".json": "json"}
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class InputFile:
    path: Path  # absolute
    relative: str  # POSIX path below the articles folder, used for the article id
    display: str  # how messages and exports name the file (relative to the project root when inside it)
    kind: str


def discover(articles_dir: Path, project_root: Path) -> tuple[list[InputFile], list[Problem]]:
    """Every article file below `articles_dir`, in a stable order. Links are listed, never followed."""
    articles_dir = articles_dir.absolute()
    found: list[InputFile] = []
    problems: list[Problem] = []
    for folder, dirnames, filenames in os.walk(articles_dir, followlinks=False):
        here = Path(folder)
        dirnames.sort()
        for name in list(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
            elif (here / name).is_symlink():
                dirnames.remove(name)
                problems.append(Problem(_display(here / name, project_root), "error", "symbolic link to a folder; not followed, nothing in it is published"))
        for name in sorted(filenames):
            path = here / name
            display = _display(path, project_root)
            if name.startswith(".") or name.lower().startswith("readme"):
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
            found.append(InputFile(path, path.relative_to(articles_dir).as_posix(), display, kind))
    return found, problems


def _display(path: Path, project_root: Path) -> str:
    try:
        return path.absolute().relative_to(project_root.absolute()).as_posix()
    except ValueError:
        return str(path)
