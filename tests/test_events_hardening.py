"""Hardening III: event extraction and incident aggregation on hostile input (builder/aggregate/events.py,
builder/aggregate/incidents.py). Dates at the calendar's ends, tolls of thousands of digits, impossible figures and
dates (refused, with a warning)."""

from __future__ import annotations

import pytest

from builder.aggregate import Index, Subject
from builder.aggregate.events import Event, extract_events, find_fatalities, load_rules, parse_number
from builder.aggregate.incidents import add_events, merge_incidents
from builder.models import Entity
from test_events import ENTITIES, PLACES, article, events_of, mentions_of


def index_of(*articles) -> Index:
    index = Index(articles=list(articles), problems=[], inputs=len(articles))
    index.mentions_by_article = {a.id: mentions_of(a) for a in articles}
    index.locations = {i: Subject(i, "location", loc) for i, loc in PLACES.items()}
    index.entities = {i: Subject(i, "entity", Entity(i, name, "organisation")) for i, name in ENTITIES.items()}
    return index


def extract_with_warnings(a):
    warnings: list[str] = []
    found = extract_events(a, mentions_of(a), PLACES, ENTITIES, warnings=warnings)
    return found, warnings


# 1. Dates at the calendar's ends ---------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("phrase", ["on Saturday", "on Sunday", "on Monday", "last Friday", "yesterday", "last night",
                                    "last week", "on 12 March", "on December 30", "on Saturday, the day before"])
def test_a_weekday_stepping_out_of_the_calendar_gives_no_date_not_an_exception(published, phrase):
    a = article(f"Israeli airstrikes hit Aleppo {phrase}, killing 3 people.", date=published)
    (ev,) = events_of(a)  # no OverflowError
    assert ev.date in (None, published) or ev.date[:4] == published[:4]
    if ev.date is None:
        assert "out of the calendar" in ev.why("date").rule


@pytest.mark.unit
def test_saturday_after_the_last_day_of_the_calendar_is_no_date_and_a_warning():
    (ev,), warnings = extract_with_warnings(article("Israeli airstrikes hit Aleppo on Saturday, killing 3 people.",
                                                    date="9999-12-31"))  # a Friday: "on Saturday" is the day after
    assert ev.date is None and ev.fatalities == 3
    assert len(warnings) == 1 and "on Saturday" in warnings[0] and "9999-12-31" in warnings[0]


@pytest.mark.unit
@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_add_events_and_incidents_survive_the_calendars_ends(published):
    body = "Israeli airstrikes hit Aleppo on Saturday, killing 3 people.\n\nAn air strike hit Aleppo, killing 4 people."
    index = index_of(article(body, date=published, article_id="a"), article(body, date=published, article_id="b"))
    add_events(index)  # merge_incidents looks a day either side of each date: no OverflowError
    assert index.incidents


@pytest.mark.unit
def test_merge_incidents_at_the_calendars_ends():
    evs = [Event(i, 0, "Explosions/Remote violence", "Air/drone strike", "air strike", "s", date=d, time_precision=1,
                 location_id="aleppo-sy", location="Aleppo", geo_precision=1, latitude=36.2, longitude=37.16)
           for i, d in (("a", "9999-12-31"), ("b", "9999-12-31"), ("c", "0001-01-01"), ("d", "0001-01-02"))]
    incidents = merge_incidents(evs)
    assert sorted(len(i.events) for i in incidents) == [2, 2]


# 2. Tolls of thousands of digits ----------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("digits", ["9" * 4301, "1" + "0" * 5000, "0" * 5000 + "12", ",".join(["999"] * 2000)])
def test_parse_number_never_converts_an_unbounded_digit_string(digits):
    value = parse_number(digits)  # no ValueError (Python's 4,300-digit limit)
    assert value is None or value == 12


@pytest.mark.unit
def test_a_toll_of_4301_digits_is_refused_not_a_crash():
    toll = "9" * 4301
    assert find_fatalities(f"The strike on Aleppo killed {toll} people.") is None
    (ev,), warnings = extract_with_warnings(article(f"An air strike on Aleppo on Monday killed {toll} people."))
    assert ev.fatalities is None and ev.fatalities_text is None and ev.why("fatalities") is None
    assert len(warnings) == 1 and "4301 digits" in warnings[0] and len(warnings[0]) < 400


# 3. Impossible figures ------------------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("text, number", [
    ("one hundred thousand", 100000), ("two thousand three hundred and five", 2305), ("fifteen hundred", 1500),
    ("a thousand", 1000), ("a hundred and five", 105), ("two dozen", 24), ("twenty one", 21), ("ninety-nine", 99),
    ("one thousand and one", 1001), ("zero", 0), ("dozen", 12), ("10,000", 10000),
])
def test_well_formed_number_words(text, number):
    assert parse_number(text) == number


@pytest.mark.unit
@pytest.mark.parametrize("text", [
    "one hundred thousand thousand", "hundred thousand thousand", "thousand thousand", "twenty thirty", "five six",
    "twelve twenty", "five and six", "one hundred hundred", "two dozen dozen", "zero zero", "ten one",
])
def test_malformed_number_words_are_refused_not_guessed(text):
    assert parse_number(text) is None


@pytest.mark.unit
def test_malformed_number_words_as_a_toll_are_refused_with_a_warning():
    (ev,), warnings = extract_with_warnings(article(
        "An air strike on Aleppo on Monday killed one hundred thousand thousand people."))
    assert ev.fatalities is None and ev.fatalities_text is None
    assert len(warnings) == 1 and "one hundred thousand thousand" in warnings[0]


@pytest.mark.unit
def test_the_plausible_bound_is_in_the_rules_and_the_corpus_largest_toll_is_below_it():
    bound = load_rules().max_fatalities
    assert 1429 < bound <= 100000  # Ghouta, 21 August 2013: the largest single-event toll in fakes-dev
    (ok,), none = extract_with_warnings(article(f"An air strike on Aleppo on Monday killed {bound:,} people."))
    assert ok.fatalities == bound and none == []
    (refused,), warnings = extract_with_warnings(article(f"An air strike on Aleppo on Monday killed {bound + 1:,} people."))
    assert refused.fatalities is None and len(warnings) == 1 and "max_fatalities" in warnings[0]


@pytest.mark.unit
@pytest.mark.parametrize("toll", ["99999999999999999999", "one hundred thousand thousand", "9" * 4301, "250,000"])
@pytest.mark.parametrize("good_body", ["On 3 May 2016, 12 people were killed in an air strike on Aleppo.",
                                       "On 3 May 2016, an air strike hit Aleppo."])  # a toll, or none
def test_a_refused_toll_never_becomes_an_incidents_figure(toll, good_body):
    good = article(good_body, date="2016-05-04", article_id="good", title="Air strike on Aleppo")
    bad = article(f"On 3 May 2016, an air strike on Aleppo killed {toll} people.", date="2016-05-05",
                  article_id="bad", title="Air strike on Aleppo")
    alone = index_of(good)
    add_events(alone)
    both = index_of(bad, good)  # newest first: the refused report leads the article order
    add_events(both)
    (incident,) = [i for i in both.incidents if "good" in i.article_ids]
    (before,) = alone.incidents
    assert incident.figures == before.figures and incident.fatalities_range == before.fatalities_range
    assert incident.id == before.id
    assert all(e.fatalities is None for e in both.events["bad"])
    (problem,) = [p for p in both.problems if p.file == "bad.txt"]
    assert problem.severity == "warning" and "toll" in problem.message
    assert not [p for p in both.problems if p.file == "good.txt"]


@pytest.mark.unit
def test_warnings_are_cached_with_the_events_and_come_back_on_a_warm_build(tmp_path):
    from builder.cache import BuildCache

    bad = article("On 3 May 2016, an air strike on Aleppo killed 99999999999999999999 people. "
                  "On 31 February an air strike hit Aleppo.", article_id="bad")
    cold = BuildCache(tmp_path)
    first = index_of(bad)
    add_events(first, cold.table("events"))
    cold.save()
    warm = BuildCache(tmp_path)
    again = index_of(bad)
    add_events(again, warm.table("events"))
    assert warm.hits == 1 and warm.misses == 0
    assert again.events == first.events and again.problems == first.problems
    assert len(again.problems) == 2 and {p.severity for p in again.problems} == {"warning"}
    assert again.problems == sorted(again.problems)


# 4. Impossible dates --------------------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("phrase", ["on 31 February", "on Sept 31", "on the 0th of May", "on 31 February 2020",
                                    "on April 31st", "on 30 Feb", "on 29 February"])  # 2019: no 29 February
def test_an_impossible_date_is_refused_with_a_warning(phrase):
    (ev,), warnings = extract_with_warnings(article(f"Israeli airstrikes hit Aleppo {phrase}, killing 3 people.",
                                                    date="2019-05-06"))
    assert ev.date is None and ev.time_precision is None  # not the publication date, silently
    assert "refused" in ev.why("date").rule
    assert len(warnings) == 1 and "no such day" in warnings[0]


@pytest.mark.unit
def test_a_refused_date_gives_way_to_the_same_events_date_told_elsewhere():
    (ev,), warnings = extract_with_warnings(article(
        "Israeli airstrikes hit Aleppo on 31 February, killing 3 people.\n\n"
        "The airstrikes on Aleppo on Monday were the fifth in two weeks."))
    assert ev.date == "2020-05-04" and len(warnings) == 1


@pytest.mark.unit
@pytest.mark.parametrize("sentence", [
    "In May 35 people were killed in airstrikes on Aleppo.",      # a count after a month: no date written
    "In September 31 people were killed in airstrikes on Aleppo.",
    "Some 35 may have been killed in airstrikes on Aleppo.",      # "may", the verb
])
def test_a_count_after_a_month_is_not_an_impossible_date(sentence):
    (ev,), warnings = extract_with_warnings(article(sentence))
    assert ev.date == "2020-05-06" and warnings == []


@pytest.mark.integration
def test_a_build_survives_the_red_teams_articles_and_reports_what_it_refused(project):
    """The reported crashes, end to end: front-matter dates at the calendar's ends with "on Saturday", a toll of
    4,301 digits; impossible tolls and dates become warnings on their files, and the real seeds' events stand."""
    from builder import pipeline

    hostile = {
        "end.md": ("9999-12-31", "Israeli airstrikes hit Aleppo on Saturday, killing 3 people."),
        "start.md": ("0001-01-01", "Israeli airstrikes hit Aleppo on Saturday, killing 4 people."),
        "digits.md": ("2016-05-04", f"An air strike on Aleppo on Monday killed {'9' * 4301} people."),
        "toll.md": ("2016-05-04", "On 3 May 2016, an air strike on Aleppo killed 99999999999999999999 people."),
        "feb.md": ("2016-05-04", "Israeli airstrikes hit Aleppo on 31 February, killing 3 people."),
    }
    for name, (date, body) in hostile.items():
        (project / "articles" / name).write_text(f"---\ntitle: Airstrikes on Aleppo\ndate: {date}\n---\n\n{body}\n",
                                                 encoding="utf-8")
    settings = pipeline.Settings(project_root=project, articles_dir=project / "articles", docs_dir=project / "docs",
                                 registry=project / "entities.yml", cache_dir=project / ".cache", workers=1, model="none")
    index = pipeline.generate(settings).index  # no OverflowError, no ValueError
    by_file = {a.original.rsplit("/", 1)[-1]: a for a in index.articles}
    assert set(hostile) <= set(by_file)
    warned = {p.file.rsplit("/", 1)[-1]: p.message for p in index.problems if p.severity == "warning" and "events:" in p.message}
    assert {"end.md", "start.md", "digits.md", "toll.md", "feb.md"} <= set(warned), warned
    for name in ("digits.md", "toll.md"):
        assert all(e.fatalities is None for e in index.events[by_file[name].id])
    assert all(e.date is None for e in index.events[by_file["feb.md"].id])
    assert any(e.fatalities for i in index.incidents for e in i.events)  # the seeds' own tolls are untouched
