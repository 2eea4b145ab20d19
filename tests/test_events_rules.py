"""Events (issue 20, item 3): one rule per test, on small in-memory articles (helpers from tests/test_events.py)."""

import pytest

from builder.aggregate.events import extract_events
from builder.models import Location
from test_events import ENTITIES, NAMES, PLACES, article, mentions_of

pytestmark = pytest.mark.unit

GOV = Location("idlib-governorate-sy", "Idlib Governorate", 35.8, 36.6, "SY", kind="region",
               admin1="Idlib Governorate", admin1_id="idlib-governorate-sy")
TOWN = Location("khan-shaykhun-sy", "Khan Shaykhun", 35.44, 36.65, "SY", admin1="Idlib Governorate",
                admin1_id="idlib-governorate-sy")
MORE_PLACES = {**PLACES, GOV.id: GOV, TOWN.id: TOWN}
MORE_NAMES = {"Idlib province": ("location", GOV.id, "place:Idlib province"),
              "Khan Sheikhoun": ("location", TOWN.id, "place:Khan Sheikhoun")}


def events(a, places=MORE_PLACES):
    NAMES.update(MORE_NAMES)
    try:
        return extract_events(a, mentions_of(a), places, ENTITIES)
    finally:
        for k in MORE_NAMES:
            NAMES.pop(k, None)


def test_headline_glued_to_the_first_sentence_is_cut_off():
    # "Posted on … by <author> <headline> <first sentence>": the byline's names are no actors, the stamp no date
    title = "Gas Attack Kills Dozens In Syria"
    a = article(f"Posted on May 6 2020 by Israeli Reporter {title} Chemical attack on Aleppo on Monday killed 5 people.",
                title=title)
    ev = events(a)[0]
    assert ev.actor1 is None and ev.date == "2020-05-04" and ev.location == "Aleppo"


def test_a_governorate_and_a_town_in_it_on_one_day_are_one_event():
    a = article("A chemical attack killed 58 people in Idlib province on Monday.\n\n"
                "The chemical attack hit Khan Sheikhoun on Monday, witnesses said.")
    (ev,) = events(a)
    assert ev.location == "Khan Shaykhun" and ev.fatalities == 58 and ev.date == "2020-05-04"


def test_a_country_leading_a_coalition_after_by_is_the_coalition():
    NAMES["US"] = ("location", "united-states", "place:US")
    places = {**MORE_PLACES, "united-states": Location("united-states", "United States", 39.0, -98.0, "US", kind="country")}
    try:
        (ev,) = events(article("At least 15 civilians were killed in air strikes by US-led coalition in Aleppo on Monday."), places)
    finally:
        NAMES.pop("US")
    assert ev.actor1 == "US-led coalition"


def test_who_holds_the_place_is_not_whom_the_strike_hit():
    NAMES["Islamic State"] = ("entity", "is", "alias:Islamic State")
    try:
        a = article("Israeli airstrikes hit the Islamic State-held town of Aleppo on Monday, killing 3.")
        (ev,) = extract_events(a, mentions_of(a), PLACES, {**ENTITIES, "is": "Islamic State"})
    finally:
        NAMES.pop("Islamic State")
    assert ev.actor1 == "Israel" and ev.actor2 is None


def test_a_demonym_before_border_is_a_place_not_an_actor():
    (ev,) = events(article("Shelling near the Israeli border hit Aleppo on Monday, killing 3 soldiers."))
    assert ev.actor1 != "Israel"


def test_the_headline_names_the_attacker_the_body_only_describes_the_strike():
    a = article("Airstrikes hit Aleppo on Monday, killing 7 people.", title="Seven killed in regime strikes on Aleppo")
    assert events(a)[0].actor1 == "Syria"


@pytest.mark.parametrize("sentence, toll", [
    ("Fifteen civilians among them 11 children were killed in a barrel bomb attack on Aleppo.", 15),
    ("At least 20 people including 7 children were killed in the raid.", 20),
    ("The raid killed 53 civilians including 21 children.", 53),
])
def test_a_sub_group_is_not_the_toll(sentence, toll):
    from builder.aggregate.events import find_fatalities
    assert find_fatalities(sentence)[1] == toll


def test_the_attack_told_again_joins_the_event_already_told():
    a = article("Israeli airstrikes hit Aleppo on Monday, killing 3 people.\n\n"
                "The attack also destroyed a bakery in the old city.")
    (ev,) = events(a)
    assert ev.date == "2020-05-04" and ev.fatalities == 3


@pytest.mark.parametrize("recall", [
    "In March airstrikes hit Aleppo, killing 30 people.",                    # a month named, no day (article of May)
    "Aleppo had previously come under rocket fire.",
    "Since Saturday at least 68 civilians have been killed in airstrikes on Aleppo.",
])
def test_a_recall_is_background_not_an_event(recall):
    assert events(article("Israeli airstrikes hit Douma on Monday, killing 3 people.\n\n" + recall))[-1].location == "Douma"
    assert len(events(article("Israeli airstrikes hit Douma on Monday, killing 3 people.\n\n" + recall))) == 1


def test_a_recall_with_a_day_of_its_own_is_an_event():
    a = article("Israeli airstrikes hit Douma on Monday.\n\n"
                "Clashes in Aleppo raged on Sunday, the monitor said, which has documented shelling since early April.")
    assert len(events(a)) == 2


@pytest.mark.parametrize("sentence, sub", [
    ("The army also took villages near Aleppo on Monday, the monitor said.", "Government regains territory"),
    ("Rebels seized Aleppo on Monday after heavy clashes with troops.", "Non-state actor overtakes territory"),
    ("Aleppo fell to Islamic State militants on Monday.", "Non-state actor overtakes territory"),
    ("Clashes raged in Aleppo on Monday between troops and rebels.", "Armed clash"),
])
def test_a_place_taken_is_a_territory_change_by_its_taker(sentence, sub):
    (ev,) = events(article(sentence))
    assert (ev.event_type, ev.sub_event_type) == ("Battles", sub)


def test_people_taken_to_a_place_are_no_territory_change():
    assert not events(article("Hundreds of evacuees were taken to Aleppo on Monday."))


@pytest.mark.parametrize("sentence, sub", [
    # soldiers captured is no place taken; the place the sentence says was overrun is, by its taker
    ("Syrian soldiers captured while fleeing after Islamic State militants overran Aleppo on Monday were executed.",
     "Non-state actor overtakes territory"),
    ("Rebels captured two soldiers near Aleppo on Monday in heavy clashes.", "Armed clash"),
])
def test_people_captured_are_no_place_taken(sentence, sub):
    (ev,) = events(article(sentence))
    assert (ev.event_type, ev.sub_event_type) == ("Battles", sub)


def test_the_report_day_gives_way_to_the_events_own_day():
    a = article("Rebels on Tuesday claimed that Israeli airstrikes hit Aleppo, killing 1 fighter.\n\n"
                "They said several overnight raids hit Aleppo.")   # published Wednesday 2020-05-06
    ev = events(a)[0]
    assert ev.date == "2020-05-05" and ev.fatalities == 1


def test_the_report_day_alone_dates_the_event():
    (ev,) = events(article("Israeli airstrikes hit Aleppo, killing 3 people, the monitor said on Monday."))
    assert ev.date == "2020-05-04" and "the report's day" in ev.why("date").rule


def test_a_bombing_claimed_elsewhere_in_the_article_is_the_claimants():
    NAMES["Islamic State"] = ("entity", "is", "alias:Islamic State")
    try:
        a = article("A suicide bomber blew himself up in Aleppo on Monday, killing 16 people.\n\n"
                    "Kurdish forces sealed off the city.\n\nThe Islamic State group claimed responsibility for the attack.")
        ev = extract_events(a, mentions_of(a), PLACES, {**ENTITIES, "is": "Islamic State"})[0]
    finally:
        NAMES.pop("Islamic State")
    assert (ev.actor1, ev.alleged) == ("Islamic State", False)


def test_an_unclaimed_bombing_blamed_on_a_group_is_alleged():
    NAMES["Islamic State"] = ("entity", "is", "alias:Islamic State")
    try:
        a = article("An explosion at a mosque in Aleppo on Monday killed 25 fighters.\n\n"
                    "No group claimed it but the fighters blamed rival Islamic State militants.")
        ev = extract_events(a, mentions_of(a), PLACES, {**ENTITIES, "is": "Islamic State"})[0]
    finally:
        NAMES.pop("Islamic State")
    assert (ev.actor1, ev.alleged) == ("Islamic State", True)


def test_the_city_a_province_is_named_after_and_a_town_in_it_on_one_day_are_one_event():
    idlib = Location("idlib-sy", "Idlib", 35.93, 36.63, "SY", admin1="Idlib Governorate", admin1_id=GOV.id)
    NAMES["Idlib"] = ("location", "idlib-sy", "place:Idlib")
    try:
        (ev,) = events(article("A chemical attack killed 58 people in Idlib on Monday.\n\n"
                               "Witnesses said the chemical attack hit Khan Sheikhoun on Monday."), {**MORE_PLACES, idlib.id: idlib})
    finally:
        NAMES.pop("Idlib")
    assert ev.location == "Khan Shaykhun" and ev.fatalities == 58


def test_an_unattributed_air_strike_in_syria_is_the_syrian_air_forces():
    (ev,) = events(article("Air strikes hit Aleppo on Monday, killing 10 civilians, the Britain-based monitor said."))
    assert ev.actor1 == "Syria"


def test_an_unattributed_air_strike_stays_unattributed_when_another_air_force_is_named():
    a = article("Air strikes hit Aleppo on Monday, killing 10 civilians.\n\nRussian warplanes have been active in the area.")
    assert events(a)[0].actor1 is None


needs_parser = pytest.mark.skipif(__import__("builder.aggregate.events", fromlist=["_parser"])._parser() is None,
                                  reason="no spaCy model with a parser installed")


@needs_parser
@pytest.mark.parametrize("sentence, actor", [
    ("The army also took villages near Aleppo on Monday.", "Syria"),                 # the subject of the verb
    ("Two children were killed by rebels in Aleppo on Monday.", "Syrian rebels"),    # the agent of a passive
])
def test_the_dependency_parse_finds_the_agent_no_rule_named(sentence, actor):
    (ev,) = events(article(sentence))
    assert ev.actor1 == actor and "dependency parse" in ev.why("actor1").rule


@needs_parser
def test_the_victims_are_not_the_agent():
    (ev,) = events(article("Two children were killed in Aleppo on Monday."))
    assert ev.actor1 is None or "dependency parse" not in ev.why("actor1").rule


def test_each_field_with_a_value_carries_the_measured_precision_of_its_rule():
    from builder.aggregate.events import CONFIDENCE_COLUMNS, confidence_cells, load_confidence, rule_family

    (ev,) = events(article("Israeli airstrikes hit Aleppo on Monday, killing 3 people."))
    conf = ev.confidence
    assert set(conf) == {"event_type", "sub_event_type", "date", "location", "actor1", "fatalities"}  # no actor2
    assert all(0.0 <= v <= 1.0 for v in conf.values())
    measured = load_confidence()
    rule = measured["date"]["rules"].get(rule_family(ev.why("date").rule))
    assert conf["date"] == (rule["precision"] if rule else measured["date"]["precision"])
    assert len(confidence_cells(conf)) == len(CONFIDENCE_COLUMNS) and confidence_cells(conf)[5] == ""


@pytest.mark.parametrize("rule, family", [
    ("date:weekday 'on Monday' before publication 2020-05-06", "date:weekday before publication"),
    ("place:most specific in the next sentences, 'Idlib' named as its province", "place:most specific in the next sentences"),
    ("fatalities:killing NUM (the headline)", "fatalities:killing NUM (the headline)"),
])
def test_a_rule_is_measured_by_its_family(rule, family):
    from builder.aggregate.events import rule_family
    assert rule_family(rule) == family


def test_an_incident_takes_the_confidence_of_the_report_it_shows():
    from builder.aggregate.incidents import merge_incidents

    (ev,) = events(article("Israeli airstrikes hit Aleppo on Monday, killing 3 people."))
    (incident,) = merge_incidents([ev])
    assert incident.confidence == ev.confidence


@pytest.mark.parametrize("victims", ["activists", "civil defence workers", "mourners", "evacuees"])
def test_named_non_combatant_victims_are_civilians(victims):
    (ev,) = events(article(f"An air strike killed eight {victims} in Aleppo on Monday."))
    assert ev.actor2 == "Civilians (Syria)"


def test_the_lowest_figure_for_all_the_dead_of_one_telling():
    a = article("Israeli airstrikes hit Aleppo on Monday, killing at least 120 people.\n\n"
                "The air strikes killed at least 100 people, the monitor said.\n\n"
                "The air strikes killed 40 children.")
    (ev,) = events(a)
    assert ev.fatalities == 100  # not 120 (a higher figure), not 40 (some of the dead)


def test_a_count_of_some_of_the_dead_gives_way_to_the_whole():
    a = article("Israeli airstrikes killed 11 children in Aleppo on Monday.\n\n"
                "The air strikes killed at least 15 people, the monitor said.\n\n"
                "The air strikes hit a clinic: at least two of the killed were medics.")
    (ev,) = events(a)
    assert ev.fatalities == 15


def test_over_the_weekend_is_its_sunday_week_precision():
    (ev,) = events(article("Rebels seized Aleppo over the weekend, the monitor said."))  # published Wednesday 2020-05-06
    assert (ev.date, ev.time_precision) == ("2020-05-03", 2)


def test_a_village_the_gazetteer_lacks_and_the_country_on_one_day_are_one_telling():
    unmapped = Location("unmapped-yacoubiyeh", "Yacoubiyeh", None, None, None)
    NAMES["Yacoubiyeh"] = ("location", unmapped.id, "model:GPE")
    try:
        a = article("Gunmen kidnapped a priest from the village of Yacoubiyeh near Aleppo, the monitor said.\n\n"
                    "It said the priest was kidnapped in Syria on Saturday.")
        found = events(a, {**MORE_PLACES, unmapped.id: unmapped})
    finally:
        NAMES.pop("Yacoubiyeh")
    assert len(found) == 1 and found[0].date == "2020-05-02"


def test_the_city_a_province_is_named_after_written_as_a_city_is_the_city():
    idlib = Location("idlib-sy", "Idlib", 35.93, 36.63, "SY", admin1="Idlib Governorate", admin1_id=GOV.id)
    NAMES["Idlib"] = ("location", "idlib-sy", "place:Idlib")
    try:
        a = article("A missile strike hit an airbase near the Syrian city of Idlib on Monday.\n\n"
                    "Officials in Khan Sheikhoun said the base supported the army.")
        ev = events(a, {**MORE_PLACES, idlib.id: idlib})[0]
    finally:
        NAMES.pop("Idlib")
    assert ev.location == "Idlib"


def test_us_led_strikes_are_the_coalitions():
    NAMES["US"] = ("location", "united-states", "place:US")
    places = {**MORE_PLACES, "united-states": Location("united-states", "United States", 39.0, -98.0, "US", kind="country")}
    try:
        (ev,) = events(article("Dozens of civilians were killed by US-led air strikes in Aleppo on Monday."), places)
    finally:
        NAMES.pop("US")
    assert ev.actor1 == "US-led coalition"


def test_fighters_from_a_group_are_its_members_not_the_attacker():
    NAMES["Jaish al-Islam"] = ("entity", "jaish", "alias:Jaish al-Islam")
    try:
        a = article("A suicide bomb blast struck Aleppo on Monday killing 14 fighters from Jaish al-Islam.")
        (ev,) = extract_events(a, mentions_of(a), PLACES, {**ENTITIES, "jaish": "Jaish al-Islam"})
    finally:
        NAMES.pop("Jaish al-Islam")
    assert ev.actor1 != "Jaish al-Islam" and ev.actor2 == "Jaish al-Islam"


def test_a_sentence_saying_only_who_died_tells_the_event_already_told():
    a = article("A chemical attack hit Aleppo on Monday, killing 58 people.\n\n"
                "The monitor said there were 11 children among the dead.")
    (ev,) = events(a)
    assert ev.fatalities == 58 and ev.actor2.startswith("Civilians")


@pytest.mark.parametrize("recall", [
    "More than 520 airstrikes since 21 May have killed 229 civilians in Aleppo.",
    "Claims of chemical attacks in Aleppo are not uncommon.",
    "You dont know when the jets might bomb Aleppo, she said.",
])
def test_tallies_claims_in_general_and_what_might_happen_are_no_events(recall):
    assert len(events(article("Israeli airstrikes hit Douma on Monday, killing 3 people.\n\n" + recall))) == 1


@pytest.mark.parametrize("sentence", [
    "Rebels shot down a regime helicopter near Aleppo on Monday, killing its two pilots.",
    "A Russian helicopter was shot down near Aleppo on Monday.",
])
def test_a_manned_aircraft_shot_down_is_a_battle(sentence):
    (ev,) = events(article(sentence))
    assert (ev.event_type, ev.sub_event_type) == ("Battles", "Armed clash")


def test_the_killing_of_named_non_combatants_is_violence_against_civilians():
    (ev,) = events(article("A video shows the killing of two Syrian activists in the militants stronghold of Aleppo."))
    assert (ev.event_type, ev.sub_event_type) == ("Violence against civilians", "Attack")


def test_each_place_of_a_list_is_an_event_of_its_own():
    a = article("Rebels shelled Aleppo and Douma on Monday, killing 5 people.")
    found = events(a)
    assert [e.location for e in found] == ["Aleppo", "Douma"]
    assert found[0].fatalities == 5 and found[1].fatalities is None  # the toll of the list goes on the first


def test_two_ends_of_a_line_are_no_list():
    (ev,) = events(article("Rebels shelled the road between Aleppo and Douma on Monday, killing 5 people."))
    assert ev.fatalities == 5


def test_fighting_named_only_as_a_cause_is_background():
    assert not events(article("Food production in Aleppo has hit a record low due to fighting and insecurity on Monday."))
    (ev,) = events(article("Five fighters were killed due to fighting in Aleppo on Monday."))
    assert ev.event_type == "Battles"


def test_a_chemical_attack_from_the_air_attributed_to_no_one_is_the_syrian_air_forces():
    (ev,) = events(article("A helicopter dropped chlorine gas on Aleppo on Monday, killing 3 civilians."))
    assert (ev.sub_event_type, ev.actor1) == ("Chemical weapon", "Syria")
    (ev,) = events(article("A toxic gas leaked in Aleppo on Monday after shelling, killing 3 civilians, a chemical attack."))
    assert ev.actor1 != "Syria"  # not said to come from the air
