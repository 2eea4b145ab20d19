"""The source publication: title suffixes, credit lines, footers (builder/data/sources.yml); U+FFFD warnings."""

import pytest

from builder.ingest import sources
from conftest import read, write

pytestmark = pytest.mark.unit

BODY = "Air strikes killed at least 12 civilians in the town on Tuesday, a war monitor said."


def ingest(tmp_path, text):
    article, problems = read(write(tmp_path, "a.txt", text))
    assert article is not None, problems
    return article, problems


@pytest.mark.parametrize("title, headline, source", [
    ("Dozens dead as car bomb hits Syria evacuees | Jordan Times", "Dozens dead as car bomb hits Syria evacuees", "The Jordan Times"),
    ("Car bomb kills 45 in Homs - Region - World - Ahram Online", "Car bomb kills 45 in Homs", "Ahram Online"),
    ("Russia targets opposition - Daily Sabah", "Russia targets opposition", "Daily Sabah"),
    ("Army advances near Palmyra - Sputnik International", "Army advances near Palmyra", "Sputnik"),
    ("Aleppo under siege | Al Jazeera", "Aleppo under siege", "Al Jazeera"),
    ("Blast hits army checkpoint in Damascus - Reports", "Blast hits army checkpoint in Damascus - Reports", None),
    ("Syria - the long war", "Syria - the long war", None),
])
def test_title_suffix(tmp_path, title, headline, source):
    article, _ = ingest(tmp_path, f"{title}\n\n{BODY}\n")
    assert (article.title, article.source) == (headline, source)
    assert sources.split_title(title) == (headline, source)


@pytest.mark.parametrize("ending, source", [
    (" Source TRTWorld and agencies", "TRT World"),
    (" Source AA", "Anadolu Agency"),
    (" (Source: Syrian Coalition) Twitter", "Syrian Coalition (Etilaf)"),
    (" (c) Asharq Al-Awsat", "Asharq Al-Awsat"),
    ("-REUTERS", "Reuters"),
    (" --Reuters", "Reuters"),
    ("-AFP", "Agence France-Presse"),
    (" (AFP)", "Agence France-Presse"),
])
def test_credit_line_at_the_end_names_the_source_and_leaves_the_body(tmp_path, ending, source):
    article, _ = ingest(tmp_path, f"Strikes kill 12\n\n{BODY}{ending}\n")
    assert article.source == source
    assert article.body == BODY


def test_a_footer_outranks_a_credit_and_a_title_suffix_outranks_both(tmp_path):
    footer = " Source AA Related News Other story Copyright \ufffd\ufffd 2018 TRT World. Contact Us"
    article, _ = ingest(tmp_path, f"Strikes kill 12\n\n{BODY}{footer}\n")
    assert (article.source, article.body) == ("TRT World", BODY)
    article, _ = ingest(tmp_path, f"Strikes kill 12 - Daily Sabah\n\n{BODY}{footer}\n")
    assert article.source == "Daily Sabah"


def test_a_byline_outlet_outranks_a_title_suffix(tmp_path):
    article, _ = ingest(tmp_path, f"Strikes kill 12 | Jordan Times\n\nBy Jane Roe, Reuters\n\n{BODY}\n")
    assert article.source == "Reuters" and article.title == "Strikes kill 12"


def test_curated_title_is_not_cut(tmp_path):
    article, _ = ingest(tmp_path, f"---\ntitle: Strikes kill 12 | Jordan Times\n---\nStrikes kill 12 | Jordan Times\n\n{BODY}\n")
    assert article.title == "Strikes kill 12 | Jordan Times"


def test_replacement_characters_are_reported_with_their_count(tmp_path):
    article, problems = ingest(tmp_path, f"Outrage as Syria \ufffd_chemical attack\ufffd_ kills dozens\n\n{BODY} It\ufffds terrible.\n")
    warnings = [p.message for p in problems if p.severity == "warning"]
    assert len(warnings) == 1 and warnings[0].startswith("3 U+FFFD replacement characters")
    assert "\ufffd" in article.title  # reported, not silently changed


def test_clean_text_has_no_replacement_warning(tmp_path):
    _, problems = ingest(tmp_path, f"Strikes kill 12\n\n{BODY}\n")
    assert problems == []


def test_heading_repeated_above_an_agency_dateline(tmp_path):
    title = "Car bomb kills six in Homs Monitor"
    story = "At least six people were killed in a car bomb in Homs on Tuesday, the Observatory said, citing SANA."
    article, _ = ingest(tmp_path, f"{title}\n\n{title} AFP Tuesday 29 Apr 2014 {story}\n")
    assert (article.body, article.source, article.date) == (story, "Agence France-Presse", "2014-04-29")
    assert article.furniture == [f"{title} AFP Tuesday 29 Apr 2014"]
    # No known agency: the heading and stamp still go, and nothing in the story is taken for the source.
    article, _ = ingest(tmp_path, f"{title}\n\n{title} Tuesday 29 Apr 2014 {story}\n")
    assert (article.body, article.source, article.date) == (story, None, "2014-04-29")
    # An unknown word before the stamp is not cut as if it were an agency.
    article, _ = ingest(tmp_path, f"{title}\n\nPolice Tuesday 29 Apr 2014 {story}\n")
    assert article.body.startswith("Police Tuesday 29 Apr 2014") and article.source is None
