"""The package's layers run one way: a module imports only from its own layer or the layers below it.

    base       models, errors, reserved, paths, config, terminal, progress, isolation, workers, cache
    markup     text → HTML primitives shared by ingest and render (escaping, paragraph ids, bounded Markdown)
    ingest → extract → aggregate → pipeline (the analysis)
    render     the page library (Jinja environment, page objects, snippets)
    emit       the page families
    site       mkdocs, shells, the writer, Pagefind
    build      the driver (and quality, curation: tools over the analysis)
    app        the command line, the preview server
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import builder

pytestmark = pytest.mark.unit

ROOT = Path(builder.__file__).parent
LAYERS = (
    {"__init__", "models", "errors", "reserved", "paths", "config", "terminal", "progress", "isolation", "workers", "cache", "geo", "memory"},
    {"markup"},
    {"ingest"},
    {"extract"},
    {"aggregate"},
    {"pipeline"},
    {"render"},
    {"emit"},
    {"site"},
    {"build", "quality", "curation"},
    {"app"},
)


def layer_of(module: str) -> int:
    """'builder.render.subjects' → the layer of 'render'; 'builder' → base."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    for number, members in enumerate(LAYERS):
        if top in members:
            return number
    raise AssertionError(f"{module}: in no layer; add its package to LAYERS (and to the README's drawing)")


def imports_of(path: Path) -> list[str]:
    """The builder modules `path` imports, absolute ('from .. import render' → 'builder.render')."""
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    package = parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            found += ([".".join((*base, node.module))] if node.module else [".".join((*base, a.name)) for a in node.names])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("builder"):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("builder")]
    return found


def test_no_module_imports_from_a_layer_above_its_own():
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")
        for target in imports_of(path):
            if layer_of(target) > layer_of(module):
                upward.append(f"{module} imports {target}")
    assert not upward, "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path):
    """The rule above is not vacuous: a pipeline module importing the renderer is caught."""
    path = ROOT / "pipeline.py"
    assert layer_of("builder.render") > layer_of("builder.pipeline")
    assert "builder.markup" in imports_of(path)  # the trial render of a Markdown body comes from below
    assert layer_of("builder.markup") < layer_of("builder.ingest")
