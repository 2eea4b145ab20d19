#!/usr/bin/env python3
"""Extraction speed: articles per second on one core, cold and from the per-article cache, with and without
the model. Reads ../shared/corpora/fakes-dev/articles (beside the project, not part of it).

    .venv/bin/python scripts/bench_extraction.py [--corpus DIR] [--limit N]

Prints a Markdown table for BENCHMARKS.md. Exit 2 when the corpus is missing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "fakes-dev" / "articles"

from builder.cache import BuildCache  # noqa: E402
from builder.extract import model as ner_model  # noqa: E402
from builder.pipeline import Settings, extract, ingest  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"bench_extraction: corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        gazetteer_cache = tmp / "gazetteer"
        from builder.extract.gazetteer import load_gazetteer
        load_gazetteer(gazetteer_cache)  # built once, outside the timings
        print("| model | articles | cold: s, articles/s (1 core) | from the cache: s, articles/s | saved |")
        print("|---|---|---|---|---|")
        for model in (None, "none"):
            name = ner_model.resolve_name(model)[0] or "rules only"
            cache_dir = tmp / f"cache-{name}"
            cache_dir.mkdir()
            for f in gazetteer_cache.iterdir():
                (cache_dir / f.name).write_bytes(f.read_bytes())
            settings = Settings(project_root=tmp, articles_dir=args.corpus, docs_dir=tmp / "docs",
                                registry=PROJECT_ROOT / "entities.yml", cache_dir=cache_dir, workers=1, model=model)
            if model is None and name != "rules only":
                ner_model.load(name)  # loaded once per process, outside the timings (about 1–3 s)
            runs = []
            for _ in range(2):
                cache = BuildCache(cache_dir)
                ingested = ingest(settings, cache)
                articles, problems = ingested.articles, ingested.problems
                if args.limit:
                    articles = articles[: args.limit]
                started = time.perf_counter()
                extract(articles, settings, problems, cache)
                runs.append(time.perf_counter() - started)
                cache.save()
            n = len(articles)
            print(f"| {name} | {n} | {runs[0]:.1f} s, {n / runs[0]:.0f}/s | {runs[1]:.2f} s, {n / runs[1]:.0f}/s | "
                  f"{100 * (1 - runs[1] / runs[0]):.0f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
