"""The event scorer of `make eval` (scripts/eval_events.py), on tiny in-memory gold and predictions: events-gold.md §5's
comparisons and one case per error category. The corpus is not needed."""

import pytest

from eval_events import CATEGORIES, FIELDS, System, main_error, score

pytestmark = pytest.mark.unit

FILE = "fakes-0000000001.txt"


def gold_event(**fields) -> dict:
    event = {"main": True, "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
             "date": "2017-04-04", "location": "Khan Sheikhoun", "admin1": "Idlib", "country": "Syria",
             "actor1": "Syria", "actor1_ok": ["Syrian government", "Assad regime"], "actor2": "Civilians (Syria)",
             "actor2_ok": [], "fatalities": 20, "evidence": "Warplanes struck Khan Sheikhoun on Tuesday."}
    event.update(fields)
    return event


def row(report_id: str = "a#0", **cells) -> dict:
    """A row of event_reports.csv as csv.DictReader gives it: every cell a string."""
    r = {"report_id": report_id, "article_id": "a", "event_id": "incident", "event_date": "2017-04-04",
         "time_precision": "1", "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
         "actor1": "Syria", "actor2": "Civilians (Syria)", "location": "Khan Sheikhoun", "latitude": "35.44208",
         "longitude": "36.65095", "geo_precision": "1", "fatalities": "20", "admin1": "Idlib Governorate",
         "main": "true", "sentence": "", "rule": ""}
    r.update({k: "" if v is None else str(v) for k, v in cells.items()})
    return r


def system(rows: list[dict], main_event: str | None = "a#0") -> System:
    article = {"id": "a", "original": f"articles/{FILE}", "events": [r["report_id"] for r in rows], "main_event": main_event}
    return System({FILE: article}, {"a": rows}, "test")


def run(gold_events: list[dict], rows: list[dict], main_event: str | None = "a#0", locate=None):
    return score({FILE: {"publication_date": "2017-04-05", "events": gold_events}}, system(rows, main_event), locate)


def categories(result, kind: str) -> list[str]:
    return [e.category for e in result.errors if e.kind == kind]


# ─── names (§5): case, accents, hyphens and spaces; admin1 spellings; actor1_ok; transliterations ──────────────


def test_a_right_main_event_is_right_on_every_field():
    result = run([gold_event()], [row()])
    assert result.n_main == 1 and all(result.accuracy(f) == 1.0 for f in FIELDS)
    assert result.errors == [] and result.prf == (1.0, 1.0, 1.0)


@pytest.mark.parametrize("field, gold, system", [
    ("admin1", "Rif Dimashq", "Damascus Countryside"), ("admin1", "Deir ez-Zor", "Deir Ezzor Governorate"),
    ("admin1", "Al-Hasakah", "Hasakah Province"), ("admin1", "As-Suwayda", "Sweida"), ("admin1", "Raqqa", "Ar-Raqqah"),
    ("location", "Saraqeb", "Saraqib"), ("location", "Khan Sheikhoun", "khan-sheikhoun"),
    ("location", "eastern Ghouta", "Ghouta"), ("location", "Hasaka", "Hasakah"),
    ("actor1", "Syria", "assad regime"), ("actor2", "Civilians (Syria)", "civilians syria"),
    ("sub_event_type", "Air/drone strike", "air/drone  STRIKE"),
])
def test_names_compare_as_section_5_says(field, gold, system):
    cells = {"event_date" if field == "date" else field: system}
    assert main_error(field, gold_event(**{field: gold}), row(**cells)) is None


def test_null_is_right_against_an_empty_cell_for_actors_and_fatalities():
    g = gold_event(actor2=None, actor2_ok=[], fatalities=None)
    assert main_error("actor2", g, row(actor2="")) is None and main_error("fatalities", g, row(fatalities="")) is None


def test_the_main_event_is_the_report_articles_json_names_else_the_first_flagged_main():
    rows = [row("a#0", location="Idlib", main="false"), row("a#1", main="true")]
    assert run([gold_event()], rows, main_event="a#1").right["location"] == 1
    assert run([gold_event()], rows, main_event=None).right["location"] == 1  # the first flagged main
    assert run([gold_event()], rows, main_event="a#0").right["location"] == 0


def test_a_location_within_10_km_counts_on_its_own_line():
    near = run([gold_event(location="Zubdiya", admin1="Aleppo")], [row(location="Aleppo", admin1="Aleppo",
                                                                        latitude="36.20124", longitude="37.16117")],
               locate=lambda g: (36.18, 37.14))
    assert near.right["location"] == 0 and near.near == 1  # names differ; 3 km apart
    far = run([gold_event()], [row(location="Idlib", latitude="35.93", longitude="36.63")], locate=lambda g: (35.44, 36.65))
    assert far.near == 0
    unplaced = run([gold_event()], [row(location="Idlib", geo_precision="3")], locate=lambda g: (35.93, 36.63))
    assert unplaced.near == 0  # a region's point is not where it happened
    assert run([gold_event()], [row()]).near is None  # no locator: no such line


# ─── main event: one case per category ─────────────────────────────────────────────────────────────────────────


MAIN_CASES = [  # (field, category, gold fields, system cells)
    ("event_type", "wrong", {}, {"event_type": "Battles"}),
    ("sub_event_type", "wrong", {}, {"sub_event_type": "Shelling/artillery/missile attack"}),
    ("date", "empty", {}, {"event_date": ""}),
    ("date", "spurious", {"date": None}, {}),
    ("date", "a day off", {}, {"event_date": "2017-04-03"}),
    ("date", "publication date", {"date": "2017-04-01"}, {"event_date": "2017-04-05"}),
    ("date", "further off", {}, {"event_date": "2017-03-01"}),
    ("admin1", "empty", {}, {"admin1": ""}),
    ("admin1", "spurious", {"admin1": None}, {}),
    ("admin1", "wrong", {}, {"admin1": "Hama Governorate"}),
    ("location", "empty", {}, {"location": ""}),
    ("location", "a region for a place", {}, {"location": "Idlib Governorate", "geo_precision": 3}),
    ("location", "another place in the admin1", {}, {"location": "Maarat al-Numan"}),
    ("location", "another admin1", {}, {"location": "Hama", "admin1": "Hama Governorate"}),
    ("actor1", "empty", {}, {"actor1": ""}),
    ("actor1", "spurious", {"actor1": None, "actor1_ok": []}, {}),
    ("actor1", "the other party", {"actor2": "Hayat Tahrir al-Sham"}, {"actor1": "Hayat Tahrir al Sham"}),
    ("actor1", "wrong", {}, {"actor1": "Russia"}),
    ("actor2", "empty", {}, {"actor2": ""}),
    ("actor2", "spurious", {"actor2": None}, {}),
    ("actor2", "the other party", {}, {"actor2": "Syrian government"}),
    ("actor2", "wrong", {}, {"actor2": "Islamic State"}),
    ("fatalities", "empty", {}, {"fatalities": ""}),
    ("fatalities", "spurious", {"fatalities": None}, {}),
    ("fatalities", "higher", {}, {"fatalities": 25}),
    ("fatalities", "lower", {}, {"fatalities": 15}),
]


@pytest.mark.parametrize("field, category, gold, cells", MAIN_CASES, ids=[f"{c[0]}: {c[1]}" for c in MAIN_CASES])
def test_a_main_event_error_falls_in_its_category(field, category, gold, cells):
    result = run([gold_event(**gold)], [row(**cells)])
    assert categories(result, field) == [category] and result.right[field] == 0
    # the other fields are right, but where the case cannot be made otherwise (another admin1; a changed actor2)
    also = ({"admin1"} if category == "another admin1" else set()) | ({"actor2"} if field == "actor1" and "actor2" in gold else set())
    assert {e.kind for e in result.errors if e.kind in FIELDS} == {field} | also


def test_no_main_event_is_wrong_on_every_field():
    result = run([gold_event()], [])
    assert {(e.kind, e.category) for e in result.errors if e.kind in FIELDS} == {(f, "no main event") for f in FIELDS}
    assert sum(result.right.values()) == 0 and result.choices["no main event"] == 1
    missing = score({FILE: {"events": [gold_event()]}}, System({}, {}, "test"))  # the article is not in the site
    assert missing.n_main == 1 and missing.fn == 1 and sum(missing.right.values()) == 0


def test_which_event_the_system_took_as_main():
    other = gold_event(main=False, event_type="Battles", sub_event_type="Armed clash", admin1="Hama")
    took_other = run([gold_event(), other], [row(event_type="Battles", admin1="Hama")])
    assert took_other.choices["another gold event"] == 1
    assert run([gold_event()], [row(admin1="Hama")]).choices["no gold event"] == 1
    assert run([gold_event()], [row()]).choices["the gold main"] == 1


# ─── all events: matching, P/R/F1, one case per category ───────────────────────────────────────────────────────


def test_all_events_match_by_type_admin1_and_a_day():
    gold = [gold_event(), gold_event(main=False, date="2017-04-10", location="Saraqeb")]
    result = run(gold, [row(sub_event_type="Chemical weapon"), row("a#1", event_date="2017-04-11", location="Idlib",
                                                                  main="false"), row("a#2", admin1="Hama", main="false")])
    assert (result.tp, result.fp, result.fn) == (2, 1, 0)  # the sub-event type and the place play no part
    p, r, f1 = result.prf
    assert (round(p, 3), r, round(f1, 3)) == (0.667, 1.0, 0.8)


def test_undated_events_match_only_undated_ones():
    assert run([gold_event(date=None)], [row(event_date="")]).tp == 1
    assert run([gold_event(date=None)], [row()]).tp == 0


EVENT_CASES = [  # (kind, category, gold events, system rows): one error of that kind
    ("fp", "duplicate", [gold_event()], [row(), row("a#1", main="false")]),
    ("fp", "date off", [gold_event(), gold_event(main=False, date="2017-03-01")],
     [row(), row("a#1", event_date="2017-03-10", main="false")]),
    ("fp", "other admin1", [gold_event(), gold_event(main=False, date="2017-03-01")],
     [row(), row("a#1", event_date="2017-03-01", admin1="Hama", main="false")]),
    ("fp", "other type", [gold_event(), gold_event(main=False, date="2017-03-01")],
     [row(), row("a#1", event_date="2017-03-01", event_type="Battles", main="false")]),
    ("fp", "spurious", [gold_event()], [row(), row("a#1", event_date="2016-01-01", admin1="Homs", main="false")]),
    ("fn", "merged", [gold_event(), gold_event(main=False, location="Saraqeb")], [row()]),
    ("fn", "date off", [gold_event(), gold_event(main=False, date="2017-03-01")],
     [row(), row("a#1", event_date="2017-03-10", main="false")]),
    ("fn", "other admin1", [gold_event(), gold_event(main=False, date="2017-03-01")],
     [row(), row("a#1", event_date="2017-03-01", admin1="Hama", main="false")]),
    ("fn", "other type", [gold_event(), gold_event(main=False, date="2017-03-01")],
     [row(), row("a#1", event_date="2017-03-01", event_type="Battles", main="false")]),
    ("fn", "missed", [gold_event(), gold_event(main=False, date="2016-01-01", admin1="Homs")], [row()]),
]


@pytest.mark.parametrize("kind, category, gold, rows", EVENT_CASES, ids=[f"{c[0]}: {c[1]}" for c in EVENT_CASES])
def test_an_unmatched_event_falls_in_its_category(kind, category, gold, rows):
    result = run(gold, rows)
    assert categories(result, kind) == [category]
    assert result.tp == 1 and getattr(result, kind) == 1


def test_every_category_has_a_case():
    tested = {(f, c) for f, c, *_ in MAIN_CASES} | {(k, c) for k, c, *_ in EVENT_CASES} | {("*", "no main event")}
    assert tested == {(kind, c) for kind, cats in CATEGORIES.items() for c in cats}
