"""Small things a reader notices: plurals, heading anchors without counts, place aliases as the articles write
them, one-month charts, and no absolute build paths on the site or in its exports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder.aggregate import Subject
from builder.models import Location, Mention
from builder.render import environment, render
from builder.render.subjects import counted, month_bars, noun, written_aliases
from builder.site.toc import slugify
from conftest import SEED_000, make_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.unit
@pytest.mark.parametrize("n, singular, plural, expected", [
    (0, "source", None, "0 sources"), (1, "source", None, "1 source"), (2, "source", None, "2 sources"),
    (1, "dated article", None, "1 dated article"), (1, "person", "people", "1 person"), (3, "person", "people", "3 people"),
])
def test_counted_nouns_agree_with_their_number(n, singular, plural, expected):
    assert counted(n, singular, plural) == expected
    assert noun(n, singular, plural) == expected.split(" ", 1)[1]


@pytest.mark.unit
def test_plural_filter_in_templates():
    template = environment().from_string('{{ n | plural("publication") }} · {{ noun(n, "entity", "entities") }}')
    assert template.render(n=1) == "1 publication · entity"
    assert template.render(n=4) == "4 publications · entities"


@pytest.mark.unit
@pytest.mark.parametrize("heading, anchor", [
    ("People (86)", "people"), ("Syria (17)", "syria"), ("Other places (1,204)", "other-places"),
    ("Resolution 2254", "resolution-2254"), ("(12)", "12"), ("Mentions per month", "mentions-per-month"),
])
def test_heading_anchors_leave_out_counts(heading, anchor):
    assert slugify(heading, "-") == anchor


@pytest.mark.unit
def test_one_month_chart_has_one_label():
    month_chart = environment().get_template("_macros.md.j2").module.month_chart
    one = str(month_chart(month_bars([("2020-05", 3)])))
    assert one.count("2020-05</span>") == 1
    many = str(month_chart(month_bars([("2020-05", 3), ("2020-07", 1)])))
    assert "<span>2020-05</span><span>2020-07</span>" in many


def aleppo(written: list[str]) -> Subject:
    record = Location("aleppo-sy", "Aleppo", 36.2, 37.16, "SY", aliases=["Halab", "Beroea", "Chalepi", "Halapia", "Alep"])
    mentions = [Mention("a1", "location", "aleppo-sy", 0, len(text), text, text, 0, "gazetteer") for text in written]
    return Subject(id="aleppo-sy", kind="location", record=record, mentions=mentions, article_ids=["a1"])


@pytest.mark.unit
def test_place_aliases_are_the_spellings_the_articles_use():
    assert written_aliases(aleppo(["Aleppo", "HALAB", "Aleppo"])) == ["Halab"]  # case and accents aside
    assert written_aliases(aleppo(["Aleppo"])) == []


@pytest.mark.unit
def test_location_page_shows_written_aliases_and_keeps_the_rest_behind_a_disclosure():
    from builder.render import Tiles
    from builder.render.subjects import pages_of

    s = aleppo(["Aleppo", "Halab"])
    html = render("location.html.j2", "locations/aleppo-sy.md", s=s, entries=[], hidden=0, bars=[], root="../../",
                  pager=pages_of(1)[0], pages=["locations/aleppo-sy.md"], linked_data=None,
                  co_entities=[], co_entity_counts=[], co_locations=[], co_location_counts=[], rules=[], nearby=[],
                  aliases=written_aliases(s), tiles=Tiles("", ""), zoom=9, country=None, country_page=None)
    visible, _, disclosed = html.partition("<details")
    assert "also written: <span" in visible and "Halab" in visible
    assert "Beroea" not in visible and "Chalepi" not in visible
    assert "Beroea, Chalepi, Halapia, Alep" in disclosed and "Halab" not in disclosed


@pytest.mark.integration
def test_absolute_articles_folder_never_reaches_the_site(tmp_path):
    """`archive build --articles /abs/path` (outside the project): the original's path is relative to the
    articles folder in articles.json, the article's footer, the data-quality page and problems.json."""
    project = make_project(tmp_path / "archive")
    elsewhere = tmp_path / "elsewhere" / "incoming"
    (elsewhere / "2020").mkdir(parents=True)
    (elsewhere / "2020" / SEED_000.name).write_bytes(SEED_000.read_bytes())
    (elsewhere / ".notes.txt").write_text("hidden", encoding="utf-8")  # a problem, listed by its path
    (elsewhere / "undated.txt").write_text("A title with no date\n\nAleppo was quiet.\n", encoding="utf-8")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "builder.app.cli", "build", "--articles", str(elsewhere.absolute()),
                             "--site-dir", str(site)], cwd=project, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "ARCHIVE_MODEL": "none", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout + result.stderr
    records = json.loads((site / "data" / "articles.json").read_text("utf-8"))
    assert sorted(a["original"] for a in records) == [f"2020/{SEED_000.name}", "undated.txt"]
    problems = json.loads((site / "data" / "problems.json").read_text("utf-8"))
    assert [p["file"] for p in problems if "hidden" in p["message"]] == [".notes.txt"]
    secret = str(tmp_path)
    for path in [*site.rglob("*.html"), *site.rglob("*.json"), *site.rglob("*.csv"), *site.rglob("*.geojson")]:
        assert secret not in path.read_text("utf-8", errors="replace"), f"{path} shows the build machine's path"
    [page] = [a["url"] for a in records if a["original"].startswith("2020/")]
    assert f"<code>2020/{SEED_000.name}</code>" in (site / page / "index.html").read_text("utf-8")
    quality = (site / "browse" / "quality" / "index.html").read_text("utf-8")
    assert "<code>undated.txt</code>" in quality and "<code>.notes.txt</code>" in quality
    # Two articles, one source each at most: the counts read as English.
    assert "2 articles published" in quality and "1 error" not in quality
    sources = (site / "browse" / "sources" / "index.html").read_text("utf-8")
    assert "1 publication." in sources or "2 publications." in sources
    timeline = (site / "browse" / "timeline" / "index.html").read_text("utf-8")
    assert "1 dated article, 1 undated." in timeline
    # Heading anchors without counts.
    entities = (site / "entities" / "index.html").read_text("utf-8")
    assert 'id="organisations"' in entities or 'id="people"' in entities
    assert 'id="people-' not in entities and 'id="organisations-' not in entities
    locations = (site / "locations" / "index.html").read_text("utf-8")
    assert 'id="syria"' in locations
