"""Property-based tests of the ingest stage: any bytes in → an Article or a listed Problem.

Never an exception, never a hang (every example runs under a SIGALRM guard), and every Article that
comes out keeps the invariants later stages rely on: a safe id, a title, a word count of its body, an
ISO date or none, the sha256 of the bytes that came in.

Each `@example` is a regression for a crash or hang this file found (see the comment above it).
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.ingest import InputFile, dates, fields, read_article
from builder.ingest.parsed import Parsed
from builder.ingest.discover import KINDS
from conftest import time_limit

# Integration, not unit: ingest is a pure function, but each test here searches 200 generated files through
# read_article (trafilatura, YAML, charset detection): 15–30 s in all, half the unit lane's minute.
pytestmark = pytest.mark.integration

SECONDS_PER_EXAMPLE = 5  # generous on a loaded 2-core machine; a regex blow-up takes minutes
ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")
EXTENSION = {"text": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])




@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def ingest(folder: Path, kind: str, data: bytes, relative: str | None = None):
    """read_article on `data` as a file of `kind`; checks what every outcome must satisfy, returns the Article."""
    path = folder / f"input{EXTENSION[kind]}"
    path.write_bytes(data)
    relative = relative if relative is not None else path.name
    item = InputFile(path, relative, f"articles/{relative}", kind)
    with time_limit(SECONDS_PER_EXAMPLE):
        article, problems = read_article(item)
    assert all(p.file == item.display and p.message and p.severity in ("error", "warning") for p in problems), problems
    if article is None:
        assert any(p.severity == "error" for p in problems), f"refused without an error: {problems}"
        return None
    assert all(p.severity == "warning" for p in problems), problems
    assert ID.match(article.id), article.id
    assert ".." not in article.id
    assert all(len(segment) <= 80 + 65 for segment in article.id.split("/")), article.id  # + a sha suffix at most
    assert article.title.strip(), repr(article.title)
    assert "\n" not in article.title
    assert article.word_count == len(article.body.split())
    if article.date is not None:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", article.date), article.date
        dt.date.fromisoformat(article.date)
    if article.time is not None:
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", article.time), article.time
    assert article.sha256 == hashlib.sha256(data).hexdigest()
    assert article.kind == kind and article.original == item.display
    if article.source_url is not None:
        assert re.fullmatch(r"https?://[^\s()\[\]<>\"'`\\]+", article.source_url, re.I), article.source_url
    return article


# ─── strategies ─────────────────────────────────────────────────────────────────────────────────────────

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "data:text/html,<script>x</script>",
    "[x](javascript:alert(1))", "![x](https://evil.example/p.png)", "../../x", "/etc/passwd", "..\\..\\x", "..", "~/x",
    "\x00", "\ufeff", "\u202e", "\u2028", "\u2005" * 50, "\r", "\r\n", "---", "# ", "#" * 40, "(photo credit: X/Y)",
    "By ", "date ", "Read ", "2020-02-30", "21:48", "9999-99-99", "May 6, 2020 21:48", "0x" + "f" * 40, "1" * 30,
    "!!python/object/apply:os.system", "&a", "*a", "{{ x }}", "{% x %}", "%", "?", "#", "é", "ş", "مرحبا", "A" * 300,
    "", " ", "yes", "null", "~", "1e999", ".nan",
]
hostile = st.sampled_from(HOSTILE)
text = st.one_of(hostile, st.text(max_size=60), st.lists(hostile, min_size=1, max_size=4).map(" ".join))
scalar = st.one_of(text, st.integers(), st.floats(), st.booleans(), st.none(), st.dates(), st.datetimes())
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)), max_leaves=8)
FIELDS = ["title", "subtitle", "dek", "description", "source", "sitename", "authors", "author", "contributors",
          "image_caption", "image_credit", "url", "source_url", "link", "language", "lang", "date", "time", "id",
          "slug", "text", "body", "content", "tags", "handler", "metadata"]
field_name = st.one_of(st.sampled_from(FIELDS), text)
record = st.dictionaries(field_name, value, max_size=10)
body_text = st.lists(text, max_size=8).map("\n".join)

# Hand-written YAML that a dump of a dict never produces: tags, anchors, aliases, flow oddities.
RAW_YAML = [
    "title: !!python/object/apply:os.system ['true']", "title: !!python/name:os.system", "x: !!python/tuple [1]",
    "date: !!timestamp 2020-02-30", "title: !!int 0x" + "f" * 5000, "title: !!float 1e999", "title: !!binary aGk=",
    "title: !!set {a, b}", "a: &a [x, *a]\ndate: *a", "<<: {title: merged}", "<<: [1]", "? [a]\n: b", "title: =",
    "title: [unclosed", "- just\n- a list", "just a string", "title: 'x'\ntitle: 'duplicate'", "time: 21:48",
    "id: 007", "slug: 1_000", "date: 2020-05-06 25:61:00", "title: \"\\0\\x1b\\u202e\"",
]
raw_yaml = st.lists(st.sampled_from(RAW_YAML), min_size=1, max_size=3).map("\n".join)

TAGS = ["p", "div", "article", "main", "h1", "h2", "span", "a", "script", "style", "iframe", "meta", "title",
        "noscript", "svg", "math", "template", "object", "embed", "form", "table", "td", "img", "br", "head", "body"]
ATTRIBUTES = st.sampled_from([
    'onload="alert(1)"', 'onerror="alert(1)"', 'href="javascript:alert(1)"', 'src="data:text/html,<script>x</script>"',
    'http-equiv="refresh" content="0;url=javascript:alert(1)"', 'style="background:url(javascript:x)"',
    'name="author" content="<script>a</script>"', 'property="og:url" content="https://x/)![i](https://evil/p)"',
    'rel="canonical" href="https://x.example/a b"', 'lang="<x>"', "", 'class="x"',
])


@st.composite
def html_fragment(draw, depth=0):
    if depth > 4 or draw(st.integers(0, 3)) == 0:
        return draw(text).replace("<", "&lt;") if draw(st.booleans()) else draw(text)
    tag = draw(st.sampled_from(TAGS))
    attributes = " ".join(draw(st.lists(ATTRIBUTES, max_size=2)))
    children = "".join(draw(st.lists(html_fragment(depth=depth + 1), max_size=4)))
    closing = "" if draw(st.integers(0, 5)) == 0 else f"</{tag}>"  # sometimes unclosed
    return f"<{tag} {attributes}>{children}{closing}"


html_page = st.builds(
    lambda head, body, paragraphs: f"<html><head>{head}</head><body>{body}<article>{paragraphs}</article></body></html>",
    html_fragment(), html_fragment(),
    st.lists(text.map(lambda t: f"<p>{t} A long enough sentence of ordinary words for the extractor to keep it.</p>"), max_size=4).map("".join),
)

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "cp1252", "latin-1"]
encoded_text = st.builds(lambda t, enc: t.encode(enc, errors="replace"), st.text(max_size=400), st.sampled_from(ENCODINGS))
any_bytes = st.one_of(st.binary(max_size=4096), encoded_text, st.text(max_size=2000).map(str.encode))

# ─── regression inputs (each one crashed or hung before its fix) ────────────────────────────────────────

# Hung (minutes): a YAML alias bomb printed by str() in parse_date_value / the `time` warning (dates.py, fields.py).
BOMB = "---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
BOMB_DATE = (BOMB + "title: T\ndate: *i\n---\nBody\n").encode()
BOMB_TIME = (BOMB + "title: T\ntime: *i\n---\nBody\n").encode()
# Hung: a long run of Unicode spaces made CAPTION's `.*?\s*\(` backtrack quadratically (cleanup.normalise).
SPACE_RUN = ("Title\n\nA" + "\u2005" * 200_000 + "b\n").encode()
# Hung: a '# ' heading line of many '#' made HEADING's `(.+?)\s*#*\s*$` backtrack quadratically (from_markdown).
HASH_HEADING = ("# " + "#" * 100_000 + "x\n\nBody\n").encode()
# Crashed (TypeError): python-frontmatter passed the fields as **kwargs to Post(content, handler, ...).
CONTENT_KEY = b"---\ntitle: T\ncontent: x\n---\nBody\n"
HANDLER_KEY = b"---\ntitle: T\nhandler: x\n---\nBody\n"
INT_KEY = b"---\ntitle: T\n1: x\n---\nBody\n"
# Refused with a bare "day is out of range for month": YAML's implicit timestamps (from_markdown._TextLoader).
BAD_TIMESTAMP = b"---\ntitle: T\ndate: 2020-02-30\n---\nBody\n"


@FUZZ
@given(data=any_bytes)
@example(data=b"")
@example(data=b"\xef\xbb\xbf")
@example(data=codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate after a UTF-16 BOM
@example(data=b"---\n")
@example(data=BOMB_DATE)
@example(data=BOMB_TIME)
@example(data=SPACE_RUN)
@example(data=HASH_HEADING)
@example(data=BAD_TIMESTAMP)
@example(data=CONTENT_KEY)
@example(data=HANDLER_KEY)
@example(data=INT_KEY)
@pytest.mark.parametrize("kind", ["text", "markdown"])
def test_text_and_markdown_take_any_bytes(workdir, kind, data):
    ingest(workdir, kind, data)


@FUZZ
@given(data=any_bytes)
@example(data=b"<html><body><p>x</p>" + b"<div>" * 5000 + b"</body></html>")  # nesting deeper than lxml keeps
@example(data=b"<script>alert(1)</script>")
def test_html_takes_any_bytes(workdir, data):
    ingest(workdir, "html", data)


@FUZZ
@given(data=any_bytes)
@example(data=b"[" * 100_000)  # RecursionError in json: an error, not a crash
@example(data=b'{"title": "T", "text": "x", "date": ' + b"1" * 5000 + b"}")  # int longer than Python reads
def test_json_takes_any_bytes(workdir, data):
    ingest(workdir, "json", data)


@FUZZ
@given(meta=record, body=body_text, kind=st.sampled_from(["text", "markdown"]))
@example(meta={"content": None}, body="x", kind="text")  # the TypeError in python-frontmatter's Post(**metadata)
@example(meta={"id": "a/" * 5000, "title": "T"}, body="x", kind="markdown")  # a 10,000-char id: cut, not a path too long
@example(meta={"slug": "a/" * 5000, "title": "T"}, body="x", kind="markdown")
@example(meta={"url": "https://x.example/)![i](https://evil.example/p.png)", "title": "T"}, body="x", kind="markdown")
def test_front_matter_dicts_of_hostile_values(workdir, meta, body, kind):
    try:
        front = yaml.safe_dump(meta, allow_unicode=True)
    except yaml.YAMLError:
        return
    article = ingest(workdir, kind, f"---\n{front}---\n{body}\n".encode("utf-8", "surrogatepass"))
    if article is not None and isinstance(meta.get("title"), str) and meta["title"].strip() and "\x00" not in meta["title"]:
        assert article.title  # a curator's title is used (normalised)


@FUZZ
@given(raw=raw_yaml, body=body_text, kind=st.sampled_from(["text", "markdown"]))
@example(raw=BOMB[4:] + "title: T\ndate: *i", body="Body", kind="markdown")
@example(raw="title: T\ndate: 2020-02-30", body="Body", kind="markdown")
def test_hand_written_yaml_tags_anchors_and_errors(workdir, raw, body, kind):
    article = ingest(workdir, kind, f"---\n{raw}\n---\n{body}\n".encode())
    if "!!python" in raw:
        assert article is None  # refused, never constructed


def test_regression_outcomes(workdir):
    """What the fixed inputs now give: each is an Article or a clear error, fast."""
    assert ingest(workdir, "markdown", HASH_HEADING).title == "#" * 100_000 + "x"
    assert ingest(workdir, "text", SPACE_RUN).body == "A b"
    article = ingest(workdir, "markdown", BAD_TIMESTAMP)
    assert article is not None and article.date is None  # a bad date is a warning, the article is published
    assert ingest(workdir, "markdown", b"---\ntitle: T\ntime: 21:48\n---\nBody\n").time == "21:48"  # not 1308
    assert ingest(workdir, "markdown", b"---\ntitle: T\nid: 007\n---\nBody\n").id == "007"  # not octal 7
    for data in (CONTENT_KEY, HANDLER_KEY, INT_KEY):
        assert ingest(workdir, "markdown", data).title == "T"
    for data in (BOMB_DATE, BOMB_TIME):  # aliases are refused outright now
        path = workdir / "bomb.md"
        path.write_bytes(data)
        with time_limit(SECONDS_PER_EXAMPLE):
            article, [problem] = read_article(InputFile(path, "bomb.md", "articles/bomb.md", "markdown"))
        assert article is None and problem.severity == "error" and "aliases are not allowed" in problem.message
    control = ("<html><body><article><p>A long enough sentence of ordinary words for the extractor to keep it.</p>"
               "<script>x</script>\x08 and more words after the script.</article></body></html>").encode()
    assert ingest(workdir, "html", control) is not None


def test_structures_that_print_to_gigabytes_are_not_printed():
    """The alias bomb, built in Python (JSON or a future loader could hand one over): dates and times refuse it fast."""
    bomb: object = ["lol"] * 9
    for _ in range(8):
        bomb = [bomb] * 9  # 9**9 strings when printed
    with time_limit(SECONDS_PER_EXAMPLE):
        with pytest.raises(ValueError, match="not a list"):
            dates.parse_date_value(bomb)
        parsed = fields.apply(Parsed(title="T", paragraphs=[]), {"time": bomb, "date": bomb}, where="JSON", warn_unknown=False)
    assert parsed.time is None and parsed.date is None and len(parsed.warnings) == 2


@FUZZ
@given(obj=record, text_key=st.sampled_from(["text", "body", "content", None]), body=body_text)
@example(obj={"date": [[[]]] * 3, "time": {"a": 1}}, text_key="text", body="Some text")
def test_json_objects_of_hostile_values(workdir, obj, text_key, body):
    if text_key:
        obj = {**obj, text_key: body}
    data = json.dumps(obj, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass")
    ingest(workdir, "json", data)


@FUZZ
@given(page=html_page)
# The script's source became the title: trafilatura read it from the unclosed <h1> (from_html.CODE_ELEMENTS).
@example(page="<html><head></head><body><h1 ><article></article></body></html>")
# emptying a <template> while iterating skipped the <script> inside it: its code became the text
@example(page="<html><head><p >&lt;script>alert(1)&lt;/script><p ><template ><script>alert(1)</script></p></head>"
              "<body><h1 ><article></article></body></html>")
# Refused ("All strings must be XML compatible") when from_html dropped the <script> with lxml's drop_tree().
@example(page="<html><body><article><p>A long enough sentence of ordinary words for the extractor to keep it.</p>"
              "<script>x</script>\x08 and more words after the script in the same article.</article></body></html>")
def test_html_fragments_with_active_content(workdir, page):
    marker = "SCRIPTMARKER"
    page = page.replace("<article>", f"<article><script>var {marker} = 1;</script><style>.{marker}{{}}</style>", 1)
    article = ingest(workdir, "html", page.encode())
    # Unless an unclosed <title>, <textarea>, <iframe>… swallowed the script as raw text (a browser shows it as text too),
    # the script and style are code, never the article's text.
    parsed = lxml.html.document_fromstring(page.encode())
    shown = "".join(parsed.xpath("//text()[not(ancestor::script) and not(ancestor::style)]"))
    if article is not None and marker not in shown:
        assert marker not in article.body and marker not in article.title


# Paths as discover() gives them: "/"-separated names below articles/, none empty, "." or "..", no NUL.
relative_names = st.one_of(
    st.text(min_size=1, max_size=120),
    st.lists(st.sampled_from(["..x", ".hidden", "~", "\\", "..\\..", "a b", "É", "ş", "مرحبا", "#", "?", "%", "-x", "CON", "index", "x" * 250]),
             min_size=1, max_size=8).map("/".join),
).filter(lambda rel: "\x00" not in rel and all(part not in ("", ".", "..") for part in rel.split("/")))


@FUZZ
@given(relative=relative_names, ext=st.sampled_from([".txt", ".md", ""]))
@example(relative="../../../etc/passwd", ext=".txt")
@example(relative="..\\..\\x", ext=".txt")
@example(relative="\udce9", ext=".txt")  # a non-UTF-8 file name, as os.walk gives it
@example(relative="/".join(["x" * 300] * 20), ext=".txt")
def test_ids_from_any_file_path_are_safe(workdir, relative, ext):
    kind = KINDS.get(ext, "text")
    ingest(workdir, kind, b"A title\n\nSome body text.\n", relative + ext)
