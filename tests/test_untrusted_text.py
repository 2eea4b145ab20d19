"""Article text is untrusted: it shows as text, never as markup, and cannot steer paths."""

import json

import pytest
import yaml

from builder.app.cli import main
from conftest import write

pytestmark = pytest.mark.integration

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'


def build(root):
    assert main(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    return root / "site"


def all_html(site):
    return "\n".join(p.read_text("utf-8") for p in site.rglob("*.html"))


def test_markup_in_text_fields_is_shown_as_text(project):
    raw = f"Headline {SCRIPT}\n\nDek {IMG}\n\nBy EVIL {SCRIPT}, Evil News\n\nBody {SCRIPT} and [click](javascript:alert(1)) and {IMG}.\n"
    write(project / "articles", "raw.txt", raw)
    fields = {"title": f"FM {SCRIPT}", "source": IMG, "authors": [SCRIPT], "subtitle": "<b>bold</b>", "image_caption": SCRIPT}
    front = f"---\n{yaml.safe_dump(fields)}---\nBody {SCRIPT}\n"
    write(project / "articles", "front.md", front)
    site = build(project)
    pages = all_html(site)
    assert "<script>alert" not in pages
    assert "<img src=x" not in pages and "<b>bold</b>" not in pages
    assert 'href="javascript:' not in pages
    page = (site / "articles" / "raw" / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page or "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    fm_page = (site / "articles" / "front" / "index.html").read_text("utf-8")
    assert "FM &lt;script&gt;" in fm_page


def test_markdown_links_with_script_urls_are_dropped(project):
    write(project / "articles", "links.md", "# Links\n\n[a](javascript:alert(1)) [b](data:text/html,<script>x</script>) ![c](javascript:alert(2)) [ok](https://example.org/)\n")
    site = build(project)
    page = (site / "articles" / "links" / "index.html").read_text("utf-8")
    assert 'href="javascript' not in page and 'src="javascript' not in page and 'href="data:' not in page
    assert 'href="https://example.org/"' in page


def test_front_matter_cannot_choose_paths_outside(project, tmp_path):
    for i, hostile in enumerate(["../../../outside", "/etc/passwd", "..", "~/x", "a/../../b"]):
        write(project / "articles", f"p{i}.md", f"---\nid: \"{hostile}\"\ntitle: Path {i}\n---\nBody {i}\n")
    write(project / "articles", "s.md", "---\nslug: ../../../../escape\ntitle: Slug\n---\nBody\n")
    site = build(project)
    assert not (project.parent / "outside.md").exists() and not (project / "outside").exists()
    generated = [p for p in (project / "docs").rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to((project / "docs").resolve()) for p in generated)
    ids = {a["id"] for a in json.loads((site / "data" / "articles.json").read_text("utf-8"))}
    assert all(".." not in i and not i.startswith("/") for i in ids)
    assert "etc/passwd" in ids  # sanitised into a harmless id inside docs/articles/
