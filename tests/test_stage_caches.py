"""Each cache table is keyed by what shapes its stage: a change to one stage's code leaves the others warm."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import builder
from builder import cache as cache_module
from builder import pipeline
from builder.cache import STAGES, BuildCache, stage_digests

BUILDER = Path(builder.__file__).parent


def settings_for(root: Path) -> pipeline.Settings:
    return pipeline.Settings(project_root=root, articles_dir=root / "articles", docs_dir=root / "docs",
                             registry=root / "entities.yml", cache_dir=root / ".cache", workers=1, model="none")


def with_render_changed(digests: dict[str, str]) -> dict[str, str]:
    return {**digests, "html": "another render code"}


@pytest.mark.unit
def test_a_render_code_change_leaves_extraction_and_parsing_warm(tmp_path):
    digests = stage_digests()
    first = BuildCache(tmp_path, digests)
    first.put("articles", ("a.txt", "articles/a.txt", "0" * 64), "parsed")
    first.put("extractions", "k", "extracted")
    first.put("html", "page", b"<p>page</p>")
    first.save()

    changed = BuildCache(tmp_path, with_render_changed(digests))
    assert changed.get("extractions", "k") == "extracted"
    assert changed.get("articles", ("a.txt", "articles/a.txt", "0" * 64)) == "parsed"
    assert changed.get("html", "page") is None  # the render stage starts cold
    changed.put("html", "page", b"<p>new</p>")
    changed.save()

    again = BuildCache(tmp_path, with_render_changed(digests))
    assert again.get("extractions", "k") == "extracted" and again.get("html", "page") == b"<p>new</p>"
    assert BuildCache(tmp_path, {**digests, "extractions": "another extractor"}).get("extractions", "k") is None


@pytest.mark.integration
def test_a_real_build_keeps_extractions_when_only_render_code_changes(project, monkeypatch):
    settings = settings_for(project)
    pipeline.generate(settings)
    digests = stage_digests()
    monkeypatch.setattr(cache_module, "stage_digests", lambda: with_render_changed(digests))
    calls = []
    real = pipeline.extract_batch
    monkeypatch.setattr(pipeline, "extract_batch", lambda spec, items: calls.append(len(items)) or real(spec, items))
    cache = BuildCache(settings.cache_dir)
    pipeline.analyse(settings, cache)
    assert not calls  # every extraction came from the cache
    assert cache.hits and not cache.misses
    stored = json.loads((project / ".cache" / "build-cache.json").read_text())
    assert stored["format"] == cache_module.FORMAT and set(stored["digests"]) == set(stored["entries"]) == set(cache_module.TABLES)


@pytest.mark.unit
def test_library_versions_are_part_of_the_key(monkeypatch):
    before = cache_module.stage_digest("extractions")
    cache_module.stage_digest.cache_clear()
    real = cache_module.library_version
    monkeypatch.setattr(cache_module, "library_version", lambda name: "99.0" if name == "spacy" else real(name))
    try:
        assert cache_module.stage_digest("extractions") != before
        assert cache_module.stage_digest("articles") == _fresh("articles", real, monkeypatch)
    finally:
        cache_module.stage_digest.cache_clear()


def _fresh(table, real, monkeypatch):
    monkeypatch.setattr(cache_module, "library_version", real)
    cache_module.stage_digest.cache_clear()
    return cache_module.stage_digest(table)


@pytest.mark.unit
def test_each_stage_key_covers_the_builder_modules_and_data_files_its_code_uses():
    """A module imported from outside the stage's folder, or a data file it reads, must be in its key."""
    packages = {"articles": "ingest", "extractions": "extract", "html": "render"}
    for table, package in packages.items():
        paths, _ = STAGES[table]
        covered = {p for p in paths}
        for source in (BUILDER / package).rglob("*.py"):
            text = source.read_text("utf-8")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                    module = node.module.replace(".", "/")
                    assert (module in covered or module + ".py" in covered or module + "/__init__.py" in covered
                            or module.split("/")[0] in covered), f"{table}: {source.name} imports ..{node.module}"
            for data in (BUILDER / "data").iterdir():
                if data.name in text:
                    assert f"data/{data.name}" in covered, f"{table}: {source.name} reads {data.name}"
