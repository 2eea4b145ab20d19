"""Bad input: a clear message naming the file and the reason; everything else still builds."""

import codecs
import json

import pytest

from builder.app.cli import main
from conftest import SEED_000, write

pytestmark = pytest.mark.integration

SEED_TEXT = SEED_000.read_text("utf-8")


def build(root, *extra):
    return main(["-f", str(root / "mkdocs.yml"), "build", *extra])


def problems_of(root):
    return json.loads((root / "site" / "data" / "problems.json").read_text("utf-8"))


def published_ids(root):
    return {a["id"] for a in json.loads((root / "site" / "data" / "articles.json").read_text("utf-8"))}


BAD_FILES = {
    "empty.txt": (b"", "error", "empty file"),
    "binary.txt": (bytes(range(256)) * 8, "error", "binary file"),
    "utf16.txt": (codecs.BOM_UTF16_LE + "Title\n\nBody in UTF-16.\n".encode("utf-16-le"), "warning", "UTF-16"),
    "legacy.txt": ("Caf\u00e9 title\n\nA \u201cquoted\u201d body in cp1252.\n".encode("cp1252"), "warning", "Windows-1252"),
    "badyaml.md": (b"---\ntitle: [unclosed\ndate: 2020-01-01\n---\nBody\n", "error", "invalid YAML front matter (line"),
    "baddate.md": (b"---\ntitle: Has a bad date\ndate: sometime in May\n---\nBody text.\n", "warning", "unparseable date 'sometime in May'"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_is_reported_and_the_rest_builds(project, name):
    content, severity, reason = BAD_FILES[name]
    write(project / "articles", name, content)
    assert build(project) == 0
    problems = [p for p in problems_of(project) if p["file"] == f"articles/{name}"]
    assert len(problems) == 1, problems_of(project)
    assert problems[0]["severity"] == severity
    assert reason in problems[0]["message"]
    assert {"000-5e54e979575ccf65", "004-8a7ef53b83db8164"} <= published_ids(project)
    quality = (project / "site" / "browse" / "quality" / "index.html").read_text("utf-8")
    assert f"articles/{name}" in quality
    # --strict turns any problem into a failing exit code.
    assert build(project, "--strict") == 1


def test_readable_but_odd_encodings_are_still_published(project):
    write(project / "articles", "utf16.txt", codecs.BOM_UTF16_LE + "Title sixteen\n\nBody.\n".encode("utf-16-le"))
    write(project / "articles", "legacy.txt", "Caf\u00e9 title\n\nBody \u201cquoted\u201d.\n".encode("cp1252"))
    build(project)
    titles = {a["title"] for a in json.loads((project / "site" / "data" / "articles.json").read_text("utf-8"))}
    assert {"Title sixteen", "Caf\u00e9 title"} <= titles


def test_identical_duplicates_are_published_once(project):
    write(project / "articles", "copy/again.txt", SEED_TEXT)
    assert build(project) == 0
    ids = published_ids(project)
    assert "copy/again" not in ids and "000-5e54e979575ccf65" in ids
    [problem] = problems_of(project)
    assert problem["file"] == "articles/copy/again.txt"
    assert "identical to articles/000_5e54e979575ccf65.txt" in problem["message"]


def test_two_articles_wanting_the_same_slug_both_publish(project):
    write(project / "articles", "same.txt", "First title\n\nFirst body.\n")
    write(project / "articles", "same.md", "# Second title\n\nSecond body.\n")
    assert build(project) == 0
    ids = published_ids(project)
    assert "same" in ids
    assert any(i.startswith("same-") for i in ids)
    [problem] = problems_of(project)
    assert "id 'same' is already used by articles/same.md" in problem["message"]


def test_yaml_tags_are_refused_not_run(project, tmp_path):
    marker = tmp_path / "pwned"
    write(project / "articles", "tag.md", f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nBody\n")
    build(project)
    assert not marker.exists()
    [problem] = problems_of(project)
    assert problem["file"] == "articles/tag.md" and problem["severity"] == "error"


def test_unsupported_files_are_listed(project):
    write(project / "articles", "scan.pdf", b"%PDF-1.4")
    build(project)
    [problem] = problems_of(project)
    assert problem["file"] == "articles/scan.pdf" and "unsupported file type" in problem["message"]
