"""Parsing and extraction on any concurrent.futures.Executor: a Dask cluster gives the same archive as this machine."""

from __future__ import annotations

import pytest

from builder import pipeline
from builder.cache import BuildCache
from builder.app.cli import main

pytestmark = pytest.mark.integration


def settings_for(root, executor=None):
    return pipeline.Settings(project_root=root, articles_dir=root / "articles", docs_dir=root / "docs",
                             registry=root / "entities.yml", cache_dir=root / ".cache", workers=1, executor=executor)


def summary(index):
    return (index.articles, index.mentions_by_article, index.subjects_by_article,
            {i: len(s.mentions) for i, s in index.entities.items()}, {i: len(s.mentions) for i, s in index.locations.items()},
            index.problems)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


def test_a_build_on_a_dask_cluster_matches_the_local_one(project, cluster):
    import distributed
    from synthetic import write_articles

    write_articles(project / "articles" / "generated", 6)
    local = pipeline.analyse(settings_for(project), BuildCache(None)).index  # no build cache: every stage runs
    address = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
    remote = pipeline.analyse(settings_for(project, address), BuildCache(None)).index
    with distributed.Client(cluster) as client:  # the worker built its own extractor
        built = client.run(lambda: len(__import__("builder.extract.runner", fromlist=["_BUILT"])._BUILT))
    assert list(built.values()) == [1]
    assert len(local.articles) == 8 and sum(map(len, local.mentions_by_article.values())) > 20
    assert summary(remote) == summary(local)


def test_archive_build_and_check_take_the_executor(project, cluster, capsys, monkeypatch):
    address = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
    used = []
    real = pipeline.executor_of
    monkeypatch.setattr(pipeline, "executor_of", lambda settings: used.append(settings.executor) or real(settings))
    assert main(["-f", str(project / "mkdocs.yml"), "check", "--executor", address]) == 0
    assert "2 articles" in capsys.readouterr().out
    assert main(["-f", str(project / "mkdocs.yml"), "build", "--executor", address]) == 0
    assert used == [address, address]  # mkdocs runs the plugin's on_config again: the setting survives it
    assert main(["-f", str(project / "mkdocs.yml"), "check", "--executor", "ftp://x"]) == 2


def test_an_unreachable_scheduler_stops_with_a_message(project, capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(pipeline, "DASK_CONNECT_TIMEOUT", "1s")
    assert main(["-f", str(project / "mkdocs.yml"), "check", "--executor", "dask://127.0.0.1:9"]) == 1
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
