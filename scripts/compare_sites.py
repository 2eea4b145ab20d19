#!/usr/bin/env python3
"""Are two builds the same site? Compares two projects' built sites (and their normalised records,
docs/articles/) file by file, byte for byte: what only one has, and what differs, with the first differing
line of each text file. Used to show that a refactoring publishes exactly the same bytes (issue 21).

    .venv/bin/python scripts/compare_sites.py PROJECT_A PROJECT_B [--site site] [--show N]

Pagefind's bundle (site/pagefind/) is compared too; pass --skip pagefind to leave it out.
Exit codes: 0 identical, 1 different, 2 a folder is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path


def files_of(root: Path, skip: tuple[str, ...]) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] not in skip}


def first_difference(a: Path, b: Path) -> str:
    try:
        left, right = a.read_text("utf-8").splitlines(), b.read_text("utf-8").splitlines()
    except UnicodeDecodeError:
        return "binary"
    for number, (x, y) in enumerate(zip(left, right), 1):
        if x != y:
            return f"line {number}: {x[:160]!r} != {y[:160]!r}"
    return f"{len(left)} lines != {len(right)} lines"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--site", default="site", help="the site folder inside each project (default: site)")
    ap.add_argument("--skip", nargs="*", default=[], help="top-level site folders to leave out")
    ap.add_argument("--show", type=int, default=10, metavar="N", help="list N differing files (default 10)")
    args = ap.parse_args(argv)
    differ = 0
    for folder in (args.site, "docs/articles"):
        left, right = args.a / folder, args.b / folder
        if not left.is_dir() or not right.is_dir():
            print(f"compare_sites: no {left if not left.is_dir() else right}", file=sys.stderr)
            return 2
        a, b = files_of(left, tuple(args.skip)), files_of(right, tuple(args.skip))
        only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        changed = sorted(p for p in set(a) & set(b) if a[p] != b[p])
        print(f"{folder}: {len(a)} and {len(b)} files; {len(only_a)} only in A, {len(only_b)} only in B, {len(changed)} differ")
        for path in only_a[:args.show]:
            print(f"  only in A: {path}")
        for path in only_b[:args.show]:
            print(f"  only in B: {path}")
        for path in changed[:args.show]:
            print(f"  differs: {path}: {first_difference(left / path, right / path)}")
        differ += len(only_a) + len(only_b) + len(changed)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
