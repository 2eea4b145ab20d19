"""Hostile input files, each with its expected outcome, through a real `archive build` of a temp project.

The standard: bad input gets a message naming the file and the reason while the rest builds; every
input file is published (articles.json `original`) or listed (problems.json `file`); the original
bytes are kept; article text never becomes live markup and never steers reads or writes outside the
project. Cases that do not interfere share one build (module-scoped fixtures): four builds in all.
"""

from __future__ import annotations

import codecs
import html
import json
import os
import random
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml

from builder.app.cli import main
from conftest import SEED_000, make_project, time_limit, write

pytestmark = pytest.mark.integration

ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")
BUILD_SECONDS = 240  # a hang fails the test instead of blocking the run


# ─── helpers ────────────────────────────────────────────────────────────────────────────────────────────



new_project = make_project


def build(root: Path, *extra: str, seconds: int = BUILD_SECONDS) -> int:
    with time_limit(seconds):
        return main(["-f", str(root / "mkdocs.yml"), "build", *extra])


@dataclass
class Site:
    root: Path
    exit_code: int
    seconds: float
    articles: list[dict]
    problems: list[dict]
    outside_changes: dict | None = None  # set by the paths build: files changed outside the project
    cwd_new: list[str] | None = None
    marker: Path | None = None  # a file the YAML payloads would create if their code ran

    @classmethod
    def built(cls, root: Path, *extra: str) -> Site:
        started = time.perf_counter()
        code = build(root, *extra)
        seconds = time.perf_counter() - started
        data = root / "site" / "data"
        return cls(root, code, seconds, json.loads((data / "articles.json").read_text("utf-8")),
                   json.loads((data / "problems.json").read_text("utf-8")))

    def article(self, name: str) -> dict:
        """The published record of articles/<name>."""
        [record] = [a for a in self.articles if a["original"] in (f"articles/{name}", shown_name(f"articles/{name}"))]
        return record

    def is_published(self, name: str) -> bool:
        return any(a["original"] == f"articles/{name}" for a in self.articles)

    def problems_of(self, name: str) -> list[dict]:
        return [p for p in self.problems if p["file"] == f"articles/{name}"]

    def page_file(self, record: dict) -> Path:
        return self.root / "site" / record["url"] / "index.html"

    def page(self, record: dict) -> str:
        return self.page_file(record).read_text("utf-8")

    def html_pages(self) -> dict[Path, str]:
        return {p: p.read_text("utf-8") for p in (self.root / "site").rglob("*.html")}


def shown_name(relative: str) -> str:
    """How the build names a file: bytes that are not UTF-8 and control characters as \\xNN escapes, and a
    backslash doubled (so the escaping is one-to-one)."""
    text = relative.replace("\\", "\\\\").encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in text)


def input_files(articles: Path) -> list[str]:
    """Every file (and link to a folder, and hidden folder) the build should account for: all of them."""
    found = []
    for folder, dirnames, filenames in os.walk(articles, followlinks=False):
        here = Path(folder)
        for name in dirnames:
            if (here / name).is_symlink() or name.startswith("."):
                found.append((here / name).relative_to(articles.parent).as_posix())
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            found.append((here / name).relative_to(articles.parent).as_posix())
    return [shown_name(f) for f in found]


def assert_conserved(site: Site) -> None:
    published = {a["original"] for a in site.articles}
    listed = {p["file"] for p in site.problems}
    missing = [f for f in input_files(site.root / "articles") if f not in published | listed]
    assert not missing, f"neither published nor listed: {missing}"
    assert all(p["severity"] in ("error", "warning") and p["message"] for p in site.problems)
    # An error means "not published"; a published file never carries one.
    assert not {p["file"] for p in site.problems if p["severity"] == "error"} & published


def content_of(page: str) -> str:
    """The article's own part of a built page (Material's <article> element)."""
    start = page.index('<article class="md-content__inner md-typeset">')
    return page[start: page.index("</article>", start)]


LIVE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)
# Inside a real tag (escaped text such as '&lt;a href="javascript:…' is harmless and expected).
BAD_URL = re.compile(r"""<[a-z][^<>]*\s(?:href|src|action|formaction|data|poster)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", re.I)


def scripts_of(page: str) -> list[str]:
    """Script tags, their src made depth-independent ('../../assets/x.js' → 'assets/x.js')."""
    return sorted(re.sub(r"(\.\./)+", "", tag) for tag in SCRIPT_TAG.findall(page))


JSON_LD = re.compile(r'<script type="application/ld\+json">([^<]*)</script>')


def without_linked_data(content: str) -> str:
    """A page's one schema.org block is data, not script: checked to be JSON with no markup in it (no '<' at
    all), then set aside."""
    blocks = JSON_LD.findall(content)
    assert len(blocks) <= 1
    for block in blocks:
        json.loads(block)
    return JSON_LD.sub("", content)


def assert_inert(page: str, clean_page: str) -> None:
    """No script, frame, event handler, script URL, style or refresh of the article's making in a built page."""
    content = without_linked_data(content_of(page))
    for live in ("<script", "<iframe", "<style", "<meta", "<object", "<embed", "<form", "<link"):
        assert live not in content.lower(), live
    assert not LIVE_HANDLER.search(content) and not BAD_URL.search(content)
    assert scripts_of(page) == scripts_of(clean_page)  # only Material's own, the same as on a clean page
    assert "<iframe" not in page.lower() and 'http-equiv="refresh"' not in page.lower()
    equiv = re.compile(r"""<meta http-equiv=["']?([^"' >]*)""", re.I)
    assert equiv.findall(page) == equiv.findall(clean_page)  # only the site's own (a CSP, whose script hashes vary by page)
    assert len(LIVE_HANDLER.findall(page)) == len(LIVE_HANDLER.findall(clean_page))
    assert not BAD_URL.search(page)


# ─── 1. markup: saved web pages with active content, hostile front matter, hostile Markdown links ─────────

SENTENCE = "The convoy of {what} left the base before dawn, two officials said in a statement on the record."
PAGE = """<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body {body_attributes}><article><h1>{title}</h1>
<p>{first}</p>{inside}<p>A second paragraph explains the wider context of the strikes and the response from the
ministry, at enough length for the extractor to keep it as part of the main text of the page.</p></article></body></html>"""
HTML_CASES = {
    "script": dict(head="<script>alert('hostile-script')</script><script src='https://evil.example/x.js'></script>",
                   inside="<p>Before <script>document.write('hostile-script')</script> after.</p>"),
    "iframe": dict(inside="<iframe src='https://evil.example/frame' onload='alert(1)'>fallback</iframe><p>Frames are not text.</p>"),
    "on-attributes": dict(body_attributes="onload=\"alert('hostile-onload')\"",
                          inside="<p onclick=\"alert(1)\" onmouseover='alert(2)'>Handlers <img src=x onerror=alert(3)> here.</p>"),
    "javascript-links": dict(inside="<p>Click <a href=\"javascript:alert('hostile-js')\">this link</a> or "
                                    "<a href=' JaVaScRiPt:alert(2)'>that one</a> or <a href='data:text/html,x'>data</a>.</p>"),
    "style": dict(head="<style>body { display: none } .x { background: url(javascript:alert(1)) }</style>",
                  inside="<p style='position:fixed;top:0'>Styled paragraph <span style='color:red'>text</span>.</p>"),
    "meta-refresh": dict(head="<meta http-equiv=\"refresh\" content=\"0; url=https://evil.example/\">"
                              "<meta http-equiv='set-cookie' content='a=b'>"),
}

FIELDS = ["title", "subtitle", "source", "authors", "contributors", "image_caption", "image_credit", "url",
          "language", "date", "time", "id", "slug"]


def payload(field: str) -> str:
    """Script, HTML and Markdown that must stay text; every live form names the field (x-<field>, evil.example/<field>)."""
    return (f'{field} <script>alert("hostile-{field}")</script><img src=x-{field} onerror="alert(1)">'
            f'<iframe src="https://evil.example/{field}"></iframe> [md-link](https://evil.example/{field}) '
            f'![md-img](https://evil.example/{field}.png) [js](javascript:alert("{field}")) <b>bold-{field}</b>')


def front_matter_file(field: str) -> str:
    meta = {"title": f"Field {field} article", "authors": ["Jane Hostile"], "source": "Hostile Test News"}
    if field in ("authors", "contributors"):
        meta[field] = [f"Name {payload(field)}"]
    elif field == "url":
        meta[field] = f'https://x.example/{field})![md-img](https://evil.example/{field}.png)"><script>alert("hostile-{field}")</script>'
    else:
        meta[field] = payload(field)
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\nBody of the {field} test article, in a few plain words.\n"


MARKDOWN_LINKS = """# Markdown links

[ref link][r1], [ref data][r2], <javascript:alert(3)>, [entity](jav&#x61;script:alert(4)), [case](JaVaScRiPt:alert(5)),
[space]( javascript:alert(6)), [vb](vbscript:msgbox(7)), ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+),
![js image](javascript:alert(9)), [attr](https://ok.example/a){onclick="alert(8)"}, [ok](https://ok.example/).

<script>alert('raw html in markdown')</script> and <img src=x onerror=alert(1)>

[r1]: javascript:alert(1)
[r2]: data:text/html,<script>alert(2)</script>
"""


@pytest.fixture(scope="module")
def markup_site(tmp_path_factory) -> Site:
    root = new_project(tmp_path_factory.mktemp("markup") / "archive")
    for case, parts in HTML_CASES.items():
        page = PAGE.format(title=f"Hostile {case} page", first=SENTENCE.format(what=case),
                           **{"head": "", "body_attributes": "", "inside": "", **parts})
        write(root / "articles", f"html-{case}.html", page)
    for field in FIELDS:
        write(root / "articles", f"fm-{field}.md", front_matter_file(field))
    write(root / "articles", "md-links.md", MARKDOWN_LINKS)
    return Site.built(root)


@pytest.mark.parametrize("case", sorted(HTML_CASES))
def test_saved_web_page_with_active_content_is_published_inert(markup_site, case):
    record = markup_site.article(f"html-{case}.html")
    assert record["title"] == f"Hostile {case} page"
    page = markup_site.page(record)
    clean = markup_site.page(markup_site.article(SEED_000.name))
    assert_inert(page, clean)
    assert SENTENCE.format(what=case) in page  # the text is kept
    for code in ("alert(", "document.write", "display: none", "http-equiv"):  # no code shown as text either
        assert code not in content_of(page), code
    assert "evil.example" not in page


def test_web_page_link_text_is_kept_without_the_link(markup_site):
    page = markup_site.page(markup_site.article("html-javascript-links.html"))
    assert "this link" in page and "that one" in page
    assert "javascript:" not in page.lower()


@pytest.mark.parametrize("field", FIELDS)
def test_markup_in_every_front_matter_field_stays_text(markup_site, field):
    record = markup_site.article(f"fm-{field}.md")
    page = markup_site.page(record)
    assert_inert(page, markup_site.page(markup_site.article(SEED_000.name)))
    for path, text in markup_site.html_pages().items():  # entity pages, timeline, sources, quality, home…
        where = path.relative_to(markup_site.root / "site")
        assert f'<script>alert("hostile-{field}")' not in text, where
        assert not re.search(rf"<img[^>]*x-{field}", text), where
        assert not re.search(rf"""<[a-z][^<>]*\s(?:href|src)="https://evil\.example/{field}""", text), where
        assert f"<b>bold-{field}</b>" not in text, where
        assert not re.search(rf"<iframe[^>]*evil\.example/{field}", text), where


@pytest.mark.parametrize("field, warning", [("date", "unparseable date"), ("time", "is not HH:MM"), ("url", None)])
def test_hostile_values_in_typed_fields_are_warned_about_or_made_safe(markup_site, field, warning):
    record = markup_site.article(f"fm-{field}.md")
    messages = [p["message"] for p in markup_site.problems_of(f"fm-{field}.md")]
    if warning:
        assert any(warning in m for m in messages), messages
        assert record[field] is None
    else:  # the address is kept, its Markdown- and HTML-breaking characters percent-encoded
        assert record["source_url"].startswith("https://x.example/url%29!%5Bmd-img%5D%28https://evil.example/url.png%29%22%3E%3Cscript%3E")
        assert not re.search(r"[()\[\]<>\"' ]", record["source_url"])
        page = markup_site.page(record)
        assert '<a href="https://x.example/url%29!%5Bmd-img%5D' in page and "source page</a>" in page


@pytest.mark.parametrize("field", ["id", "slug"])
def test_markup_in_id_and_slug_becomes_a_plain_id(markup_site, field):
    record = markup_site.article(f"fm-{field}.md")
    assert ID.match(record["id"]) and len(record["id"]) <= 200 and all(len(s) <= 80 for s in record["id"].split("/"))
    assert record["id"].startswith(f"{field}-script-alert-hostile-{field}")
    assert markup_site.page_file(record).is_file()


def test_markdown_links_with_script_and_data_urls_are_dropped(markup_site):
    page = markup_site.page(markup_site.article("md-links.md"))
    content = without_linked_data(content_of(page))
    assert not BAD_URL.search(page)
    for url in re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)""", content):
        decoded = html.unescape(unquote(url)).strip().lower()
        scheme = re.match(r"^([a-z][a-z0-9+.-]*):", decoded)
        assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), url
    assert not LIVE_HANDLER.search(content)
    assert "<script" not in content and "<img src=" not in content.replace('<img alt="', "")
    assert 'href="https://ok.example/"' in content
    assert "&lt;script&gt;alert(&#39;raw html in markdown&#39;)" in content or "&lt;script&gt;alert('raw html in markdown')" in content


# ─── 2. paths: front matter choosing paths, symlinks out of the archive, YAML tags and bombs ─────────────

PATH_HINTS = {
    "slug-up.md": "slug: ../../hostile-escape-slug",
    "slug-mixed.md": "slug: a/../../hostile-escape-slug2",
    "id-etc.md": "id: /etc/hostile-escape-etc",
    "id-tmp.md": "id: /tmp/hostile-escape-tmp",
    "id-backslash.md": 'id: "..\\\\..\\\\hostile-escape-bs"',
    "id-windows.md": 'id: "C:\\\\Windows\\\\hostile-escape-win"',
    "id-nul.md": 'id: "hostile\\0escape\\0nul"',
    "id-home.md": "id: ~/hostile-escape-home",
    "id-long.md": "id: " + "x" * 10_000,
    "id-deep.md": "id: " + "d/" * 5_000 + "hostile-escape-deep",
    "slug-long.md": "slug: " + "s/" * 5_000,
    "id-dots.md": 'id: "./././../.."',
}
SECRET_FILE = "HOSTILE-SECRET-FILE-CONTENT the symlinked file must not be published"
SECRET_DIR = "HOSTILE-SECRET-DIR-CONTENT the symlinked folder must not be published"
YAML_CASES = {
    "yaml-apply.md": "title: !!python/object/apply:os.system ['touch {marker}']",
    "yaml-new.md": "title: !!python/object/new:os.system ['touch {marker}']",
    "yaml-name.md": "title: !!python/name:os.system",
    "yaml-module.md": "title: !!python/module:os",
    "yaml-bomb.md": "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)) + "title: *i\ndate: *i",
    "yaml-merge-alias.md": "base: &b {title: Merged}\n<<: *b",
}


def snapshot(folder: Path, skip: Path) -> dict[str, tuple]:
    state = {}
    for path in sorted(folder.rglob("*")):
        if path == skip or skip in path.parents:
            continue
        st = path.lstat()
        state[str(path)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return state


@pytest.fixture(scope="module")
def paths_site(tmp_path_factory) -> Site:
    base = tmp_path_factory.mktemp("paths")
    root = new_project(base / "archive")
    outside = base / "outside"
    write(outside, "secret.txt", SECRET_FILE + "\n\nMore secret text.\n")
    write(outside / "folder", "inside.txt", SECRET_DIR + "\n\nMore secret text.\n")
    for name, line in PATH_HINTS.items():
        write(root / "articles", name, f"---\n{line}\ntitle: Path case {name}\n---\nBody of {name}, which must stay inside.\n")
    (root / "articles" / "link-to-file.txt").symlink_to(outside / "secret.txt")
    (root / "articles" / "link-relative.txt").symlink_to(Path("../../outside/secret.txt"))
    (root / "articles" / "link-to-folder").symlink_to(outside / "folder", target_is_directory=True)
    (root / "articles" / "link-to-etc.txt").symlink_to("/etc/passwd")
    (root / "articles" / "link-dangling.txt").symlink_to(base / "does-not-exist.txt")
    marker = base / "yaml-code-ran"
    for name, yaml_text in YAML_CASES.items():
        write(root / "articles", name, f"---\n{yaml_text.replace('{marker}', str(marker))}\n---\nBody of {name}.\n")
    watched = tmp_path_factory.getbasetemp()
    before = snapshot(watched, root)
    cwd_before = sorted(os.listdir(Path.cwd()))
    site = Site.built(root)
    site.outside_changes = {k: v for k, v in snapshot(watched, root).items() if before.get(k) != v} | {
        k: "removed" for k in before.keys() - snapshot(watched, root).keys()}
    site.cwd_new = [n for n in sorted(os.listdir(Path.cwd())) if n not in cwd_before and "hostile" in n]
    site.marker = marker
    return site


def test_nothing_is_written_outside_the_project(paths_site):
    assert paths_site.outside_changes == {}
    assert paths_site.cwd_new == []
    for place in (Path("/etc"), Path("/tmp"), Path.home(), Path("/")):
        assert not [n for n in os.listdir(place) if n.startswith("hostile-escape")], place


@pytest.mark.parametrize("name", sorted(PATH_HINTS))
def test_front_matter_paths_stay_inside_docs_articles(paths_site, name):
    record = paths_site.article(name)
    assert ID.match(record["id"]) and ".." not in record["id"], record["id"]
    assert len(record["id"]) <= 200 and all(len(s) <= 80 for s in record["id"].split("/"))
    page = paths_site.page_file(record)
    assert page.is_file() and page.resolve().is_relative_to((paths_site.root / "site" / "articles").resolve())
    generated = paths_site.root / "docs" / "articles" / f"{record['id']}.md"
    assert generated.is_file()


def test_front_matter_path_hints_are_sanitised_as_expected(paths_site):
    ids = {name: paths_site.article(name)["id"] for name in PATH_HINTS}
    assert ids["slug-up.md"] == "hostile-escape-slug"
    assert ids["slug-mixed.md"] == "a-hostile-escape-slug2"
    assert ids["id-etc.md"] == "etc/hostile-escape-etc"
    assert ids["id-tmp.md"] == "tmp/hostile-escape-tmp"
    assert ids["id-backslash.md"] == "hostile-escape-bs"
    assert ids["id-windows.md"] == "c/windows/hostile-escape-win"
    assert ids["id-home.md"] == "hostile-escape-home"
    assert ids["id-long.md"] == "x" * 80
    assert ids["id-deep.md"] == "/".join(["d"] * 100)  # cut to 200 characters, at a "/"
    assert ids["slug-long.md"] == "-".join(["s"] * 40)
    assert ids["id-dots.md"] == "id-dots"  # nothing left of the hint: the file's own name, with a warning
    assert "no letters or digits" in paths_site.problems_of("id-dots.md")[0]["message"]
    assert "nul" in ids["id-nul.md"] and "\x00" not in ids["id-nul.md"]
    for name in ("id-deep.md", "slug-long.md"):
        [warning] = paths_site.problems_of(name)
        assert warning["severity"] == "warning" and "longer than" in warning["message"] and "cut to" in warning["message"]


@pytest.mark.parametrize("name", ["link-to-file.txt", "link-relative.txt", "link-to-folder", "link-to-etc.txt", "link-dangling.txt"])
def test_symlinks_are_listed_not_followed(paths_site, name):
    assert not paths_site.is_published(name)
    [problem] = paths_site.problems_of(name)
    assert problem["severity"] == "error" and "symbolic link" in problem["message"] and "not followed" in problem["message"]


def test_symlink_targets_appear_nowhere_in_the_site(paths_site):
    passwd_line = Path("/etc/passwd").read_text().splitlines()[0]
    for folder in ("site", "docs"):
        for path in (paths_site.root / folder).rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert b"HOSTILE-SECRET" not in data and passwd_line.encode() not in data, path
    assert not any("inside" in a["original"] for a in paths_site.articles)


@pytest.mark.parametrize("name", sorted(YAML_CASES))
def test_yaml_tags_and_aliases_are_refused_and_never_run(paths_site, name):
    assert not paths_site.marker.exists()
    assert not paths_site.is_published(name)
    [problem] = paths_site.problems_of(name)
    assert problem["severity"] == "error" and problem["message"].startswith("invalid YAML front matter")
    reason = "aliases are not allowed" if "alias" in name or "bomb" in name else "could not determine a constructor"
    assert reason in problem["message"]


def test_the_hostile_path_build_is_quick_and_strict_mode_fails(paths_site):
    assert paths_site.exit_code == 0 and paths_site.seconds < 60  # the YAML bomb cannot stall it
    with time_limit(BUILD_SECONDS):
        assert main(["-f", str(paths_site.root / "mkdocs.yml"), "check", "--strict"]) == 1


# ─── 3. files: names, folders, encodings, duplicates ───────────────────────────────────────────────────

TEXT = "Café “quoted” title for {what}\n\nThe café’s owner said “nothing” about the {what} case, officials reported.\n"
NAMES = {
    "/".join(f"level{i:02d}" for i in range(1, 21)) + "/deep article.txt": "level01/level02/level03/level04/level05/level06/level07/level08/level09/level10/level11/level12/level13/level14/level15/level16/level17/level18/level19/level20/deep-article",
    "With Spaces In Name.txt": "with-spaces-in-name",
    "café crème.txt": "cafe-creme",
    "şehir haberi.txt": "sehir-haberi",
    "مرحبا بالعالم.txt": None,
    "Hash#tag.txt": "hash-tag",
    "what?.txt": "what",
    "100%.txt": "100",
    "%2e%2e%2fescape.txt": "2e-2e-2fescape",
    "-leading-dash.txt": "leading-dash",
    "UPPER CASE.TXT": "upper-case",
    "MiXeD/Sub Folder/Story.Md": "mixed/sub-folder/story",
    "index.txt": None,  # 'index' is reserved: mkdocs would serve it at articles/, not articles/index/
    "sub/index.md": None,
}
WIDE = {
    "utf16le-bom.txt": (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16-LE"),
    "utf16be-bom.txt": (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16-BE"),
    "utf16le-nobom.txt": (b"", "utf-16-le", "UTF-16-LE without a byte-order mark"),
    "utf16be-nobom.txt": (b"", "utf-16-be", "UTF-16-BE without a byte-order mark"),
    "utf32le-bom.txt": (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32-LE"),
    "utf32be-bom.txt": (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32-BE"),
    "utf32le-nobom.txt": (b"", "utf-32-le", "UTF-32-LE without a byte-order mark"),
    "utf32be-nobom.txt": (b"", "utf-32-be", "UTF-32-BE without a byte-order mark"),
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(3000)
REFUSED = {  # name: (bytes, message)
    "zero-bytes.txt": (b"", "empty file"),
    "only-space.md": (b" \n\t\r\n", "only white space"),
    "png-header.txt": (PNG, "binary file"),
    "png-header.html": (PNG, "binary file"),
    "png-header.json": (PNG, "binary file"),
    "bad-bom.txt": (codecs.BOM_UTF16_LE + b"\x00\xd8x", "byte-order mark but is not valid"),
}
MIXED_ENDINGS = b"Mixed endings title\r\nFirst line of the body.\rSecond line of the body.\nThird line of the body.\r\n"
DUPLICATES = {
    "dup-id-a.md": "---\nid: same-curated-id\ntitle: First with the id\n---\nThe first body.\n",
    "dup-id-b.md": "---\nid: same-curated-id\ntitle: Second with the id\n---\nA different second body.\n",
    "twin-a.txt": "Twin title\n\nThe twins say exactly the same thing.\n",
    "twin-b.txt": "Twin title\n\nThe twins say exactly the same thing.\n",
    "spaced-a.txt": "Spaced title\n\nThe spaced text differs only in white space.\n",
    "spaced-b.txt": "  Spaced   title \r\n\r\n\r\nThe  spaced text\tdiffers only in   white space.   \n\n",
}
NON_UTF8_NAME = b"latin1-caf\xe9.txt"
CONTROL_NAME = "line\nbreak.txt"


@pytest.fixture(scope="module")
def files_site(tmp_path_factory) -> Site:
    root = new_project(tmp_path_factory.mktemp("files") / "archive")
    articles = root / "articles"
    for name in NAMES:
        write(articles, name, TEXT.format(what=name))
    for name, (bom, encoding, _) in WIDE.items():
        write(articles, name, bom + TEXT.format(what=name).encode(encoding))
    write(articles, "cp1252.txt", TEXT.format(what="cp1252").encode("cp1252"))
    write(articles, "utf8-bom.txt", codecs.BOM_UTF8 + TEXT.format(what="utf8-bom").encode())
    write(articles, "utf8-bom-front-matter.md", codecs.BOM_UTF8 + b"---\ntitle: BOM and front matter\n---\nBody after a BOM.\n")
    write(articles, "mixed-endings.txt", MIXED_ENDINGS)
    for name, (data, _) in REFUSED.items():
        write(articles, name, data)
    write(articles, "picture.png", PNG)
    for name, text in DUPLICATES.items():
        write(articles, name, text)
    with open(os.path.join(os.fsencode(articles), NON_UTF8_NAME), "wb") as f:
        f.write(TEXT.format(what="latin-1 name").encode())
    write(articles, CONTROL_NAME, TEXT.format(what="control name"))
    return Site.built(root)


@pytest.mark.parametrize("name", sorted(NAMES))
def test_odd_file_names_publish_with_sane_ids_and_working_original_links(files_site, name):
    record = files_site.article(name)
    assert ID.match(record["id"]), record["id"]
    if NAMES[name]:
        assert record["id"] == NAMES[name]
    page_file = files_site.page_file(record)
    assert page_file.is_file()
    original = files_site.root / "site" / record["original_url"]
    assert original.read_bytes() == (files_site.root / "articles" / name).read_bytes()
    # The page's "Original text" link leads to that file.
    [href] = re.findall(r'<a href="([^"]+)"[^>]*>Original text</a>', page_file.read_text("utf-8"))
    target = urljoin("https://archive.example/" + record["url"], href)
    assert target == "https://archive.example/" + record["original_url"]


def test_index_ids_are_reserved_so_the_page_is_at_its_url(files_site):
    for name in ("index.txt", "sub/index.md"):
        record = files_site.article(name)
        assert record["id"].rsplit("/", 1)[-1].startswith("index--")
        assert files_site.page_file(record).is_file()
        [warning] = files_site.problems_of(name)
        assert "reserved" in warning["message"] and record["id"] in warning["message"]


@pytest.mark.parametrize("name", sorted(WIDE))
def test_utf16_and_utf32_with_and_without_bom_are_converted_with_a_warning(files_site, name):
    record = files_site.article(name)
    assert record["title"] == f'Café "quoted" title for {name}'
    [warning] = files_site.problems_of(name)
    assert warning["severity"] == "warning" and WIDE[name][2] in warning["message"] and "converted to UTF-8" in warning["message"]
    page = files_site.page(record)
    assert "The café&#39;s owner said &quot;nothing&quot;" in page or "The café's owner said \"nothing\"" in page
    assert (files_site.root / "site" / record["original_url"]).read_bytes() == (files_site.root / "articles" / name).read_bytes()


def test_cp1252_is_decoded_with_a_warning(files_site):
    record = files_site.article("cp1252.txt")
    assert record["title"] == 'Café "quoted" title for cp1252'
    [warning] = files_site.problems_of("cp1252.txt")
    assert warning["severity"] == "warning" and "Windows-1252" in warning["message"]


def test_utf8_bom_is_dropped_silently(files_site):
    for name, title in (("utf8-bom.txt", 'Café "quoted" title for utf8-bom'), ("utf8-bom-front-matter.md", "BOM and front matter")):
        record = files_site.article(name)
        assert record["title"] == title and files_site.problems_of(name) == []


def test_mixed_line_endings_make_one_paragraph_per_line(files_site):
    record = files_site.article("mixed-endings.txt")
    assert record["title"] == "Mixed endings title" and record["word_count"] == 15
    page = files_site.page(record)
    for n, line in enumerate(["First line of the body.", "Second line of the body.", "Third line of the body."], 1):
        assert f'<p id="p{n}">{line}</p>' in page


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unreadable_files_are_listed_with_an_error(files_site, name):
    assert not files_site.is_published(name)
    [problem] = files_site.problems_of(name)
    assert problem["severity"] == "error" and REFUSED[name][1] in problem["message"]


def test_unsupported_file_types_are_listed(files_site):
    [problem] = files_site.problems_of("picture.png")
    assert problem["severity"] == "warning" and "unsupported file type '.png'" in problem["message"]


def test_file_names_that_are_not_utf8_or_hold_control_characters(files_site):
    for shown in ("articles/latin1-caf\\xe9.txt", "articles/line\\x0abreak.txt"):
        [record] = [a for a in files_site.articles if a["original"] == shown]
        assert ID.match(record["id"]) and files_site.page_file(record).is_file()
        [warning] = [p for p in files_site.problems if p["file"] == shown]
        assert "not valid UTF-8 or holds control characters" in warning["message"]


def test_two_front_matters_with_the_same_id_are_both_published(files_site):
    first, second = files_site.article("dup-id-a.md"), files_site.article("dup-id-b.md")
    assert first["id"] == "same-curated-id" and second["id"].startswith("same-curated-id-")
    [warning] = files_site.problems_of("dup-id-b.md")
    assert "already used by articles/dup-id-a.md" in warning["message"] and second["id"] in warning["message"]
    assert files_site.problems_of("dup-id-a.md") == []


@pytest.mark.parametrize("pair, reason", [(("twin-a.txt", "twin-b.txt"), "identical to"),
                                          (("spaced-a.txt", "spaced-b.txt"), "differs only in white space")])
def test_duplicates_are_published_once_naming_the_other_file(files_site, pair, reason):
    kept, dropped = pair
    assert files_site.is_published(kept) and not files_site.is_published(dropped)
    [warning] = files_site.problems_of(dropped)
    assert warning["severity"] == "warning" and reason in warning["message"] and f"articles/{kept}" in warning["message"]
    assert files_site.article(kept)["url"] in warning["message"]


STAR_NAME = "a*b*c [x](https:\\\\evil.example).txt"  # Markdown emphasis and a link, in a file name


def assert_file_name_is_text(html: str) -> None:
    assert "<em>b</em>" not in html and "a*b*c" in html
    assert not re.search(r"<a[^>]*href=\"https:\\\\", html)  # browsers read https:\\evil.example as https://evil.example/


@pytest.fixture(scope="module")
def star_site(tmp_path_factory) -> Site:
    root = new_project(tmp_path_factory.mktemp("star") / "archive")
    write(root / "articles", STAR_NAME, "Star name\n\nBody of the star name, an article stating no date.\n")
    return Site.built(root)


def test_markdown_in_a_file_name_stays_text_on_the_article_page(star_site):
    assert_file_name_is_text(star_site.page(star_site.article(STAR_NAME)))


def test_markdown_in_a_file_name_stays_text_on_the_quality_page(star_site):
    assert_file_name_is_text((star_site.root / "site" / "browse" / "quality" / "index.html").read_text("utf-8"))


# ─── 4. a 5 MB article ─────────────────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Site:
    root = new_project(tmp_path_factory.mktemp("big") / "archive")
    rnd = random.Random(5)
    words = "the report said that officials and witnesses had seen trucks moving along a road at night after talks".split()
    paragraphs, size = [], 0
    while size < 5 * 2**20:
        paragraph = " ".join(rnd.choice(words) for _ in range(rnd.randint(40, 120))).capitalize() + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    write(root / "articles", "five-megabytes.txt", "A five megabyte article\n\n" + "\n\n".join(paragraphs) + "\n")
    return Site.built(root)


def test_a_five_megabyte_article_is_published(big_site):
    assert big_site.exit_code == 0
    record = big_site.article("five-megabytes.txt")
    assert record["title"] == "A five megabyte article" and record["word_count"] > 800_000
    page = big_site.page_file(record)
    assert page.is_file() and page.stat().st_size > 5 * 2**20
    original = big_site.root / "site" / record["original_url"]
    assert original.read_bytes() == (big_site.root / "articles" / "five-megabytes.txt").read_bytes()


# ─── every project: conservation ───────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("site", ["markup_site", "paths_site", "files_site", "big_site", "star_site"])
def test_every_input_file_is_published_or_listed(request, site):
    assert_conserved(request.getfixturevalue(site))
