#!/usr/bin/env python3
"""Time `archive serve`'s answer to an edit in an existing archive project (developer tool, not a test).

    .venv/bin/python scripts/bench_serve.py PROJECT [--port 8765] [--rounds 2]

Starts `archive serve` in PROJECT, waits until it serves, then for each round appends a sentence to one
published article and times (1) until the reload long-poll (/__archive__/reload) returns and the served page
contains the sentence (the quick page), (2) until the full build after it is done. The sentences are removed
at the end. Prints the server's own log lines ("shown in", "rebuilt in").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

VENV = Path(__file__).resolve().parent.parent / ".venv"


def get(url: str, timeout: float = 120) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    server = subprocess.Popen([str(VENV / "bin" / "archive"), "serve", "--dev-addr", f"127.0.0.1:{args.port}"],
                              cwd=args.project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{args.port}/"
    started = time.monotonic()
    while True:
        try:
            get(base, 5)
            break
        except OSError:
            if server.poll() is not None:
                print(server.stdout.read())
                return 1
            time.sleep(0.5)
    print(f"ready in {time.monotonic() - started:.1f} s")
    article = json.loads(get(base + "data/articles.json"))[5]
    path = args.project / article["original"]
    added = []
    try:
        time.sleep(15)  # let the extractor warm up
        for n in range(args.rounds):
            build = json.loads(get(base + "__archive__/reload?since=-1"))["build"]
            sentence = f"A sentence added to time the preview, round {n}."
            path.write_text(path.read_text("utf-8") + f"\n\n{sentence}\n", "utf-8")
            added.append(f"\n\n{sentence}\n")
            edited = time.monotonic()
            get(base + f"__archive__/reload?since={build}")
            shown = sentence in get(base + article["url"]).decode("utf-8")
            print(f"round {n}: page answered after {time.monotonic() - edited:.2f} s, shows the sentence: {shown}")
            while json.loads(get(base + f"__archive__/reload?since={build + 1}"))["build"] <= build + 1:
                pass  # the long-poll returns every 25 s while the full build runs
            print(f"round {n}: full build done after {time.monotonic() - edited:.2f} s")
            time.sleep(10)
    finally:
        text = path.read_text("utf-8")
        for piece in added:
            text = text.replace(piece, "")
        path.write_text(text, "utf-8")
        server.terminate()
        output = server.communicate(timeout=30)[0]
        print("\n".join(line for line in output.splitlines() if "shown in" in line or "rebuilt in" in line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
