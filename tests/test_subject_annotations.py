"""`make typecheck` (mypy, run first by `make test`) checks builder/; this keeps it able to: a bare `Subject`
annotation means Subject[Any], whose `record` mypy no longer checks, so an entity's field read off a place (the
`Entity | Location` confusion) would pass unseen. Every annotation says Subject[Entity], Subject[Location] or
AnySubject (builder/aggregate/__init__.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import builder

pytestmark = pytest.mark.unit

ROOT = Path(builder.__file__).parent


def bare_subjects(source: str) -> list[int]:
    """The lines of `source` whose annotations name `Subject` without its type argument."""
    tree = ast.parse(source)
    annotations = [node.annotation for node in ast.walk(tree) if isinstance(node, (ast.arg, ast.AnnAssign))
                   and node.annotation is not None]
    annotations += [node.returns for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and node.returns is not None]
    lines = []
    for annotation in annotations:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):  # a quoted annotation
            annotation = ast.parse(annotation.value, mode="eval").body
        subscripted = {id(n.value) for n in ast.walk(annotation) if isinstance(n, ast.Subscript)}
        lines += [n.lineno for n in ast.walk(annotation)
                  if isinstance(n, ast.Name) and n.id == "Subject" and id(n) not in subscripted]
    return lines


def test_every_subject_annotation_names_its_record_type():
    bare = [f"{path.relative_to(ROOT.parent)}:{line}" for path in sorted(ROOT.rglob("*.py"))
            for line in bare_subjects(path.read_text("utf-8"))]
    assert not bare, "a bare Subject annotation (mypy reads Subject[Any]): " + ", ".join(bare)


def test_the_check_sees_a_bare_subject():
    assert bare_subjects("def f(s: Subject, t: list[Subject]) -> Subject: ...") == [1, 1, 1]
    assert bare_subjects("def f(s: Subject[Entity], t: list[Subject[Location]]) -> AnySubject: ...") == []
