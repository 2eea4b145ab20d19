"""Events (builder/aggregate/events.py) and incidents (builder/aggregate/incidents.py) on small in-memory articles."""

import csv
from dataclasses import replace
import io

import pytest

from builder.aggregate import Index, Subject
from builder.aggregate.incidents import add_events, merge_incidents, same_event
from builder.aggregate.events import Event, extract_events, find_fatalities, parse_number
from builder.models import Article, Entity, Location, Mention
from builder.render.exports import EVENT_COLUMNS, events_csv

pytestmark = pytest.mark.unit

PLACES = {
    "syria": Location("syria", "Syria", 35.0, 38.0, "SY", kind="country"),
    "israel": Location("israel", "Israel", 31.5, 34.75, "IL", kind="country"),
    "iran": Location("iran", "Iran", 32.0, 53.0, "IR", kind="country"),
    "aleppo-sy": Location("aleppo-sy", "Aleppo", 36.20124, 37.16117, "SY"),
    "deir-ez-zor-sy": Location("deir-ez-zor-sy", "Deir ez-Zor", 35.33588, 40.14084, "SY"),
    "beirut-lb": Location("beirut-lb", "Beirut", 33.89, 35.49, "LB"),
    "douma-sy": Location("douma-sy", "Douma", 33.57, 36.40, "SY"),
}
ENTITIES = {"sohr": "Syrian Observatory for Human Rights", "sanad": "SANA"}
# name as written → (kind, target, rule)
NAMES = {
    "Israeli": ("location", "israel", "demonym:Israeli"), "Iranians": ("location", "iran", "demonym:Iranians"),
    "Syria": ("location", "syria", "place:Syria"), "Aleppo": ("location", "aleppo-sy", "place:Aleppo"),
    "Deir Ezzor": ("location", "deir-ez-zor-sy", "place:Deir ez-Zor"), "SOHR": ("entity", "sohr", "alias:SOHR"),
    "BEIRUT": ("location", "beirut-lb", "place:Beirut"), "Douma": ("location", "douma-sy", "place:Douma"),
}

# The seed's own sentences (articles/000_5e54e979575ccf65.txt), published 2020-05-06.
SEED_BODY = ("Alleged Israeli airstrikes targeted a research center and a military base in Syria on Monday night where "
             "Iranian militias are based, the fifth such strike in two weeks, according to Syrian media.\n\n"
             "Some 12 missiles were fired at the Syrian Scientific Studies and Research Center in Aleppo during the "
             "airstrikes, reported Al-Arabiya.\n\n"
             "Fourteen Iranians and Iran-backed militants were killed in the alleged Israeli airstrikes in Deir Ezzor "
             "last night, according to SOHR. The death toll is expected to rise as injuries were reported.")


def article(body: str, date: str | None = "2020-05-06", title: str = "A report", article_id: str = "a",
            source: str | None = "The Jerusalem Post") -> Article:
    return Article(id=article_id, title=title, body=body, original=f"{article_id}.txt", sha256="0" * 64, kind="text",
                   date=date, source=source)


def mentions_of(a: Article) -> list[Mention]:
    """Every occurrence of a name of NAMES in the body, as the resolver would give it."""
    import re

    found = []
    for written, (kind, target, rule) in NAMES.items():
        for m in re.finditer(r"\b" + re.escape(written) + r"\b", a.body):
            found.append(Mention(a.id, kind, target, m.start(), m.end(), written, "", 0, rule,
                                 sentence_start=a.body.rfind(". ", 0, m.start()) + 2 if ". " in a.body[:m.start()] else 0))
    return sorted(found, key=lambda m: m.start)


def events_of(a: Article) -> tuple[Event, ...]:
    return extract_events(a, mentions_of(a), PLACES, ENTITIES)


def test_seed_000_air_strike_on_aleppo_on_monday_night_alleged_israel():
    first = events_of(article(SEED_BODY))[0]
    assert (first.event_type, first.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert (first.date, first.time_precision) == ("2020-05-04", 1)
    assert first.location == "Aleppo" and first.geo_precision == 1
    assert (first.actor1, first.alleged) == ("Israel", True)
    assert first.main
    assert "on Monday" in first.why("date").rule and "Monday night" in first.why("date").sentence
    assert "Aleppo" in first.why("location").sentence


def test_seed_000_air_strike_in_deir_ezzor_14_killed_according_to_sohr():
    events = events_of(article(SEED_BODY))
    assert len(events) == 2
    deir = events[1]
    assert (deir.sub_event_type, deir.location, deir.date) == ("Air/drone strike", "Deir ez-Zor", "2020-05-05")
    assert (deir.fatalities_text, deir.fatalities) == ("Fourteen", 14)
    assert deir.source == "Syrian Observatory for Human Rights"
    assert deir.actor1 == "Israel" and not deir.main
    assert deir.why("fatalities").sentence.startswith("Fourteen Iranians")
    assert deir.why("date").rule.startswith("date:last night")


@pytest.mark.parametrize("phrase, expected, precision", [
    ("on Monday", "2020-05-04", 1),       # publication is a Wednesday
    ("on Wednesday", "2020-05-06", 1),    # the publication day itself
    ("on Thursday", "2020-05-07", 1),     # the day after the publication's: the stamp is a day behind
    ("last Thursday", "2020-04-30", 1),   # ... unless written "last": the week before
    ("on Friday", "2020-05-01", 1),       # any other weekday: the last one before publication
    ("last night", "2020-05-05", 1),
    ("yesterday", "2020-05-05", 1),
    ("on 12 March", "2020-03-12", 1),
    ("on December 30", "2019-12-30", 1),  # after the publication date: the year before
    ("last week", "2020-04-29", 2),
    ("earlier this month", "2020-05-06", 3),
])
def test_dates_resolve_against_the_publication_date(phrase, expected, precision):
    (ev,) = events_of(article(f"Israeli airstrikes hit Aleppo {phrase}, killing 3 people."))
    assert (ev.date, ev.time_precision) == (expected, precision)


def test_no_date_in_the_text_means_the_publication_date_and_says_so():
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo, killing 3 people."))
    assert ev.date == "2020-05-06" and "no date in the text" in ev.why("date").rule


def test_an_undated_article_gives_undated_events_even_with_a_weekday():
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo on Monday night.", date=None))
    assert ev.date is None and ev.time_precision is None and ev.why("date") is None


def test_the_date_in_the_triggers_clause_wins():
    (ev,) = events_of(article("The brigade left Aleppo on Tuesday after Israeli airstrikes hit the city last week."))
    assert (ev.date, ev.time_precision) == ("2020-04-29", 2)


@pytest.mark.parametrize("text, number", [
    ("14", 14), ("Fourteen", 14), ("twenty-one", 21), ("one hundred and five", 105), ("a dozen", 12),
    ("1,200", 1200), ("fifty three", 53),
])
def test_numbers_as_words(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("sentence, written, number", [
    ("Fourteen Iranians and Iran-backed militants were killed in the strikes.", "Fourteen", 14),
    ("The raid hit a market, killing 53 civilians including 21 children.", "53", 53),
    ("A suicide bomb blast killed at least 16 people in Hasaka.", "16", 16),
    ("The death toll rose to 61 on Tuesday.", "61", 61),
    ("Air strikes left twenty-two people dead.", "twenty-two", 22),
])
def test_fatalities_as_written_and_as_a_number(sentence, written, number):
    assert find_fatalities(sentence)[:2] == (written, number)


@pytest.mark.parametrize("sentence", [
    "The strikes killed 2019 hopes of a truce.",  # a year is not a toll
    "The army advanced 10 km.",
    "Nobody was hurt.",
])
def test_no_fatalities_where_none_are_written(sentence):
    assert find_fatalities(sentence) is None


def test_background_sentences_are_not_events():
    body = "At least five airstrikes targeting Syria have been blamed on Israel in the past two weeks."
    assert events_of(article(body)) == ()


def test_a_dateline_is_not_the_place_of_the_event():
    (ev,) = events_of(article("BEIRUT Syrian government air strikes killed four civilians in Douma on Monday."))
    assert ev.location == "Douma"


def test_the_headline_event_is_the_main_one():
    body = "Clashes broke out in Aleppo on Monday. Israeli airstrikes hit Deir Ezzor on Tuesday, killing 5 people."
    events = events_of(article(body, title="Israeli air strikes kill five in Deir Ezzor"))
    main = [e for e in events if e.main]
    assert len(main) == 1 and main[0].sub_event_type == "Air/drone strike" and main[0].location == "Deir ez-Zor"


def _event(article_id, date="2020-05-04", place="aleppo-sy", fatalities=None, sub="Air/drone strike", lat=None, lon=None):
    loc = PLACES.get(place)
    return Event(article_id, 0, "Explosions/Remote violence", sub, "airstrikes", "s", date=date, time_precision=1,
                 location_id=place, location=loc.name if loc else place, latitude=lat if lat is not None else loc.lat,
                 longitude=lon if lon is not None else loc.lon, geo_precision=1, fatalities=fatalities,
                 fatalities_text=None if fatalities is None else str(fatalities))


def test_reports_of_the_same_event_merge_and_keep_each_figure():
    incidents = merge_incidents([_event("a", fatalities=14), _event("b", "2020-05-05", fatalities=16),
                                 _event("c", place="deir-ez-zor-sy")])
    assert len(incidents) == 2
    aleppo = next(i for i in incidents if i.lead.location == "Aleppo")
    assert aleppo.article_ids == ["a", "b"]
    assert aleppo.figures == [("a", 14), ("b", 16)] and aleppo.fatalities_range == (14, 16)


def test_nearby_places_merge_far_ones_and_other_days_do_not():
    near = _event("b", place="x", lat=36.25, lon=37.16)  # ~5 km from Aleppo's point
    far = _event("c", place="y", lat=36.5, lon=37.16)  # ~33 km
    assert same_event(_event("a"), near) and not same_event(_event("a"), far)
    assert not same_event(_event("a"), _event("d", date="2020-05-07"))
    assert not same_event(_event("a"), _event("e", date=None))
    assert not same_event(_event("a"), replace_type(_event("f")))
    # one city, one day, both Explosions/Remote violence: an air strike and a shelling are two events
    from dataclasses import replace

    assert not same_event(_event("a"), replace(_event("g"), sub_event_type="Shelling/artillery/missile attack"))


def test_a_toll_is_not_taken_from_a_next_sentence_about_the_war_or_another_event():
    war = "Syrian airstrikes hit Aleppo on Monday. More than 400000 people have been killed since the conflict began in 2011."
    assert events_of(article(war))[0].fatalities is None
    told = "Syrian airstrikes hit Aleppo on Monday. Fourteen people were killed, SOHR said."
    assert events_of(article(told))[0].fatalities == 14


def test_reports_merge_only_on_evidence_of_one_event():
    from dataclasses import replace

    assert same_event(_event("a", fatalities=20), _event("b", fatalities=61))  # a toll that rose
    assert not same_event(_event("a", fatalities=15), _event("b", fatalities=160))
    region = replace(_event("b"), geo_precision=3)  # "in Idlib province": many events a day
    assert not same_event(replace(_event("a"), geo_precision=3), region)
    village = replace(_event("b"), location_id="unmapped-tall-tawil", geo_precision=2)  # lacking: at Aleppo's point
    assert same_event(replace(village, article_id="a"), village) and not same_event(_event("a"), village)


def replace_type(ev: Event) -> Event:
    from dataclasses import replace

    return replace(ev, event_type="Battles", sub_event_type="Armed clash")


def test_events_csv_has_acleds_columns_and_one_row_per_incident():
    a = article(SEED_BODY)
    index = Index(articles=[a], problems=[], inputs=1)
    index = replace(index, mentions_by_article={a.id: mentions_of(a)})
    index = replace(index, locations={i: Subject(i, "location", loc) for i, loc in PLACES.items()})
    index = replace(index, entities={i: Subject(i, "entity", Entity(i, name, "organisation")) for i, name in ENTITIES.items()})
    index = add_events(index)
    rows = list(csv.DictReader(io.StringIO(events_csv(index))))
    assert list(rows[0]) == EVENT_COLUMNS
    assert EVENT_COLUMNS[:14] == ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                                  "actor2", "location", "latitude", "longitude", "geo_precision", "fatalities",
                                  "source", "notes"]
    by_place = {r["location"]: r for r in rows}
    assert by_place["Deir ez-Zor"]["fatalities"] == "14" and by_place["Deir ez-Zor"]["event_date"] == "2020-05-05"
    assert by_place["Aleppo"]["event_date"] == "2020-05-04" and by_place["Aleppo"]["main"] == "true"
    assert "alleged" in by_place["Aleppo"]["notes"] and by_place["Aleppo"]["article_ids"] == "a"
    assert "date=date:weekday" in by_place["Aleppo"]["rule"]


def test_the_previous_day_leans_on_the_date_beside_it():
    (ev,) = events_of(article("A monitor on Tuesday raised the toll from airstrikes on Aleppo in the north of the country the previous day."))
    assert ev.date == "2020-05-04" and "previous day" in ev.why("date").rule


def test_a_possessive_weekday_written_without_apostrophe():
    (ev,) = events_of(article("The group claimed Tuesdays car bomb in Aleppo."))
    assert ev.date == "2020-05-05"


def test_a_place_abroad_gives_way_to_the_articles_own_country():
    body = "Douma was calm on Sunday. BEIRUT Syrian government air strikes killed four civilians on Monday."
    events = events_of(article(body))
    assert [e.location for e in events] == ["Douma"]


def test_the_injured_are_not_counted_as_killed():
    assert find_fatalities("3 Civilians Killed 38 Injured in Rocket Attacks")[:2] == ("3", 3)


def test_a_reporter_is_neither_attacker_nor_target():
    (ev,) = events_of(article("SOHR said Israeli airstrikes hit Aleppo on Monday, SOHR reported."))
    assert ev.actor1 == "Israel" and ev.actor2 is None and ev.source == "Syrian Observatory for Human Rights"


def test_the_headline_place_picks_which_body_event_is_main():
    body = "Israeli airstrikes hit Aleppo on Monday. Israeli airstrikes hit Deir Ezzor on Tuesday, killing 5 people."
    events = events_of(article(body, title="Airstrikes kill five in Deir Ezzor"))
    assert [(e.location, e.main) for e in events] == [("Deir ez-Zor", True), ("Aleppo", False)]
    assert events[0].why("event_type").sentence == "Airstrikes kill five in Deir Ezzor"


def test_an_undated_article_still_takes_a_date_written_in_full():
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo on 12 March 2019 and again on Monday.", date=None))
    assert ev.date == "2019-03-12" and ev.why("date").rule == "date:day month 'on 12 March 2019'"


def test_a_sentence_about_an_earlier_year_is_background():
    assert events_of(article("Regime forces retook Aleppo after a ferocious assault in 2016.")) == ()
    (ev,) = events_of(article("Regime forces shelled Aleppo in 2020, killing 4."))
    assert ev.location == "Aleppo"


def seed_index() -> Index:
    a = article(SEED_BODY)
    index = Index(articles=[a], problems=[], inputs=1)
    index = replace(index, mentions_by_article={a.id: mentions_of(a)})
    index = replace(index, locations={i: Subject(i, "location", loc) for i, loc in PLACES.items()})
    index = replace(index, entities={i: Subject(i, "entity", Entity(i, name, "organisation")) for i, name in ENTITIES.items()})
    return index


def test_events_are_kept_in_the_build_cache_and_come_back_equal(tmp_path):
    from builder.cache import BuildCache

    cold = BuildCache(tmp_path)
    first = seed_index()
    first = add_events(first, cold.table("events"))
    cold.save()
    warm = BuildCache(tmp_path)
    again = seed_index()
    again = add_events(again, warm.table("events"))
    assert warm.hits == 1 and warm.misses == 0
    assert again.events == first.events and isinstance(again.events["a"][0].evidence, tuple)
    changed = seed_index()
    changed = replace(changed, articles=[replace(changed.articles[0], body=changed.articles[0].body.replace("Fourteen", "Fifteen"))])
    changed = add_events(changed, warm.table("events"))
    assert warm.misses == 1 and changed.events["a"][1].fatalities == 15


def test_the_agency_of_a_dateline_is_not_the_attacker():
    ENTITIES["sputnik"] = "Sputnik"
    NAMES["Sputnik"] = ("entity", "sputnik", "alias:Sputnik")
    try:
        (ev,) = events_of(article("MOSCOW (Sputnik) Over 30 people were killed in an airstrike on Aleppo on Monday."))
    finally:
        del ENTITIES["sputnik"], NAMES["Sputnik"]
    # never the agency; an air strike in Syria attributed to no one is the Syrian air force's (events-gold.md §6)
    assert ev.actor1 == "Syria" and ev.location == "Aleppo"


def test_a_country_named_as_the_place_is_not_an_actor():
    (ev,) = events_of(article("Israeli airstrikes targeted a base in Syria on Monday night."))
    assert (ev.actor1, ev.actor2) == ("Israel", None)


def test_a_town_from_the_next_sentences_must_lie_in_the_governorate_the_event_sentence_names():
    governorate = Location("dz-gov", "Deir ez-Zor Governorate", 35.2, 40.2, "SY", kind="region",
                           admin1="Deir ez-Zor Governorate", admin1_id="dz-gov")
    places = {**PLACES, "dz-gov": governorate,
              "haffah-sy": Location("haffah-sy", "Al Haffah", 35.6, 36.03, "SY", admin1="Latakia Governorate",
                                    admin1_id="lt-gov"),
              "mayadin-sy": Location("mayadin-sy", "Mayadin", 35.02, 40.45, "SY", admin1="Deir ez-Zor Governorate",
                                     admin1_id="dz-gov")}
    names = {"Deir ez-Zor province": ("location", "dz-gov", "place:Deir ez-Zor Governorate"),
             "Al-Shafah": ("location", "haffah-sy", "model:LOC+spelling"), "Mayadin": ("location", "mayadin-sy", "place:Mayadin")}

    def event_of(body: str) -> Event:
        import re

        a = article(body)
        found = [Mention(a.id, kind, target, m.start(), m.end(), written, "", 0, rule,
                         sentence_start=a.body.rfind(". ", 0, m.start()) + 2 if ". " in a.body[:m.start()] else 0)
                 for written, (kind, target, rule) in names.items()
                 for m in re.finditer(r"\b" + re.escape(written) + r"\b", a.body)]
        (ev,) = extract_events(a, sorted(found, key=lambda m: m.start), places, ENTITIES)
        return ev

    lead = "Russian air strikes on Sunday killed 34 civilians in a village in Deir ez-Zor province. "
    # a village of another governorate (here a wrong spelling match) is not where the strike was
    elsewhere = event_of(lead + "The village of Al-Shafah lies on the river.")
    assert (elsewhere.location, elsewhere.admin1) == ("Deir ez-Zor Governorate", "Deir ez-Zor Governorate")
    inside = event_of(lead + "The village near Mayadin lies on the river.")
    assert (inside.location, inside.admin1, inside.why("location").rule) == (
        "Mayadin", "Deir ez-Zor Governorate", "place:most specific in the next sentences")


def test_a_date_that_starts_a_period_is_not_the_events_date():
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo, killing 3 people, the deadliest since 21 April."))
    assert ev.date == "2020-05-06" and "no date in the text" in ev.why("date").rule
    # a tally over the period is no event at all (events-gold.md §2)
    assert not events_of(article("More than 520 US airstrikes on Aleppo since 21 May have killed 229 civilians."))
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo on 21 April, killing 3 people."))
    assert ev.date == "2020-04-21"


def test_the_headline_says_which_country_the_article_is_about():
    # the body names a place of Lebanon and one of Syria once each; the headline says it is about Syria
    body = ("The YPG killed 17 Turkish servicemen near BEIRUT, Kurdish media reported. "
            "It also destroyed a carrier in Syria near Douma.")
    (ev,) = events_of(article(body, title="Kurdish fighters kill 17 Turkish soldiers in north Syria"))
    assert ev.location == "Douma"
    (ev,) = events_of(article(body, title="Kurdish fighters kill 17 Turkish soldiers"))
    assert ev.location == "Beirut"


@pytest.mark.parametrize("sentence", [
    "Aleppo has been devastated by the civil war that began with protests and has since killed more than 300000 people.",
    "More than 170000 people have been killed in Syrias civil war which pits rebels against Assad.",
    "September was the deadliest month for Syrians this year with the ongoing war killing at least 3000 people in Aleppo.",
    "Jihadists flocked to Syria where upwards of 162000 people have been killed in more than three years of war.",
])
def test_the_wars_toll_is_not_an_event(sentence):
    assert events_of(article(sentence)) == ()


@pytest.mark.parametrize("sentence", [
    "A war monitor said airstrikes killed 20 civilians in Aleppo.",
    "Fighting in the war-torn country killed 30 people in Aleppo on Monday.",
    "The Observatory, which tracks the war, said strikes killed 12 people in Aleppo.",
    "The worst airstrike on Aleppo in two years killed 30 people on Monday.",
])
def test_an_event_told_beside_the_word_war_is_still_an_event(sentence):
    assert len(events_of(article(sentence))) == 1


def test_a_figure_before_another_figure_is_not_the_toll():
    # Sputnik's share counter ("Get short URL 1195") before the sentence's own figure
    assert find_fatalities("28.04.2017Get short URL 1195 Over 100 militants were killed in clashes")[:2] == ("100", 100)


@pytest.mark.parametrize("sentence", [
    "Aleppo has regularly been targeted by Syrian government air strikes.",
    "Bombardment by regime forces on rebel-held areas of Aleppo continues unabated.",
    "Syrian government air strikes on towns across the country killed at least 44 people on Monday.",
    "They are backed by air strikes launched by the US-led coalition in Aleppo.",
    "UN inspectors will visit the sites of the chemical attack near Aleppo.",
    "Hundreds of civilians have been killed during a rebel offensive on the province of Aleppo.",
])
def test_a_pattern_a_campaign_or_diplomacy_is_not_an_event(sentence):
    assert events_of(article(sentence)) == ()


def test_a_town_beats_the_city_its_governorate_is_named_after():
    import re

    places = {**PLACES,
              "idlib-sy": Location("idlib-sy", "Idlib", 35.93, 36.63, "SY", admin1="Idlib Governorate", admin1_id="idlib-gov"),
              "ariha-sy": Location("ariha-sy", "Ariha", 35.81, 36.61, "SY", admin1="Idlib Governorate", admin1_id="idlib-gov")}

    def event_of(body: str, title: str) -> Event:
        a = article(body, title=title)
        found = [Mention(a.id, "location", target, m.start(), m.end(), name, "", 0, f"place:{name}", sentence_start=0)
                 for name, target in (("Idlib", "idlib-sy"), ("Ariha", "ariha-sy"))
                 for m in re.finditer(r"\b" + name + r"\b", a.body)]
        return next(e for e in extract_events(a, sorted(found, key=lambda m: m.start), places, ENTITIES) if e.main)

    # "Idlib" names the province here: the event was in Ariha, in the sentence or the next one
    assert event_of("A bomb exploded in a mosque in Ariha in Idlib on Friday, killing 25.", "A report").location == "Ariha"
    told = event_of("Twin car bombs in Idlib province killed 18 on Wednesday. The blasts hit the centre of Ariha.",
                    "Blasts in Idlib kill 18")
    assert (told.location, told.date, told.fatalities) == ("Ariha", "2020-05-06", 18)


def test_a_news_agency_or_monitor_is_not_an_actor():
    # not followed by "said": only its being a known monitor (data/sources.yml) keeps it out
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo on Monday killing 3 a SOHR correspondent in the city saw."))
    assert ev.actor1 == "Israel" and ev.actor2 is None


@pytest.mark.parametrize("sentence, actor", [
    ("Regime warplanes struck Aleppo on Monday killing 3 civilians.", "Syria"),
    ("Barrel bombs dropped by government helicopters hit Aleppo on Monday.", "Syria"),
    ("Israeli airstrikes on government forces in Aleppo killed 3 on Monday.", "Israel"),  # the target, not the attacker
    ("Rocket shells fired by terrorists on residential areas of Aleppo killed 5 civilians.", "Unidentified armed group"),
    ("Rebel shelling of western Aleppo killed 5 civilians on Monday.", "Syrian rebels"),
    ("Airstrikes on Aleppo killed 5 civilians and eight rebels on Monday.", "Syria"),  # unattributed, in Syria (§6)
    ("Rebels said regime airstrikes on Aleppo killed 5 civilians on Monday.", "Syria"),  # the nearer description
    ("70 militants killed in clashes with the army in Aleppo on Monday.", None),  # counted victims
    ("Israeli warplanes bombed rebel-held areas of Aleppo on Monday.", "Israel"),
])
def test_an_attacker_only_described_is_named(sentence, actor):
    (ev,) = events_of(article(sentence))
    assert ev.actor1 == actor


def test_a_village_the_gazetteer_lacks_is_named_at_the_known_places_coordinates():
    import re

    places = {**PLACES, "hasakah-gov": Location("hasakah-gov", "Hasakah Governorate", 36.5, 40.8, "SY", kind="region",
                                                admin1="Hasakah Governorate", admin1_id="hasakah-gov"),
              "unmapped-tall-tawil": Location("unmapped-tall-tawil", "Tall Tawil", None, None, None)}
    names = {"Hasakah province": "hasakah-gov", "Tall Tawil": "unmapped-tall-tawil"}

    def event_of(body: str) -> Event:
        a = article(body)
        found = [Mention(a.id, "location", target, m.start(), m.end(), name, "", 0, "model:GPE",
                         sentence_start=a.body.rfind(". ", 0, m.start()) + 2 if ". " in a.body[:m.start()] else 0)
                 for name, target in names.items() for m in re.finditer(r"\b" + name + r"\b", a.body)]
        return next(e for e in extract_events(a, sorted(found, key=lambda m: m.start), places, ENTITIES) if e.main)

    ev = event_of("A suicide bomber killed 22 people on Monday in Hasakah province. The blast hit a hall in Tall Tawil village.")
    assert (ev.location, ev.latitude, ev.geo_precision, ev.admin1) == ("Tall Tawil", 36.5, 2, "Hasakah Governorate")
    assert "not in the gazetteer" in ev.why("location").rule
    # named, but not as a place: the governorate stays
    ev = event_of("A suicide bomber killed 22 people on Monday in Hasakah province. Tall Tawil said it was grim.")
    assert ev.location == "Hasakah Governorate"


def test_a_city_named_as_its_province_is_the_governorate():
    import re

    places = {**PLACES, "hasakah-sy": Location("hasakah-sy", "Hasakah", 36.5, 40.75, "SY", admin1="Hasakah Governorate",
                                               admin1_id="hasakah-gov")}

    def event_of(body: str) -> Event:
        a = article(body)
        found = [Mention(a.id, "location", "hasakah-sy", m.start(), m.end(), "Hassakeh", "", 0, "place:Hasakah")
                 for m in re.finditer(r"\bHassakeh\b", a.body)]
        (ev,) = extract_events(a, found, places, ENTITIES)
        return ev

    province = event_of("A suicide bomber killed 22 people on Monday in the northeastern province of Hassakeh.")
    assert (province.location, province.location_id, province.geo_precision, province.latitude) == (
        "Hasakah Governorate", "hasakah-gov", 3, 36.5)
    assert event_of("A suicide bomber killed 22 people on Monday in the city of Hassakeh.").location == "Hasakah"


def test_the_headlines_toll_when_the_body_gives_none():
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo on Monday, SOHR said.", title="Israeli strikes kill 12 in Aleppo"))
    assert (ev.fatalities, ev.why("fatalities").rule) == (12, "fatalities:killing NUM (the headline)")
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo on Monday killing 14.", title="Israeli strikes kill 12 in Aleppo"))
    assert ev.fatalities == 14  # the body's own figure first


def test_civilians_are_the_other_party_and_a_country_only_as_an_armed_party():
    (ev,) = events_of(article("Israeli airstrikes on Aleppo killed 12 civilians on Monday."))
    assert (ev.actor1, ev.actor2, ev.why("actor2").rule) == ("Israel", "Civilians (Syria)", "actor2:civilians ('civilians')")
    (ev,) = events_of(article("Israeli airstrikes hit Aleppo on Monday killing 3, Syria said."))
    assert ev.actor2 is None
    (ev,) = events_of(article("Israeli airstrikes on Iranians positions in Aleppo killed 3 on Monday."))
    assert ev.actor2 == "Iran"


def test_a_described_states_forces_link_to_the_country():
    (ev,) = events_of(article("Regime warplanes struck Aleppo on Monday killing 3 civilians."))
    assert (ev.actor1, ev.actor1_id) == ("Syria", "syria") and ev.why("actor1").rule == "actor1:described as 'Regime warplanes'"


def test_the_dateline_does_not_date_the_event():
    (ev,) = events_of(article("May 6 2020 A car bomb killed 20 civilians in Aleppo on Friday evening."))
    assert ev.date == "2020-05-01"


def test_a_photo_caption_is_not_an_event():
    assert events_of(article("People inspect the damage at a market in Aleppo hit by air strikes on June 5 2016.")) == ()


def test_a_coming_date_does_not_date_the_event():
    (ev,) = events_of(article("A visit scheduled for May 10 was cancelled after the chemical attack on Aleppo."))
    assert ev.date == "2020-05-06" and "no date in the text" in ev.why("date").rule


@pytest.mark.parametrize("body, kind, target, name", [
    # read as an organisation by the model
    ("Rockets hit Aleppo on Monday killing 3 civilians in al-Aziziyeh neighborhood.", "entity", "al-aziziyeh", "al-Aziziyeh"),
    # a namesake abroad: the Iraqi city
    ("Shelling of the Sulaymaniyah neighborhood of Aleppo killed 3 civilians on Monday, Aleppo police said.", "location",
     "beirut-lb", "Sulaymaniyah"),
])
def test_a_quarter_read_as_something_else_still_names_the_event(body, kind, target, name):
    a = article(body)
    at = body.index(name)
    found = sorted(mentions_of(a) + [Mention(a.id, kind, target, at, at + len(name), name, "", 0, "model:ORG")],
                   key=lambda m: m.start)
    ev = next(e for e in extract_events(a, found, {**PLACES, "aleppo-sy": Location(
        "aleppo-sy", "Aleppo", 36.2, 37.16, "SY", admin1="Aleppo Governorate", admin1_id="aleppo-gov")}, ENTITIES) if e.main)
    assert (ev.location, ev.geo_precision, ev.latitude) == (name, 2, 36.2)


def test_the_group_that_claimed_the_attack_is_its_attacker():
    body = "A car bomb killed 20 people in Aleppo on Monday. Islamic State claimed responsibility for it."
    a = article(body)
    at = body.index("Islamic State")
    claim = Mention(a.id, "entity", "islamic-state", at, at + 13, "Islamic State", "", 0, "registry",
                    sentence_start=body.index("Islamic"))
    (ev,) = extract_events(a, sorted(mentions_of(a) + [claim], key=lambda m: m.start), PLACES,
                           {**ENTITIES, "islamic-state": "Islamic State"})
    assert (ev.actor1, ev.actor1_id, ev.why("actor1").rule) == ("Islamic State", "islamic-state", "actor1:claimed the attack")


def test_the_target_inside_the_trigger_is_not_the_attacker():
    (ev,) = events_of(article("The army killed 120 militants near Aleppo on Monday."))
    assert ev.actor1 != "Unidentified armed group"


@pytest.mark.parametrize("sentence, events", [
    ("Cable firms in Aleppo launched video on demand as the battle between satellite and cable heats up.", 0),
    # (each sentence is the whole article here: an article about armed conflict lets weaker words through)
    ("Barcelona went down in Aleppo to strikes from Rivaldo and Figo on Monday.", 0),
    ("I had a good game plan in Aleppo and I executed it perfectly.", 0),
    ("Fierce fighting between rebels and the army in Aleppo on Monday.", 1),
    ("Islamic State executed 12 men in Aleppo on Monday.", 1),
])
def test_a_word_news_uses_for_other_things_makes_an_event_only_among_arms(sentence, events):
    assert len(events_of(article(sentence))) == events


def test_in_an_article_about_armed_conflict_a_weaker_word_stands_alone():
    body = ("Rebels and the army fought near Aleppo, and airstrikes killed 20 civilians on Monday. "
            "Later the fighting moved to Douma on Tuesday.")
    assert [e.location for e in events_of(article(body))] == ["Aleppo", "Douma"]


# ─── actors by ACLED's conventions (events-gold.md §3, §6) ──────────────────────────────────────────────


def test_a_bombing_attributed_to_no_one_is_an_unidentified_armed_group():
    first = events_of(article("A car bomb exploded in Aleppo on Monday, killing six people."))[0]
    assert first.sub_event_type == "Remote explosive/landmine/IED"
    assert first.actor1 == "Unidentified armed group" and "attributed to no one" in first.why("actor1").rule


def test_an_air_strike_attributed_to_no_one_is_the_syrian_air_forces_in_syria_only():
    first = events_of(article("An air strike hit a market in Aleppo on Monday, killing six people."))[0]
    assert first.actor1 == "Syria"  # events-gold.md §6: unattributed warplanes in Syria are Syria
    NAMES["Beirut"] = ("location", "beirut-lb", "place:Beirut")
    try:
        elsewhere = events_of(article("An air strike hit a market in Beirut on Monday, killing six people."))[0]
    finally:
        NAMES["Beirut"] = ("location", "beirut-lb", "place:Beirut")
    assert elsewhere.location == "Beirut" and elsewhere.actor1 is None


def test_barrel_bombs_and_the_regimes_air_force_are_syria():
    barrels = events_of(article("Barrel bombs killed six people in Aleppo on Monday."))[0]
    assert barrels.actor1 == "Syria"
    raids = events_of(article("Syrian air force raids killed six people in Aleppo on Monday."))[0]
    assert raids.actor1 == "Syria"


def test_the_international_coalition_is_the_us_led_coalition():
    first = events_of(article("Six people were killed in Aleppo on Monday in a bombing carried out by the "
                              "international coalition."))[0]
    assert first.actor1 == "US-led coalition"


def test_a_headline_saying_only_who_died_tells_the_bodys_event_of_another_type():
    a = article("Air raids on Aleppo killed at least 10 people including seven children on Friday.",
                title="Seven children killed in Aleppo")
    found = events_of(a)
    main = next(e for e in found if e.main)
    assert (main.event_type, main.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert len(found) == 1


def test_a_chemical_agent_makes_a_chemical_attack_and_barrel_bombs_name_the_regime_anywhere():
    first = events_of(article("At least four people died when gas believed to be chlorine was dropped alongside "
                              "barrel bombs on a neighbourhood of Aleppo on Monday."))[0]
    assert first.sub_event_type == "Chemical weapon" and first.actor1 == "Syria"
