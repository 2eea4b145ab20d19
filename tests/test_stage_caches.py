"""Each cache table is keyed by what shapes its stage: a change to one stage's code leaves the others warm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import builder
from builder import cache as cache_module
from builder import pipeline
from conftest import rendered_pages
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
    rendered_pages(settings)
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


# Each stage runs in a fresh interpreter whose audit hook records every file under builder/ it opens (modules
# through their .pyc, data files, templates) while the stage runs; the stage's key must cover each of them.
STAGE_RUN = r"""
import json, sys
from pathlib import Path
import builder
ROOT = Path(builder.__file__).parent
opened, recording = set(), [False]
def hook(event, args):
    if recording[0] and event == "open" and isinstance(args[0], (str, Path)):
        path = Path(args[0]).resolve()
        if path.is_relative_to(ROOT):
            if path.parent.name == "__pycache__":
                path = path.parent.parent / (path.name.split(".")[0] + ".py")
            opened.add(path.relative_to(ROOT).as_posix())
sys.addaudithook(hook)
stage, project = sys.argv[1], Path(sys.argv[2])
from builder.ingest import InputFile, discover
def parsed():
    from builder.ingest import read_article
    items, _ = discover(project / "articles", project)
    return [read_article(item)[0] for item in items]
if stage == "articles":
    recording[0] = True
    from builder.markup import bounded_markdown
    articles = parsed()
    [bounded_markdown.render(a.body) for a in articles if a is not None]
elif stage == "extractions":
    articles = parsed()
    recording[0] = True
    from builder.extract.registry import load
    from builder.extract.model import resolve_name
    from builder.extract.runner import ExtractorSpec, extract_batch
    extract_batch(ExtractorSpec(load(project / "entities.yml"), None, resolve_name("none")[0]), articles)
else:
    from builder import pipeline
    from builder.config import Settings
    settings = Settings(project_root=project, articles_dir=project / "articles", docs_dir=project / "docs",
                        registry=project / "entities.yml", cache_dir=None, workers=1, model="none")
    if stage == "events":
        recording[0] = True
        pipeline.analyse(settings)  # the events stage runs inside the analysis (aggregate/incidents.add_events)
    else:
        analysis = pipeline.analyse(settings)
        recording[0] = True
        from builder import emit
        emit.html_pages(emit.EmitContext(analysis.index, settings.tiles, analysis.gazetteer.country))
print(json.dumps(sorted(opened)))
"""


@pytest.mark.integration
@pytest.mark.parametrize("table", ["articles", "extractions", "events", "html"])
def test_each_stage_key_covers_every_builder_file_the_stage_opens(table, project):
    """The keys are computed from the code (cache.stage_files); a stage that reads a module or data file its
    key does not cover would keep stale work after that file changed."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", STAGE_RUN, table, str(project)], capture_output=True, text=True,
                          timeout=600, check=True)
    opened = set(json.loads(done.stdout.strip().splitlines()[-1]))
    covered = {p.relative_to(BUILDER).as_posix() for p in cache_module.stage_files(table)}
    assert opened, "the audit hook saw nothing: the test would pass whatever the key"
    if table == "events":  # the analysis around it runs every stage; the events code and data must be among them
        opened = {f for f in opened if f.startswith("aggregate/events") or f == "data/event_rules.yml"}
    assert opened <= covered, f"{table}: its key misses {sorted(opened - covered)}"


@pytest.mark.unit
def test_stage_files_follow_imports_and_named_data_files():
    html = {p.relative_to(BUILDER).as_posix() for p in cache_module.stage_files("html")}
    assert {"emit/articles.py", "render/__init__.py", "render/templates/article.html.j2", "paths.py"} <= html
    extractions = {p.relative_to(BUILDER).as_posix() for p in cache_module.stage_files("extractions")}
    assert {"extract/runner.py", "extract/discovery.py", "data/first_names.txt", "data/name_rules.yml"} <= extractions
    assert not any(f.startswith(("render/", "emit/", "site/")) for f in extractions)  # rendering never re-extracts
