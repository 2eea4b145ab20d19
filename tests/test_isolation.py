"""Hardening III: every per-article step under one guard and within its budgets (unit lane: no wall clock).

Each test holds one defect class: a step that raises becomes a listed problem naming the file and the stage;
Markdown that recursed renders; the model's view of a text is bounded and its offsets exact; an outsized
article degrades with a warning saying what was cut.
"""

from __future__ import annotations

import hashlib

import pytest

from builder import pipeline
from builder.aggregate import build_index
from builder.aggregate.incidents import add_events
from builder.extract import MAX_MENTIONS, ArticleExtraction, Extractor
from builder.extract import model as ner_model
from builder.extract.gazetteer import load_common_words
from builder.extract.registry import Registry
from builder.extract.runner import extract_one
from builder.ingest.from_html import parse as parse_html
from builder.isolation import Failure, guarded, timed_out
from builder.models import Article
from builder.markup import bounded_markdown
from builder.render.snippets import body_html

pytestmark = pytest.mark.unit


def article(text: str, *, markdown: bool = False, date: str | None = "2016-05-03") -> Article:
    return Article(id="a", title="Title", body=text, original="articles/a.md", kind="markdown" if markdown else "text",
                   sha256=hashlib.sha256(text.encode()).hexdigest(), body_is_markdown=markdown, date=date)


# ─── the guard ─────────────────────────────────────────────────────────────────────────────────────────


def test_the_guard_turns_any_exception_into_a_failure_naming_the_stage():
    def deep(n):
        return deep(n + 1)

    assert guarded("read", lambda: 1) == 1
    recursion = guarded("render", lambda: deep(0))
    assert isinstance(recursion, Failure) and recursion.stage == "render" and "nesting too deep" in recursion.reason
    error = guarded("events", lambda: int("9" * 5000))
    assert isinstance(error, Failure) and "ValueError" in error.reason
    assert error.message("the article has no events").startswith("events failed (ValueError")
    with pytest.raises(KeyboardInterrupt):  # stopping the build is not an article's failure
        guarded("read", lambda: (_ for _ in ()).throw(KeyboardInterrupt()))


def test_a_step_over_its_time_budget_fails_and_says_so():
    def forever():
        while True:
            pass

    result = guarded("extract", forever, seconds=0.2)
    assert isinstance(result, Failure) and result.timed_out
    assert timed_out(result.message("x")) and not timed_out("read failed (ValueError: 1); x")


class Exploding:
    """An extractor whose model-backed pass fails: extraction must degrade to the rules, not fail the build."""

    def __init__(self, real: Extractor, fail_always: bool = False):
        self.real, self.fail_always, self.model = real, fail_always, object()
        self.gazetteer = real.gazetteer

    def extract(self, a: Article, use_model: bool = True):
        if use_model or self.fail_always:
            raise RecursionError("deep")
        return self.real.extract(a)


@pytest.fixture(scope="module")
def extractor(gazetteer):
    tiers = load_common_words()
    return Extractor(Registry(), gazetteer, tiers["A"] | tiers["B"])


def test_a_failing_extraction_degrades_to_the_rules_and_is_an_error(extractor):
    a = article("The governor of Aleppo met officials in Homs.")
    degraded = extract_one(Exploding(extractor), a)
    assert degraded.mentions and "registry, gazetteer and rules only" in degraded.failure
    empty = extract_one(Exploding(extractor, fail_always=True), a)
    assert empty.mentions == [] and empty.failure.startswith("extract failed (nesting too deep)")


def test_extraction_failures_and_budget_notes_become_problems_naming_the_file(monkeypatch, tmp_path):
    a = article("Text.")

    def fake_map(function, leading, items, *args, **kwargs):
        return [ArticleExtraction(x.id, notes=["extract: cut"], failure="extract failed (boom); without names") for x in items]

    monkeypatch.setattr(pipeline, "_map", fake_map)
    settings = pipeline.Settings(project_root=tmp_path, articles_dir=tmp_path, docs_dir=tmp_path, model="none")
    problems = pipeline.extract([a], settings, pipeline.BuildCache(None)).problems
    assert {(p.file, p.severity, p.message) for p in problems} == {
        ("articles/a.md", "warning", "extract: cut"), ("articles/a.md", "error", "extract failed (boom); without names")}


def test_a_failing_event_step_is_an_error_and_the_other_articles_keep_their_events(monkeypatch):
    good = article("Ten people were killed in an air strike on a market on 3 May 2016.")
    bad = Article(**{**good.__dict__, "id": "b", "original": "articles/b.txt"})
    index = build_index([good, bad], [], inputs=2, mentions=[], entities={}, locations={})
    from builder.aggregate import incidents

    real = incidents.extract_events

    def failing(a, *args, **kwargs):
        if a.id == "b":
            raise OverflowError("date value out of range")
        return real(a, *args, **kwargs)

    monkeypatch.setattr(incidents, "extract_events", failing)
    index = add_events(index)
    assert "a" in index.events and "b" not in index.events
    assert [p.message for p in index.problems if p.file == "articles/b.txt"] == [
        "events failed (OverflowError: date value out of range); the article has no events"]


# ─── Markdown that recursed ────────────────────────────────────────────────────────────────────────────

MARKER_RUNS = {"dashes": "- ", "stars": "* ", "pluses": "+ ", "numbers": "1. ", "quoted dashes": "> - ",
               "quotes and stars": "> * ", "nested numbers": "1. - "}


@pytest.mark.parametrize("name", MARKER_RUNS)
def test_a_thousand_list_markers_on_one_line_render(name):
    body = MARKER_RUNS[name] * 1000 + "x"
    html = body_html(article(body, markdown=True), [], lambda m: None)
    assert "article-body" in html and "x" in html


def test_depth_beyond_the_limit_is_kept_as_text_not_dropped():
    html = bounded_markdown.render("- " * 50 + "the last words")
    assert "the last words" in html and html.count("<ul") <= bounded_markdown.MAX_DEPTH


def test_ordinary_nesting_is_still_markdown():
    html = bounded_markdown.render("- one\n    - two\n        - three\n\n> quoted *em*")
    assert html.count("<ul") == 3 and "<blockquote" in html and "<em>em</em>" in html


def test_a_block_over_its_budget_is_shown_as_written_and_the_rest_is_markdown():
    long_block = "&<" * bounded_markdown.MAX_BLOCK_CHARS
    html = bounded_markdown.render(f"*short*\n\n{long_block}\n\n**after**")
    assert "<em>short</em>" in html and "<strong>after</strong>" in html
    assert "&amp;&lt;" * 100 in html and "<script" not in html


def test_a_body_over_the_markdown_budget_is_refused_with_a_reason():
    assert bounded_markdown.too_large("x" * (bounded_markdown.MAX_CHARS + 1))
    assert bounded_markdown.too_large("x\n\n" * (bounded_markdown.MAX_BLOCKS + 1))
    assert bounded_markdown.too_large("an ordinary article\n\n" * 50) is None


def test_an_unrenderable_markdown_body_is_published_as_text_with_a_warning(monkeypatch):
    a = article("&" * (bounded_markdown.MAX_CHARS + 1), markdown=True)
    kept, problems = pipeline._renderable(a, [])
    assert not kept.body_is_markdown and kept.body == a.body
    assert problems[0].file == "articles/a.md" and "published as plain text" in problems[0].message
    monkeypatch.setattr(bounded_markdown, "render", lambda body: (_ for _ in ()).throw(RecursionError()))
    kept, problems = pipeline._renderable(article("*fine*", markdown=True), [])
    assert not kept.body_is_markdown and "render failed (nesting too deep)" in problems[0].message


# ─── the model's view: long tokens split, symbol runs blank, a token budget ────────────────────────────


@pytest.mark.parametrize("text", ["[" * 250 + " Assad met Putin", "x" * 101, "a " + "y" * 1000 + " b " + "z" * 100,
                                  "https://example.org/" + "a/b-c_d" * 100 + " then Homs"])
def test_long_runs_are_split_without_losing_a_character_and_offsets_map_back(text):
    view, inserted = ner_model.split_long_runs(text)
    assert max(len(w) for w in view.split()) <= ner_model.MAX_TOKEN
    assert [view[i] for i in inserted] == [" "] * len(inserted)
    assert "".join(c for i, c in enumerate(view) if i not in set(inserted)) == text
    for i in range(len(view) + 1):
        original = ner_model.original_offset(i, inserted)
        assert 0 <= original <= len(text)
        if i < len(view) and i not in set(inserted):
            assert text[original] == view[i]


def test_the_model_reads_a_bounded_number_of_tokens_and_says_where_it_stopped():
    prose = ("The convoy left Aleppo for Homs on Monday, officials said. " * 10 + "\n\n") * 400
    pieces, stopped = ner_model.within_budget(prose)
    read = sum(len(ner_model._TOKEN.findall(p)) for _, p in pieces)
    assert read <= ner_model.MAX_TOKENS and stopped is not None and 0 < stopped < len(prose)
    assert ner_model.within_budget("A short article.")[1] is None
    brackets, stopped = ner_model.within_budget("[" * 50_000)  # symbols cost nothing: the model sees spaces
    assert stopped is None and brackets


def test_an_article_naming_a_place_twenty_thousand_times_keeps_a_bounded_number_of_mentions(extractor):
    result = extractor.extract(article("Aleppo, " * 20_000 + "and Homs."))
    assert len(result.mentions) <= MAX_MENTIONS
    assert any("only the first" in note for note in result.notes)
    assert len({id(m.sentence) for m in result.mentions}) == 1  # one sentence, one string


# ─── HTML ──────────────────────────────────────────────────────────────────────────────────────────────


def test_a_start_tag_with_thousands_of_attributes_keeps_its_text():
    attributes = " ".join(f'a{i}="x>"' for i in range(20_000))
    parsed = parse_html(f"<html><head><title>T</title></head><body><article><p {attributes}>The text of a real "
                        "article about a convoy that left Aleppo for Homs on Monday.</p></article></body></html>")
    assert "convoy" in " ".join(parsed.paragraphs)


def test_a_page_that_fails_to_render_is_published_as_a_notice():
    import zlib

    from builder.render import NoStore, PageJob, render_jobs

    def broken() -> dict:
        raise RecursionError()

    bad = PageJob("quality.html.j2", "articles/x.md", "<Broken>", "article", None, ("bad",), broken)
    pages = render_jobs([bad], NoStore())
    notice = zlib.decompress(pages[0].packed).decode()
    assert "could not be rendered (nesting too deep)" in notice and "&lt;Broken&gt;" in notice


def test_names_are_searched_in_a_bounded_prefix_of_an_outsized_article(extractor, monkeypatch):
    import builder.extract as extract_module

    monkeypatch.setattr(extract_module, "MAX_EXTRACT_CHARS", 1_000)
    body = "\n\n".join(["Officials in Aleppo said the convoy left for Homs."] * 100)
    result = extractor.extract(article(body))
    assert result.mentions and max(m.end for m in result.mentions) <= 1_000
    assert any("names were searched in the first" in note for note in result.notes)


def test_events_are_read_in_a_bounded_prefix_of_an_outsized_article(monkeypatch):
    from builder.aggregate import events as events_module

    monkeypatch.setattr(events_module, "MAX_EVENT_CHARS", 2_000)
    body = "\n\n".join(["On 3 May 2016, 12 people were killed in an air strike on a market."] * 200)
    warnings: list[str] = []
    found = events_module.extract_events(article(body), [], {}, {}, warnings=warnings)
    assert found and all(e.sentence in body[:2_000] for e in found)
    assert any("events were read in the first" in w for w in warnings)
