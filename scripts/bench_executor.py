#!/usr/bin/env python3
"""A cold extraction of a folder of articles on this process, a local process pool, or a Dask LocalCluster.

Developer tool, not part of the test suite. Parses the articles first (not timed), builds the gazetteer cache
once (not timed), then times `pipeline.extract` with an empty build cache: the workers' start-up (each builds
its own extractor: automaton and spaCy model) is included; a Dask cluster's start is timed apart, and the
extraction is run a second time on the same cluster (its workers keep their extractor, as a long-lived cluster
would).

    .venv/bin/python scripts/bench_executor.py --mode {inline,pool,dask} [--workers 2] [--articles DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from builder import pipeline
from builder.cache import BuildCache
from builder.extract.gazetteer import load_gazetteer

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpora" / "fakes-dev" / "articles"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("inline", "pool", "dask"), required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--articles", type=Path, default=CORPUS)
    args = parser.parse_args()
    cache_dir = Path(tempfile.mkdtemp(prefix="bench-executor-"))
    settings = pipeline.Settings(project_root=args.articles.parent, articles_dir=args.articles, docs_dir=cache_dir / "docs",
                                 registry=PROJECT / "entities.yml", cache_dir=cache_dir,
                                 workers=1 if args.mode == "inline" else args.workers)
    load_gazetteer(cache_dir)
    ingested = pipeline.ingest(settings, BuildCache(None))
    articles = ingested.articles
    if args.mode == "pool":
        pipeline.PARALLEL_EXTRACT_FROM = 1  # the default (400) keeps 399 articles in this process
    runs = 1
    if args.mode == "dask":
        import distributed

        started = time.perf_counter()
        cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        print(f"dask: LocalCluster of {args.workers} workers started in {time.perf_counter() - started:.1f} s")
        settings = dataclasses.replace(settings, executor="dask://" + cluster.scheduler_address.removeprefix("tcp://"))
        runs = 2
    for run in range(runs):
        with pipeline.executor_of(settings) as executor:
            started = time.perf_counter()
            extractions = pipeline.extract(articles, settings, BuildCache(None), executor).extractions
            seconds = time.perf_counter() - started
        mentions = sum(len(e.mentions) for e in extractions)
        print(f"{args.mode} ({settings.workers} workers){' run ' + str(run + 1) if runs > 1 else ''}: "
              f"{len(articles)} articles, {mentions} mentions, cold extraction {seconds:.1f} s = {len(articles) / seconds:.1f} articles/s")
    if args.mode == "dask":
        cluster.close()


if __name__ == "__main__":
    main()
