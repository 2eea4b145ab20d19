"""Issue 10, "Hardening II": one small file must never break, stall or bloat the deploy.

Each class of the adversarial review gets a regression test at its root (unit level, quick), and one
corpus of all the reproducers goes through real builds (`archive check --strict` must agree with
`archive build --strict`).
"""

from __future__ import annotations

import dataclasses

import csv
import re
import hashlib
import io
import time

import pytest

from builder.extract import Extractor
from builder.extract.gazetteer import load_common_words
from builder.extract.registry import Registry, entity_id
from builder.ingest import MAX_ID_CHARS, SEGMENT_CHARS, assign_ids, from_text
from builder.models import Article
from builder.markup.escape import md_curated
from builder.render.snippets import body_html
from builder.reserved import RESERVED


def article(article_id: str, text: str | None = None, **fields) -> Article:
    text = text or f"text of {article_id}"
    return Article(id=article_id, title=text, body=text, original=f"articles/{article_id}.txt",
                   sha256=hashlib.sha256(text.encode()).hexdigest(), kind="text", **fields)


# ─── crashes: ids ───────────────────────────────────────────────────────────────────────────────────────

NESTING = [
    ["2020", "2020/strike"], ["2020/strike", "2020"], ["x/y", "x"], ["x", "x/y", "x/y/z", "x/y"],
    ["a/b/c", "a/b", "a", "a/b/c/d"], ["index", "a/index", "search", "assets/x", "a", "a"],
    ["a--b", "a/b", "a"],
]


@pytest.mark.unit
@pytest.mark.parametrize("wanted", NESTING)
def test_ids_that_nest_or_repeat_are_renamed_without_collision(wanted):
    kept, problems = assign_ids([article(w, f"{w} {n}") for n, w in enumerate(wanted)])
    ids = [a.id for a in kept]
    assert len(kept) == len(wanted) and len(set(ids)) == len(ids)
    for a in ids:  # no id is another's folder, and no part is a name the site uses
        assert not any(b.startswith(a + "/") for b in ids)
        assert not set(a.split("/")) & RESERVED
        assert all(len(part) <= SEGMENT_CHARS * 2 for part in a.split("/"))
    renamed = [p for p in problems if "published as" in p.message]
    assert len(renamed) == sum(a.id != w for a, w in zip(kept, wanted))


@pytest.mark.unit
def test_many_ids_that_nest_never_exhaust_anything():
    wanted = [("/".join(["d"] * depth)) for depth in range(1, 60)] * 2
    kept, _ = assign_ids([article(w, f"{w} {n}") for n, w in enumerate(wanted)])
    assert len({a.id for a in kept}) == len(wanted)


@pytest.mark.unit
def test_ids_are_length_bounded_and_a_long_path_is_a_listed_problem():
    from builder.ingest import _wanted_id
    from builder.ingest.parsed import Parsed

    relative = "/".join(["folder-name-" + "x" * 60] * 60) + "/article.txt"  # ~4,300 characters, near PATH_MAX
    wanted, warning = _wanted_id(relative, Parsed(title="t", paragraphs=["b"]))
    assert len(wanted) <= MAX_ID_CHARS and all(len(p) <= SEGMENT_CHARS for p in wanted.split("/"))
    assert warning and "too long" in warning


@pytest.mark.unit
def test_entity_ids_never_take_a_name_the_site_uses():
    for name in ("INDEX", "Index", "Search", "Assets", "Data"):
        assert entity_id(name) not in RESERVED
    assert entity_id("Index") != entity_id("Index Entity")


# ─── crashes and quadratic time: extraction and Markdown ────────────────────────────────────────────────


@pytest.fixture(scope="module")
def extractor(gazetteer):
    tiers = load_common_words()
    return Extractor(Registry(), gazetteer, tiers["A"] | tiers["B"])


def ingest_and_extract(extractor, text: str) -> float:
    started = time.perf_counter()
    parsed = from_text.parse(text)
    body = "\n\n".join(p.strip() for p in parsed.paragraphs if p.strip())
    extractor.extract(Article(id="x", title=parsed.title, body=body, original="x", sha256="0", kind="text"))
    return time.perf_counter() - started


HOSTILE_TEXT = {
    "possessives": lambda n: "He met " + "Assad's " * (n // 8) + "friend.",
    "dots after a name": lambda n: "He met Assad" + "." * n + " then",
    "stops and quotes": lambda n: "He met Assad" + "!?\")" * (n // 4),
    "capitalised words": lambda n: "He met " + "Foo Bar " * (n // 8) + "there.",
    "capitalised words and connectors": lambda n: "He met " + "Foo of the " * (n // 11) + "Bar there.",
    "white space": lambda n: "He met Assad." + " " * n + "x",
    "brackets": lambda n: "[" * n,
    "mixed": lambda n: "Mr. A. B. C... (Foo) 'Bar' \"Baz\" al-Qaeda's U.S. " * (n // 48),
}


# How the time to ingest and extract HOSTILE_TEXT grows with its size: tests/test_perf.py (the perf lane).


@pytest.mark.unit
def test_thousands_of_possessives_in_a_row_are_found_without_recursion(extractor):
    ingest_and_extract(extractor, "Title\n\nHe met " + "Assad's " * 20_000 + "friend.")


HOSTILE_MARKDOWN = {
    "list a thousand deep (4 spaces)": "\n".join("    " * i + "- x" for i in range(1000)),
    "list a thousand deep (2 spaces)": "\n".join("  " * i + "- x" for i in range(1000)),
    "list a thousand deep (tabs)": "\n".join("\t" * i + "* x" for i in range(1000)),
    "quotes a thousand deep": ">" * 1000 + " x",
    "quote lines": "\n".join("> " * i + "x" for i in range(1000)),
    "brackets": "[" * 20_000,
    "link openings": "[x](" * 5000,
    "image openings": "![x" * 5000,
}


@pytest.mark.unit
@pytest.mark.parametrize("name", HOSTILE_MARKDOWN)
def test_hostile_markdown_bodies_render(name):
    """Rendered, and not amplified (how the time grows with the input: tests/test_perf.py)."""
    body = HOSTILE_MARKDOWN[name]
    html = body_html(Article(id="x", title="t", body=body, original="x", sha256="0", kind="markdown",
                             body_is_markdown=True), [], lambda m: None)
    assert "article-body" in html
    assert len(html) < 6 * len(body) + 1000


@pytest.mark.unit
def test_markdown_bounds_keep_ordinary_markdown():
    text = "- a\n    - b\n        - c\n\n> quote\n\n[link](https://example.org) and [another](https://example.org)"
    assert md_curated(text) == text


# ─── amplification, formulas ────────────────────────────────────────────────────────────────────────────


@pytest.mark.unit
def test_mentions_csv_does_not_repeat_sentences_and_cells_are_not_formulas():
    from builder.models import Mention
    from builder.render.exports import mentions_csv

    sentence = "=HYPERLINK(\"http://x\") " + "Assad met Assad. " * 2000
    body = sentence
    mentions = [Mention("a", "entity", "assad", i, i + 5, "Assad", sentence, 0, "alias", 0)
                for i in range(0, len(body), 17)][:4000]

    class Index:
        articles = [article("a", body)]
        mentions_by_article = {"a": mentions}
        other_names_by_article: dict = {}
        entities = {"assad": object()}
        locations = {}
        problems = []
        subjects_by_article = {}

    mentions_text, sentences_text = mentions_csv(Index)
    assert len(mentions_text) + len(sentences_text) < 4 * len(body) + 100 * len(mentions)
    rows = list(csv.DictReader(io.StringIO(sentences_text)))
    assert len(rows) == 1 and rows[0]["sentence"].startswith("'=")
    for row in csv.reader(io.StringIO(mentions_text + sentences_text)):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


# ─── the site swap has no window ────────────────────────────────────────────────────────────────────────


def site_tree(path):
    return {p.relative_to(path).as_posix(): p.read_text() for p in path.rglob("*") if p.is_file()}


@pytest.mark.safety
def test_the_swap_is_one_exchange_and_the_site_never_disappears(tmp_path, monkeypatch):
    from builder.site import atomic

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "page.html").write_text("old")
    staging = atomic.staging_dir(site)
    (staging / "a").mkdir(parents=True)
    (staging / "a" / "page.html").write_text("new")
    assert atomic.exchange(staging, site)  # Linux: one renameat2(RENAME_EXCHANGE)
    assert site_tree(site) == {"a/page.html": "new"} and site_tree(staging) == {"a/page.html": "old"}
    assert atomic.exchange(staging, site)

    def killed(*args, **kwargs):  # killed right after the exchange, before anything else
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "rename", killed)
    with pytest.raises(KeyboardInterrupt):
        atomic.swap_in(staging, site)
    monkeypatch.undo()
    assert site_tree(site) == {"a/page.html": "new"}  # the site is whole, and the new one
    atomic.staging_dir(site)  # the next build clears the leftover
    assert site_tree(site) == {"a/page.html": "new"} and not list(tmp_path.glob(".site.*"))


@pytest.mark.safety
def test_a_build_killed_between_two_renames_gets_its_site_back(tmp_path, monkeypatch):
    """Without an exchange (another OS or file system) a swap is two renames; a build killed between them
    leaves only `.site.old-*`, which the next build restores instead of deleting."""
    from builder.site import atomic

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the only copy")
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    staging = atomic.staging_dir(site)
    staging.mkdir()
    real_replace, calls = atomic.os.replace, []

    def replace_then_die(a, b):
        calls.append((a, b))
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(a, b)

    monkeypatch.setattr(atomic.os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        atomic.swap_in(staging, site)
    monkeypatch.undo()
    assert not site.exists() and list(tmp_path.glob(".site.old-*"))
    atomic.staging_dir(site)
    assert site_tree(site) == {"index.html": "the only copy"}


# ─── caches cannot run code ─────────────────────────────────────────────────────────────────────────────


class Boom:
    def __reduce__(self):
        import os
        return (os.system, ("touch BOOM-MARKER",))


@pytest.mark.unit
def test_crafted_cache_files_are_never_executed(tmp_path, monkeypatch, gazetteer_cache_dir):
    import pickle
    import shutil

    from builder.cache import BuildCache
    from builder.extract.gazetteer import Gazetteer

    monkeypatch.chdir(tmp_path)
    payload = pickle.dumps(Boom())
    (tmp_path / "build-cache.pickle").write_bytes(payload)
    (tmp_path / "build-cache.json").write_text('{"code": "x", "entries": {"articles": {"s1": {"__record__": "os:system"}}}}')
    assert BuildCache(tmp_path).get("articles", "1") is None
    for cached in gazetteer_cache_dir.glob("gazetteer-*.json"):
        shutil.copy(cached, tmp_path / cached.name)
        (tmp_path / cached.name.replace(".json", ".pickle")).write_bytes(payload)  # the name the old format used
    assert Gazetteer.load(tmp_path).locations
    assert not (tmp_path / "BOOM-MARKER").exists()


@pytest.mark.unit
def test_the_build_cache_round_trips_records_as_json(tmp_path):
    from builder.cache import BuildCache, code_digest
    from builder.models import Mention, Problem

    cache = BuildCache(tmp_path)
    a = article("x/y", "Body text")
    a = dataclasses.replace(a, body="Body \udce9 text")  # a lone surrogate survives the round trip
    cache.put("articles", ("x/y.txt", "articles/x/y.txt", "0" * 64), (a, [Problem("f", "warning", "m")]))
    cache.put("pages", "manifest", {"articles/x.md": (1, 2, "abc")})
    cache.put("extractions", "k", Mention("x", "entity", "e", 0, 1, "B", "B.", 0, "alias"))
    cache.save()
    assert b"__reduce__" not in (tmp_path / "build-cache.json").read_bytes()
    again = BuildCache(tmp_path)
    got, problems = again.get("articles", ("x/y.txt", "articles/x/y.txt", "0" * 64))
    assert got == a and problems == [Problem("f", "warning", "m")]
    assert again.get("extractions", "k") == Mention("x", "entity", "e", 0, 1, "B", "B.", 0, "alias")
    assert tuple(again.get("pages", "manifest")["articles/x.md"]) == (1, 2, "abc")
    assert code_digest()


# ─── silent loss in body cleanup ────────────────────────────────────────────────────────────────────────


@pytest.mark.unit
def test_a_second_caption_and_prose_starting_related_stay_in_the_body():
    text = ("Title of the piece\n\nFirst caption here (photo credit: AMIR COHEN/REUTERS)\n\nThe first paragraph.\n\n"
            "Second caption here (photo credit: REUTERS)\n\nRelated parties agreed on a truce on Monday\n\n"
            "Read 2 terrorists killed in clash\n\nThe last paragraph.\n")
    parsed = from_text.parse(text)
    assert parsed.image_caption == "First caption here"
    body = "\n\n".join(parsed.paragraphs)
    assert "Second caption here" in body and "Related parties agreed on a truce on Monday" in body
    assert "2 terrorists killed" not in body  # a related-story link is still page furniture


# ─── the corpus: real builds ────────────────────────────────────────────────────────────────────────────

import json  # noqa: E402
import os  # noqa: E402

from builder.app.cli import main  # noqa: E402
from conftest import make_project, time_limit, write  # noqa: E402
from test_hostile_inputs import assert_conserved, Site  # noqa: E402

ESC_TEXT = "Escape \x1b[31m red \x1b]0;title\x07 bell \x9b2J done."
DEEP = "/".join(f"folder-{n:02d}-" + "x" * 50 for n in range(60))  # ~3,600 characters of folders


def hostile_corpus(articles):
    write(articles, "2020.txt", "A year page\n\nThe year 2020 in one article.\n")
    write(articles, "2020/strike.txt", "A strike\n\nAn air strike hit a depot near the airport.\n")
    write(articles, "x.txt", "Plain x\n\nAn article called x.\n")
    write(articles, "fm.md", "---\ntitle: Front matter y\nid: x/y\n---\n\nAn article asking for the id x/y.\n")
    write(articles, "possessive.txt", "Possessives\n\nHe met " + "Assad's " * 3000 + "friend.\n")
    write(articles, "dots.txt", "Dots\n\nHe met Assad" + "." * 40_000 + " then\n")
    write(articles, "caps.txt", "Capitals\n\nHe met " + "Foo Bar " * 5000 + "there.\n")
    write(articles, "nested.md", "# Nested list\n\n" + "\n".join("    " * i + "- x" for i in range(1000)) + "\n")
    write(articles, "brackets.md", "# Brackets\n\n" + "[" * 5000 + "\n")
    write(articles, "byline.txt", "A column\n\nBy INDEX\n\nThe column says nothing much at all.\n")
    write(articles, "caf\\xe9.txt", "Backslash name\n\nA file named with a backslash and xe9.\n")
    fd = os.open(os.fsencode(articles) + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT)
    os.write(fd, b"Byte name\n\nA file whose name holds the byte 0xE9.\n")
    os.close(fd)
    write(articles, ".hidden.txt", "Hidden\n\nA dot-file.\n")
    write(articles, ".drafts/draft.txt", "Draft\n\nIn a dot-folder.\n")
    write(articles, "README.md", "# Notes\n\nAbout this folder.\n")
    write(articles, "control.txt", f"Control characters\n\n{ESC_TEXT}\n\nBashar al-Assad met Vladimir Putin in Moscow. "
                                   + "The talks went on for a long time and ended without a statement. " * 3 + "\n")
    write(articles, "formula.txt", "Formula\n\n=HYPERLINK(\"http://evil.example\") Bashar al-Assad met Putin in Moscow.\n\n"
                                   "@SUM(1) Vladimir Putin spoke in Damascus.\n")
    write(articles, f"{DEEP}/deep.txt", "Deep\n\nAn article in folders nested close to PATH_MAX.\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("corpus") / "archive")
    hostile_corpus(root / "articles")
    import pickle

    (root / ".cache").mkdir(exist_ok=True)
    (root / ".cache" / "build-cache.pickle").write_bytes(pickle.dumps(Boom()))  # force-added by a pull request
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with time_limit(240):
            check = main(["-f", str(root / "mkdocs.yml"), "check", "--strict"])
        assert not (root / "site").exists() and not list((root / "docs").glob("articles"))  # check writes nothing
        site = Site.built(root, "--strict")
    finally:
        os.chdir(cwd)
    site.check_code = check
    return site


@pytest.mark.integration
def test_the_corpus_builds_with_nothing_lost(corpus):
    assert_conserved(corpus)
    for name in ("2020.txt", "2020/strike.txt", "x.txt", "fm.md", "possessive.txt", "dots.txt", "caps.txt",
                 "nested.md", "brackets.md", "byline.txt", "control.txt", "formula.txt", f"{DEEP}/deep.txt"):
        [record] = [a for a in corpus.articles if a["original"] == f"articles/{name}"]
        assert corpus.page_file(record).is_file(), name
        assert (corpus.root / "site" / record["original_url"]).is_file(), name
    problems = {p["file"]: p for p in corpus.problems}
    for name in (".hidden.txt", ".drafts", "README.md"):
        assert problems[f"articles/{name}"]["severity"] == "warning"
    assert "too long" in problems[f"articles/{DEEP}/deep.txt"]["message"]


@pytest.mark.integration
def test_names_escape_one_to_one_and_each_original_is_its_own(corpus):
    [typed] = [a for a in corpus.articles if a["original"] == "articles/caf\\\\xe9.txt"]  # the backslash doubled
    [raw] = [a for a in corpus.articles if a["original"] == "articles/caf\\xe9.txt"]  # the byte 0xE9, escaped
    assert (corpus.root / "site" / typed["original_url"]).read_bytes().startswith(b"Backslash name")
    assert (corpus.root / "site" / raw["original_url"]).read_bytes().startswith(b"Byte name")


@pytest.mark.integration
def test_a_person_called_index_does_not_replace_the_entities_page(corpus):
    entities = json.loads((corpus.root / "site" / "data" / "entities.json").read_text("utf-8"))
    assert any(e["id"] == "index--entity" and e["name"] == "Index" for e in entities)
    a_to_z = (corpus.root / "site" / "entities" / "index.html").read_text("utf-8")
    assert "index--entity/" in a_to_z


@pytest.mark.integration
def test_no_formula_and_no_escape_byte_leaks(corpus, capsys):
    data = corpus.root / "site" / "data"
    for name in ("mentions.csv", "sentences.csv"):
        for row in csv.reader(io.StringIO((data / name).read_text("utf-8"))):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    assert "'=HYPERLINK" in (data / "sentences.csv").read_text("utf-8")
    for path in (corpus.root / "site").rglob("*"):
        if path.is_file() and "originals" not in path.parts and path.suffix in (".html", ".json", ".csv", ".geojson", ".md", ".xml", ".js"):
            assert b"\x1b" not in path.read_bytes() and b"\x07" not in path.read_bytes(), path
    with time_limit(120):
        main(["-f", str(corpus.root / "mkdocs.yml"), "entities", "--candidates", "--limit", "0"])
        main(["-f", str(corpus.root / "mkdocs.yml"), "check"])
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\x07" not in out.out + out.err


@pytest.mark.integration
def test_the_crafted_pickle_never_ran(corpus):
    assert not (corpus.root / "BOOM-MARKER").exists()


@pytest.mark.integration
def test_check_strict_agrees_with_build_strict(corpus):
    assert corpus.exit_code == corpus.check_code == 1  # warnings (the skipped files, the renamed ids)


@pytest.mark.integration
@pytest.mark.parametrize("where", ["articles folder", "docs/articles", "docs/articles/sub", "docs/originals"])
def test_symlinks_are_refused_by_check_and_build_alike(tmp_path, where, capsys):
    root = make_project(tmp_path / "archive")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.txt").write_text("Outside\n\nA file outside the project.\n")
    if where == "articles folder":
        import shutil

        shutil.rmtree(root / "articles")
        (root / "articles").symlink_to(outside)
    else:
        link = root / where
        link.parent.mkdir(parents=True, exist_ok=True)
        if where == "docs/articles/sub":
            write(root / "articles", "sub/page.txt", "A sub page\n\nIts record would be written through the link.\n")
        link.symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    with time_limit(120):
        check = main(["-f", str(root / "mkdocs.yml"), "check", "--strict"])
        build = main(["-f", str(root / "mkdocs.yml"), "build", "--strict"])
    assert check == build == 1
    assert sorted(p.name for p in outside.iterdir()) == before
    assert "symbolic link" in capsys.readouterr().err


# ─── originals never run as scripts ─────────────────────────────────────────────────────────────────────


@pytest.mark.integration
def test_every_script_file_is_allowed_by_hash_and_nothing_else(corpus):
    page = (corpus.root / "site" / "index.html").read_text("utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    scripts = policy.split("script-src", 1)[1].split(";", 1)[0].split()
    assert "'self'" not in scripts and "'unsafe-inline'" not in scripts and "'strict-dynamic'" in scripts
    for src, integrity in re.findall(r'<script src="([^"]+)" integrity="([^"]+)"', page):
        assert f"'{integrity}'" in scripts, src
    assert re.findall(r"<script src=", page) and not re.findall(r"<script src=\"[^\"]+\">", page)


@pytest.mark.browser
def test_an_original_that_is_javascript_does_not_run_even_if_a_page_loads_it(tmp_path, browser):
    from conftest import serve

    root = make_project(tmp_path / "archive")
    write(root / "articles", "script.txt", "window.pwned = 1 // a title\n\n// and a body that is a comment in JavaScript\n")
    with time_limit(240):
        assert main(["-f", str(root / "mkdocs.yml"), "build"]) == 0
    site = root / "site"
    [record] = [a for a in json.loads((site / "data" / "articles.json").read_text("utf-8")) if a["original"] == "articles/script.txt"]
    page = site / record["url"] / "index.html"
    injected = f'<script src="../../{record["original_url"]}"></script><script src="/{record["original_url"]}"></script></body>'
    page.write_text(page.read_text("utf-8").replace("</body>", injected), "utf-8")  # as if markup got through
    context = browser.new_context()
    try:
        with serve(site) as url:  # a plain server: .txt as text/plain, no X-Content-Type-Options: nosniff
            tab = context.new_page()
            tab.goto(url + record["url"])
            tab.wait_for_load_state("load")
            # The site's own scripts run (archive-a11y.js names the search dialog; Leaflet loads only with a map).
            assert tab.evaluate("document.querySelector('.md-search[role=dialog]').getAttribute('aria-label')") == "Search"
            assert tab.evaluate("window.pwned") is None  # the original does not
    finally:
        context.close()


@pytest.mark.safety
def test_a_staging_folder_planted_as_a_link_is_removed_not_followed(tmp_path):
    from builder.site import atomic

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    project = tmp_path / "project"
    project.mkdir()
    site = project / "site"
    (project / f".site.building-{os.getpid()}").symlink_to(outside)
    (project / ".site.building-1").symlink_to(outside)
    staging = atomic.staging_dir(site)
    assert not staging.exists() and not staging.is_symlink()
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
