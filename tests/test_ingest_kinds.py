"""Each input kind becomes the same Article model; curated fields override detected ones."""

import json

import pytest

from conftest import SEED_000, read, write

pytestmark = pytest.mark.unit


def test_front_matter_overrides_detected_fields(tmp_path):
    text = SEED_000.read_text("utf-8")
    path = write(tmp_path, "fixed.txt", "---\ntitle: Corrected headline\ndate: 2020-05-07\nauthors: [Someone Else]\n---\n" + text)
    article, problems = read(path)
    assert problems == []
    assert article.title == "Corrected headline"
    assert article.date == "2020-05-07"
    assert article.authors == ["Someone Else"]
    # Everything not overridden is still detected from the text.
    assert article.source == "The Jerusalem Post"
    assert article.contributors == ["Anna Ahronheim"]
    assert article.paragraphs[0].startswith("The Iranian-backed Baqir brigade")


def test_markdown_with_front_matter(tmp_path):
    path = write(tmp_path, "note.md", "---\ndate: 3 March 2021\nsource: Reuters\n---\n# Strike near Damascus\n\nFirst *paragraph*.\n\nSecond paragraph.\n")
    article, problems = read(path)
    assert problems == []
    assert (article.title, article.date, article.source, article.kind) == ("Strike near Damascus", "2021-03-03", "Reuters", "markdown")
    assert article.body_is_markdown
    assert article.paragraphs == ["First *paragraph*.", "Second paragraph."]


def test_markdown_without_heading_uses_first_line(tmp_path):
    article, _ = read(write(tmp_path, "plain.md", "A headline line\n\nBody text here.\n"))
    assert article.title == "A headline line"
    assert article.paragraphs == ["Body text here."]


def test_html_page_with_trafilatura(tmp_path):
    html = """<html><head><title>Strike hits Damascus | Example News</title>
    <meta name="author" content="Jane Doe"><meta property="og:site_name" content="Reuters">
    <meta property="article:published_time" content="2021-03-04T10:00:00Z"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Strike hits Damascus</h1>
    <p>A strike hit the outskirts of Damascus on Monday, a war monitor said, in a long paragraph that the extractor keeps.</p>
    <p>Read more: Another unrelated story about something else</p>
    <p>The second paragraph says more about the strike and who was blamed for it, at some length.</p></article>
    <footer>Copyright 2021</footer></body></html>"""
    article, problems = read(write(tmp_path, "page.html", html))
    assert problems == []
    assert article.title == "Strike hits Damascus"
    assert article.date == "2021-03-04"
    assert article.authors == ["Jane Doe"]
    assert article.source == "Reuters"
    assert article.paragraphs[0].startswith("A strike hit the outskirts of Damascus")
    assert "Copyright" not in article.body and "Home | World" not in article.body
    assert "Another unrelated story" not in article.body


def test_json_object_from_a_scraper(tmp_path):
    record = {"title": "Militia leaves Aleppo", "text": "Para one.\n\nPara two.", "date": "2020-05-06T21:48:00Z",
              "authors": ["TZVI JOFFRE"], "source": "The Jerusalem Post", "url": "https://www.jpost.com/x", "extra": 1}
    article, problems = read(write(tmp_path, "a.json", json.dumps(record)))
    assert problems == []
    assert article.title == "Militia leaves Aleppo"
    assert article.date == "2020-05-06"
    assert article.authors == ["Tzvi Joffre"]
    assert article.source_url == "https://www.jpost.com/x"
    assert article.paragraphs == ["Para one.", "Para two."]


def test_json_source_from_known_url(tmp_path):
    record = {"title": "T", "text": "Body text.", "url": "https://www.jpost.com/middle-east/article-1"}
    article, _ = read(write(tmp_path, "b.json", json.dumps(record)))
    assert article.source == "The Jerusalem Post"


def test_datelines_in_common_formats(tmp_path):
    cases = {
        "Fri 07 Apr 2017 at 0914 Homs governor says.": ("2017-04-07", "09:14"),
        "29-06-2016 7 Civilians Killed in Raqqa.": ("2016-06-29", None),
        "Posted on July 20 2016 by Asharq Al-Awsat. Dozens killed.": ("2016-07-20", None),
        "At least 70 killed Monitor AFP Thursday 30 Jun 2016 At least 70 fighters.": ("2016-06-30", None),
        "Last updated at Apr 152017 Jordan said.": ("2017-04-15", None),
        "21.08.2013Get short URL 215 The toll rose.": ("2013-08-21", None),
        "Date of publication 5 October 2016 An air raid hit.": ("2016-10-05", None),
        # Dates inside prose are events, not the article's own date.
        "1. Ghouta: On August 21 2013 the regime fired rockets.": (None, None),
        "The singer vanished 10 years ago, on 1 February 1995.": (None, None),
    }
    for i, (first_paragraph, expected) in enumerate(cases.items()):
        article, _ = read(write(tmp_path, f"d{i}.txt", f"Title {i}\n\n{first_paragraph}\n"))
        assert (article.date, article.time) == expected, first_paragraph


def test_no_date_is_invented(tmp_path):
    body = "Officials said on Tuesday that talks would resume in May, a year after the 2019 agreement."
    article, _ = read(write(tmp_path, "n.txt", f"Talks to resume\n\n{body}\n"))
    assert article.date is None


def test_hard_wrapped_text_is_rejoined(tmp_path):
    para = "This is a long paragraph that was hard wrapped at a fixed column by\nsome mail client so every line is short and\nends in the middle of a sentence."
    text = "A title\n\n" + "\n\n".join(para.replace("long", f"long ({n})") for n in range(3)) + "\n"
    article, _ = read(write(tmp_path, "w.txt", text))
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].startswith("This is a long (0) paragraph that was hard wrapped at a fixed column by some")
