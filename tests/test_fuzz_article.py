"""The fuzz lane: articles made of hostile pieces go through every per-article step, and nothing escapes.

A grammar of the pieces a red team used (list and quote markers, brackets, emphasis, entities, long tokens,
numbers, dates, weekdays, trigger words, glued names, separators) makes articles of every kind; each goes
through read → extract → events → the article body's HTML. No exception may escape a step, every failure is
a listed problem naming the file, and each example stays within a time budget (a quadratic blow-up takes
minutes). CI runs a fixed seed and a few examples; `ARCHIVE_FUZZ_EXAMPLES=2000 make test-fuzz` runs more.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from builder.aggregate.events import extract_events
from builder.extract import Extractor
from builder.extract.gazetteer import load_common_words
from builder.extract.registry import Registry
from builder.extract.runner import extract_one
from builder.ingest import InputFile, read_article
from builder.render.snippets import body_html
from conftest import time_limit

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("ARCHIVE_FUZZ_EXAMPLES", "40"))
SECONDS_PER_EXAMPLE = 20  # generous on a loaded 2-core machine; what this lane catches takes minutes
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
EXTENSION = {"text": ".txt", "markdown": ".md", "html": ".html"}

MARKERS = ["- ", "* ", "+ ", "1. ", "> ", "> - ", "#", "---", "***", "```", "    ", "\t", "|", "=", "<", "&", "&amp;"]
BRACKETS = ["[", "]", "(", ")", "{", "}", "‹", "«", '"', "'", "![x", "[x](", "<p ", "<!--", "\\"]
WORDS = ["killed", "air strike", "shelling", "barrel bombs", "on Saturday", "overnight", "on 31 February 2016",
         "9999-12-31", "0001-01-01", "General", "Assad", "Aleppo", "Homs", "al-", "Abu", "Iran and", "Nusra Front",
         "Reuters", "one hundred thousand thousand", "dozens", "U.S.", "Mr.", "'s", "...", "\u2028", "\u0000", "\ufeff"]
NUMBERS = st.one_of(st.integers(0, 10**6).map(str), st.integers(1, 6000).map(lambda n: "9" * n),
                    st.sampled_from(["0th", "31st", "1e309", "4,300", "-1", "½"]))
PIECE = st.one_of(st.sampled_from(MARKERS), st.sampled_from(BRACKETS), st.sampled_from(WORDS), NUMBERS,
                  st.text(max_size=12), st.sampled_from([" ", "\n", "\n\n", ". "]))
# A piece repeated: runs are what made steps quadratic ("[" × 30,000, "- " × 1,000, "Iran and " × 20,000).
RUN = st.tuples(PIECE, st.integers(1, 3000)).map(lambda t: t[0] * t[1])
BODY = st.lists(st.one_of(PIECE, RUN), max_size=40).map("".join).filter(lambda b: len(b) < 200_000)
HEADERS = {
    "text": lambda title, body: f"{title}\n\n{body}",
    "markdown": lambda title, body: f"---\ntitle: {title!r}\ndate: 2016-05-03\n---\n\n{body}",
    "html": lambda title, body: f"<html><head><title>{title}</title></head><body><article><p>{body}</p></article></body></html>",
}


@pytest.fixture(scope="module")
def extractor(gazetteer):
    tiers = load_common_words()
    return Extractor(Registry(), gazetteer, tiers["A"] | tiers["B"])


def through_every_step(folder: Path, kind: str, text: str, extractor) -> None:
    path = folder / f"input{EXTENSION[kind]}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    item = InputFile(path, path.name, f"articles/{path.name}", kind)
    with time_limit(SECONDS_PER_EXAMPLE):
        article, problems = read_article(item)
        assert all(p.file == item.display and p.message for p in problems), problems
        if article is None:
            assert any(p.severity == "error" for p in problems), problems
            return
        extraction = extract_one(extractor, article)
        assert extraction.failure is None, extraction.failure  # a failure would be listed; here it is a bug to find
        places = {m.target_id: extractor.gazetteer.get(m.target_id) for m in extraction.mentions if m.kind == "location"}
        extract_events(article, extraction.mentions, {k: v for k, v in places.items() if v is not None}, {})
        html = body_html(article, extraction.mentions, lambda m: None)
        assert "<script" not in html.lower()


@seed(18)
@FUZZ
@given(kind=st.sampled_from(sorted(EXTENSION)), title=st.text(min_size=1, max_size=80), body=BODY)
def test_hostile_articles_pass_every_step(tmp_path_factory, extractor, kind, title, body):
    folder = tmp_path_factory.mktemp("fuzz", numbered=True)
    through_every_step(folder, kind, HEADERS[kind](title.replace("\x00", ""), body), extractor)
