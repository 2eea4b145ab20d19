"""The events index's data (builder/render/events.py: index_data, CleanActors, the first page in the HTML) and the
incident page's reports side by side, on small in-memory archives; and the index's size at 1,000 incidents.

The archives are made of Event and Incident records directly (no extraction): each test says what its incidents
hold, so the index's choices (which actors and places the filter lists, which rows it writes) are checked alone."""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass, replace

import pytest

from builder.aggregate import Index, Subject
from builder.aggregate.events import Event
from builder.aggregate.incidents import Incident
from builder.config import Tiles
from builder.models import Article, Entity, Location
from builder.render.events import (INDEX_DATA, PAGE_ROWS, CleanActors, event_jobs, events_index_job, index_data,
                                   index_data_json, side_by_side, uncertain_fields)

pytestmark = pytest.mark.unit

TILES = Tiles("", "")
PLACES = {
    "syria": Location("syria", "Syria", 35.0, 38.0, "SY", kind="country"),
    "israel": Location("israel", "Israel", 31.5, 34.75, "IL", kind="country"),
    "aleppo-sy": Location("aleppo-sy", "Aleppo", 36.20124, 37.16117, "SY", admin1="Aleppo Governorate"),
    "douma-sy": Location("douma-sy", "Douma", 33.57, 36.40, "SY", admin1="Rif Dimashq Governorate"),
    "unmapped-tall-tawil": Location("unmapped-tall-tawil", "Tall Tawil", None, None, "SY"),
}
# id → (name, type, origin, description)
ENTITIES = {
    "islamic-state": ("Islamic State", "organisation", "registry", "Jihadist group that held territory in Syria and Iraq."),
    "sana": ("SANA", "organisation", "registry", "Syria's state news agency."),
    "youtube": ("YouTube", "organisation", "registry", "Video-sharing platform."),
    "bashar-al-assad": ("Bashar al-Assad", "person", "registry", "President of Syria."),
    "al-neel-street": ("al-Neel Street", "organisation", "discovered", None),
    "fri": ("Fri", "organisation", "discovered", None),
    "airstrike": ("Airstrike", "other", "discovered", None),
    "faylaq-al-rahman": ("Faylaq al-Rahman", "organisation", "discovered", None),
    "syrian-armed-forces": ("Syrian Armed Forces", "organisation", "discovered", None),
    "umayyad-mosque": ("Umayyad Mosque", "facility", "discovered", None),
    "douma-army": ("Douma Army", "organisation", "discovered", None),
    "glued": ("Faylaq al-Rahman Jaysh al-Islam", "organisation", "discovered", None),
}


def archive(incidents: list[Incident], articles: list[Article] | None = None, places: dict | None = None) -> Index:
    ids = {e.article_id for i in incidents for e in i.events}
    articles = articles or [Article(id=a, title=f"Report {a}", body="", original=f"{a}.txt", sha256="0" * 64, kind="text",
                                    date="2020-05-06", source="The Jerusalem Post") for a in sorted(ids)]
    index = Index(articles=articles, problems=[], inputs=len(articles))
    index = replace(index, locations={i: Subject(i, "location", loc) for i, loc in (places or PLACES).items()})
    index = replace(index, entities={i: Subject(i, "entity", Entity(i, name, kind, origin=origin, description=description))
                                     for i, (name, kind, origin, description) in ENTITIES.items()})
    index = replace(index, incidents=incidents)
    return index


def report(article_id: str, n: int = 0, *, sub: str = "Air/drone strike", kind: str = "Explosions/Remote violence",
           date: str | None = "2020-05-04", place: str | None = "aleppo-sy", actor1=None, actor2=None,
           fatalities: int | None = None, places: dict | None = None, **more) -> Event:
    loc = (places or PLACES).get(place) if place else None
    a1, a1_id = actor1 if actor1 else (None, None)
    a2, a2_id = actor2 if actor2 else (None, None)
    return Event(article_id, n, kind, sub, "airstrikes", "A sentence.", date=date, time_precision=1 if date else None,
                 location_id=place, location=loc.name if loc else None, latitude=loc.lat if loc else None,
                 longitude=loc.lon if loc else None, geo_precision=1 if loc and loc.lat is not None else 2,
                 country="SY", admin1=loc.admin1 if loc else None, actor1=a1, actor1_id=a1_id, actor2=a2, actor2_id=a2_id,
                 fatalities=fatalities, fatalities_text=str(fatalities) if fatalities is not None else None, **more)


def incident(id_: str, *events: Event) -> Incident:
    return Incident(id_, tuple(events))


def test_the_filter_lists_clean_actors_only():
    """Countries, the rules' own names and registry organisations that fight; not what the extractor found in a
    street name, a weekday or a trigger word, nor outlets, platforms, persons or buildings."""
    cases = [
        (("Israel", "israel"), True), (("Syria", None), True),  # a country; the rules' "regime forces" → Syria
        (("Unidentified armed group", None), True), (("US-led coalition", None), True), (("Civilians (Syria)", "syria"), True),
        (("Civilians", None), True), (("Islamic State", "islamic-state"), True),
        (("Faylaq al-Rahman", "faylaq-al-rahman"), True), (("Syrian Armed Forces", "syrian-armed-forces"), True),
        (("al-Neel Street", "al-neel-street"), False), (("Fri", "fri"), False), (("Airstrike", "airstrike"), False),
        (("SANA", "sana"), False), (("YouTube", "youtube"), False), (("Bashar al-Assad", "bashar-al-assad"), False),
        (("Umayyad Mosque", "umayyad-mosque"), False), (("Douma Army", "douma-army"), False),  # a place glued to a word
        (("Faylaq al-Rahman Jaysh al-Islam", "glued"), False),  # two groups glued (("Somebody", None), False), (("Aleppo", "aleppo-sy"), False),
    ]
    clean = CleanActors(archive([]))
    wrong = [(actor, expected) for actor, expected in cases if clean(*actor) != expected]
    assert not wrong


def test_index_data_rows_tables_and_clean_lists():
    index = archive([
        incident("old", report("a", date="2019-01-02", place="douma-sy", actor1=("al-Neel Street", "al-neel-street"),
                               actor2=("Civilians (Syria)", "syria"), fatalities=3)),
        incident("new", report("b", date="2020-05-04", actor1=("Israel", "israel"), actor2=("Fri", "fri"), fatalities=14),
                 report("c", date="2020-05-05", actor1=("Israel", "israel"), fatalities=20)),
        incident("undated", report("d", sub="Armed clash", kind="Battles", date=None, place="unmapped-tall-tawil",
                                   actor1=("Islamic State", "islamic-state"))),
        incident("nowhere", report("e", date="2020-01-01", place=None)),
    ])
    data = index_data(index)
    assert [r[0] for r in data["rows"]] == ["new", "nowhere", "old", "undated"]  # newest first, undated last
    assert data["types"] == ["Battles", "Explosions/Remote violence"]
    assert data["subs"] == [["Air/drone strike", 1], ["Armed clash", 0]]
    clean = data["actors"][:data["clean_actors"]]
    assert clean == ["Civilians (Syria)", "Islamic State", "Israel"]  # sorted, ahead of the others
    assert set(data["actors"][data["clean_actors"]:]) == {"al-Neel Street", "Fri"}
    assert data["places"][:data["clean_places"]] == ["Aleppo", "Douma", "Tall Tawil"]  # each has a page
    assert data["admin1"] == ["Aleppo Governorate", "Rif Dimashq Governorate"]
    new, nowhere, old, undated = data["rows"]
    at = {name: i for i, name in enumerate(data["actors"])}
    assert new[1:6] == ["2020-05-04", 1, 0, data["places"].index("Aleppo"), 0]
    assert new[6:12] == [36.2012, 37.1612, 14, 20, 2, 0]  # coordinates to 4 decimals, the toll's range, 2 reports
    assert new[12] == [at["Israel"], at["Fri"]] and (new[13], new[14]) == (at["Israel"], at["Fri"])
    assert old[12] == [at["al-Neel Street"], at["Civilians (Syria)"]]
    assert nowhere[4:8] == [-1, -1, None, None] and nowhere[8] is None
    assert undated[1:3] == ["", 0] and undated[6] is None  # no date, no precision; Tall Tawil: a page, no coordinates
    # The file: compact JSON, the same bytes from the same archive.
    raw = index_data_json(index)
    assert json.loads(raw) == data and b"\n " not in raw and raw == index_data_json(index)
    assert INDEX_DATA == "data/events-index.json"


def test_the_page_holds_the_first_page_of_the_table_only():
    incidents = [incident(f"2020-01-{1 + i // 24:02d}-aleppo-{i}", report(f"a{i}", date=f"2020-01-{1 + i // 24:02d}",
                                                                          actor1=("Israel", "israel"), actor2=("Fri", "fri")))
                 for i in range(PAGE_ROWS + 30)]
    html = zlib.decompress(events_index_job(archive(incidents), TILES).render()).decode("utf-8")
    assert html.count("<tr data-id=") == PAGE_ROWS
    newest = sorted((i.id for i in incidents), key=lambda i: (i[:10], i))[::-1]  # the table's order: newest first
    assert f'<tr data-id="{newest[0]}">' in html
    assert "The newest 50 of 80 incidents; every one is in" in html and "data/events.csv" in html
    assert "<td>Israel</td>" in html and "Fri" not in html  # the table shows the clean actors
    assert 'class="archive-map archive-map--index archive-map--page-data"' in html


def test_the_reports_side_by_side_mark_where_they_disagree():
    first = report("a", 0, date="2020-05-04", actor1=("Israel", "israel"), fatalities=14)
    second = report("b", 0, date="2020-05-04", actor1=("Israel", "israel"), actor2=("Civilians (Syria)", "syria"), fatalities=14)
    third = report("c", 1, date="2020-05-05", place="douma-sy", fatalities=20)
    table = side_by_side(incident("x", first, second, third))
    assert table["differs"] == {"date": True, "place": True, "actors": False, "killed": True}
    # the reading most reports give is not marked; a report that gives no value does not disagree
    assert [r["differs"] for r in table["rows"]] == [set(), set(), {"date", "place", "killed"}]
    assert side_by_side(incident("y", first))["any"] is False
    tie = side_by_side(incident("z", first, third))
    assert [r["differs"] for r in tie["rows"]] == [{"date", "place", "killed"}] * 2  # a tie: both are marked


@dataclass(frozen=True)
class ScoredEvent(Event):
    """An event as the extraction will give it once it states per-field confidences."""

    confidence: dict | None = None


def scored(event: Event, confidence: dict | None) -> ScoredEvent:
    """The event with these confidences (not the ones the extraction measures for its rules: the test says them)."""
    return ScoredEvent(**{**event.__dict__, "confidence": confidence})


def test_low_confidence_fields_show_as_uncertain():
    sure = report("a", 0, actor1=("Israel", "israel"), fatalities=14)
    assert uncertain_fields(scored(sure, None)) == set()  # no confidences: nothing is called uncertain
    assert uncertain_fields(scored(sure, {"date": 0.95, "location": 0.9, "fatalities": 0.9, "actor1": 0.9})) == set()
    unsure = scored(sure, {"date": 0.95, "location": 0.9, "actor1": 0.3, "actor2": 0.1, "fatalities": 0.45,
                           "event_type": 0.9, "sub_event_type": 0.5})
    assert uncertain_fields(unsure) == {"actors", "killed", "sub_type"}  # actor2 has no value: nothing to doubt
    index = archive([incident("2020-05-04-aleppo-air-drone-strike", unsure, scored(report("b", 0, fatalities=20), {}))])
    (job,) = event_jobs(index, TILES)
    html = zlib.decompress(job.render()).decode("utf-8")
    assert "The reports side by side" in html
    # the heading line's sub-type, the facts (the first report's actors and toll) and that report's row (its actors
    # and toll); not its date or place
    assert html.count('archive-report__flag--uncertain">uncertain</span>') == 5
    assert html.count('<span class="archive-report__flag">differs</span>') == 2  # 14 and 20: a tie, both marked
    assert "(reports differ)" in html


def synthetic(n: int, seed: int = 20) -> Index:
    """n incidents as a big archive has them: 1–3 reports each, long ids and names, two actors, most with a toll."""
    rng = random.Random(seed)
    towns = {f"town-{i}-sy": Location(f"town-{i}-sy", f"Kafr Town Number {i} al-Gharbiyeh", 33 + rng.random() * 4,
                                      36 + rng.random() * 4, "SY", admin1=f"Governorate {i % 14} Governorate") for i in range(300)}
    places = {**PLACES, **towns}
    actors = [("Islamic State", "islamic-state"), ("Israel", "israel"), ("Syria", None), ("Unidentified armed group", None),
              ("Civilians (Syria)", "syria"), ("Faylaq al-Rahman", "faylaq-al-rahman"), ("al-Neel Street", "al-neel-street")]
    kinds = [("Air/drone strike", "Explosions/Remote violence"), ("Shelling/artillery/missile attack", "Explosions/Remote violence"),
             ("Armed clash", "Battles"), ("Attack", "Violence against civilians"), ("Remote explosive/landmine/IED", "Explosions/Remote violence")]
    incidents = []
    for i in range(n):
        town = rng.choice(list(towns))
        sub, kind = rng.choice(kinds)
        date = f"20{rng.randint(12, 19)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        events = tuple(report(f"articles-{i}-{r}", r, sub=sub, kind=kind, date=date, place=town, actor1=rng.choice(actors),
                              actor2=rng.choice(actors), fatalities=rng.choice([None, rng.randint(1, 300)]), places=places)
                       for r in range(rng.randint(1, 3)))
        incidents.append(Incident(f"{date}-{towns[town].name.lower().replace(' ', '-')}-{sub.lower().replace('/', '-')}-{i}", events))
    return archive(incidents, places=places)


def test_the_index_stays_small_at_1000_incidents():
    """HTML + data under 500 KB at 1,000 incidents (the old page was 1.7 MB on a 389-article site): the page holds
    one page of the table, the data one compact row per incident. The theme's shell around the content (header,
    nav, footer: 16 KB on the fakes-dev site) is given 60 KB here."""
    index = synthetic(1000)
    html = zlib.decompress(events_index_job(index, TILES).render())
    data = index_data_json(index)
    assert len(json.loads(data)["rows"]) == 1000
    assert len(html) + len(data) + 60_000 < 500_000, (len(html), len(data))
    assert len(data) < 250 * 1000  # about 140 bytes an incident
    # The page does not grow with the archive: ten times the incidents, the same page.
    small = zlib.decompress(events_index_job(synthetic(100), TILES).render())
    assert len(html) < 1.2 * len(small)
