"""Where: the most specific place the text names for the event, the article's own country, the headline's place."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from ...geo import km
from ...extract.registry import entity_id
from ...models import Location, Mention
from ..entities import PLACE_PREFIX
from .records import Event, Evidence, _Sentence, _ends, _starts, _without, event_km
from .rules import Rules, load_rules


SPECIFICITY = {"facility": 4, "neighbourhood": 4, "place": 3, "region": 2, "country": 1}  # higher: more specific

GEO_PRECISION = {4: 1, 3: 1, 2: 3, 1: 3}  # ACLED: 1 the place itself, 2 near it, 3 only the region is known

HEADLINE_KM = 60  # a headline's place ("Idlib") and the body's ("Sarmin") that far apart may be the same event

CAPITAL_KM = 40  # a town this near a governorate's namesake city may be where "<city>" in a headline happened

_NAME_START = re.compile(r"(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[A-Z]")  # "Tall Tawil", "al-Aziziyeh"

HEADLINE_WEIGHT = 2  # a place the headline names counts this much more towards the article's own country


def _is_place(m: Mention, places: Mapping[str, Location]) -> bool:
    return m.kind == "location" and not m.rule.startswith("demonym") and m.target_id in places


def _rank(m: Mention, places, home: str | None, anchor: int | None) -> tuple:
    """How good a place is for an event: mapped (has coordinates), in the article's own country, specific (a town,
    a neighbourhood or a facility all count as the place itself), not a dateline ("BEIRUT"), a town rather than the
    city its governorate is named after ("Ariha, Idlib"), nearest the trigger."""
    loc = places[m.target_id]
    return (loc.lat is not None or loc.kind == "country", home is None or loc.country == home, not _is_dateline(m),
            _level(loc), not _is_capital(loc.name, loc.admin1), -abs(m.start - anchor) if anchor is not None else -m.start)


def _level(loc: Location) -> int:
    return min(SPECIFICITY.get(loc.kind, 0), 3) if (loc.lat is not None or loc.kind == "country") else 0


def _foreign_country(m: Mention, places, home: str | None) -> bool:
    """A country other than the article's own ("US-led", "the border with Turkey") names an actor or a border, not
    where the event was."""
    loc = places[m.target_id]
    return home is not None and loc.kind == "country" and loc.country != home


def _is_dateline(m: Mention) -> bool:
    """'BEIRUT …', 'MOSCOW (Sputnik) …': where the story was filed, not where the event was."""
    return m.text.isupper() and len(m.text) > 3 and m.start - m.sentence_start < 3


def home_country(mentions: list[Mention], places, title: str = "", rules: Rules | None = None) -> str | None:
    """The country most of the article's places are in (datelines and countries named as such not counted), a
    country or place the headline names as a place ("in …", not "US-led") counting HEADLINE_WEIGHT more ("… Kills
    17 Turkish Soldiers in North Syria": Syria, though the body names Moscow, Ankara and Afrin once each)."""
    rules = rules or load_rules()
    counts = Counter(places[m.target_id].country for m in mentions
                     if _is_place(m, places) and places[m.target_id].country and places[m.target_id].kind != "country"
                     and not _is_dateline(m))
    counted: set[str] = set()
    for m in mentions:
        if (_is_place(m, places) and not m.rule.startswith("demonym") and places[m.target_id].country
                and m.text not in counted):
            counted.add(m.text)
            if any(rules.place_before.search(title[: at.start()])
                   for at in _named_in(title, m.text, compound=False)):  # not "in US-led strikes"
                counts[places[m.target_id].country] += HEADLINE_WEIGHT
    return counts.most_common(1)[0][0] if counts else None


def _place(ev: Event, s: _Sentence, trigger: re.Match, neighbours: list[_Sentence], places, home: str | None,
           lead: tuple[Mention, _Sentence] | None, rules: Rules) -> Event:
    """The best place in the sentence (see _rank); when the sentence names only a country, a region or nothing, a
    town of the same country from the next sentences of its paragraph. A place abroad ("Washington", a "BEIRUT"
    dateline) when the article is about another country: a place of that country from the next sentences or the
    lead, when there is one."""
    def best(sentence: _Sentence, anchor: int | None):
        found = [m for m in sentence.mentions if _is_place(m, places) and not _foreign_country(m, places, home)]
        return max(found, key=lambda m: _rank(m, places, home, anchor)) if found else None
    here = best(s, s.start + trigger.start())
    rule = "place:most specific in the sentence"
    where = s
    abroad = here is not None and home is not None and places[here.target_id].country != home
    capital = here is not None and _is_capital(places[here.target_id].name, places[here.target_id].admin1) \
        and not _named_as_city(s, here)  # "the Syrian city of Homs" is the city, not the province
    if here is None or abroad or capital or _level(places[here.target_id]) < 3:
        for n in neighbours:
            other = best(n, None)
            if other is None or (abroad and places[other.target_id].country != home):
                continue
            if here is not None and not abroad and not _within(places[other.target_id], places[here.target_id]):
                continue  # "in Deir az-Zour province", then a village of that name elsewhere: not this event's
            town = places[other.target_id]
            if (abroad or _level(town) > (_level(places[here.target_id]) if here else 0)
                    or (capital and _level(town) >= 3 and not _is_capital(town.name, town.admin1))):
                if here is None or places[other.target_id].country in (places[here.target_id].country, home):
                    here, where, rule = other, n, "place:most specific in the next sentences"
                    abroad = False
                    break
    if abroad and lead is not None and places[lead[0].target_id].country == home:
        here, where, rule = lead[0], lead[1], "place:the lead's (the sentence names a place abroad)"
    if here is None:
        return ev
    ev = _located(ev, places[here.target_id], rule, where.text)
    loc = places[here.target_id]
    before, after = where.text[: max(0, here.start - where.start)], where.text[here.end - where.start:]
    if _is_capital(loc.name, loc.admin1) and (rules.province_before.search(before) or rules.province_after.match(after)):
        # "the province of Hassakeh", "Hama countryside": the governorate, at its capital's point (ACLED precision 3)
        ev = replace(ev, location_id=loc.admin1_id, location=loc.admin1, geo_precision=3, evidence=(
            *_without(ev.evidence, "location"), Evidence("location", f"{rule}, '{here.text}' named as its province", where.text)))
    return ev


def _named_as_city(s: _Sentence, m: Mention) -> bool:
    """Is the city a governorate is named after written as the city ("the city of Homs", "Hasakah city")? Then it
    is the place itself, not the province news often means by the bare name."""
    rules = load_rules()
    return bool(_ends(rules.city_before, s.text, m.start - s.start) or _starts(rules.city_after, s.text, m.end - s.start, match=True))


def _unmapped_place(ev: Event, sentences: list[_Sentence], places, rules: Rules) -> Event:
    """A village or quarter the gazetteer lacks, named as a place ("in Tall Tawil village", "the village of
    Almehemdiya") where the event's place is only a governorate, a country or the city a governorate is named after:
    its name, at the known place's coordinates, geo_precision 2 (ACLED's "part of a region"). The name may have been
    read as an organisation ("al-Aziziyeh") or as a namesake abroad ("the Sulaymaniyah neighbourhood of Aleppo")."""
    if ev.location_id is None or (ev.geo_precision == 1 and not _is_capital(ev.location, ev.admin1)):
        return ev
    for s in sentences:
        for m in s.mentions:
            loc = places.get(m.target_id) if m.kind == "location" else None
            if m.rule.startswith("demonym") or not _NAME_START.match(m.text) or (loc is not None and (
                    loc.kind == "country" or (loc.lat is not None and loc.country == ev.country))):
                continue  # a country, or a place the gazetteer knows here (the place rules chose among those)
            if (_ends(rules.unmapped_place_named, s.text, m.start - s.start)
                    or _starts(rules.unmapped_place_after, s.text, m.end - s.start, match=True)):
                unmapped = loc.id if loc is not None and loc.lat is None else None
                return replace(ev, location_id=unmapped or PLACE_PREFIX + entity_id(m.text), location=m.text,
                               geo_precision=2, evidence=(*_without(ev.evidence, "location"), Evidence(
                                   "location", f"place:'{m.text}' (not in the gazetteer), at {ev.location}'s coordinates", s.text)))
    return ev


def _within(town: Location, area: Location) -> bool:
    """Can `town` be where an event the text places in `area` happened? When the area is a governorate (or lies in
    one), the town must lie in the same governorate, where the gazetteer knows both."""
    return area.admin1_id is None or town.admin1_id is None or town.admin1_id == area.admin1_id


def _located(ev: Event, loc: Location, rule: str, sentence: str) -> Event:
    spec = SPECIFICITY.get(loc.kind, 0)
    return replace(ev, location_id=loc.id, location=loc.name, latitude=loc.lat, longitude=loc.lon,
                   geo_precision=GEO_PRECISION.get(spec, 3), country=loc.country, admin1=loc.admin1,
                   evidence=(*_without(ev.evidence, "location"), Evidence("location", rule, sentence)))


def _is_governorate(loc: Location | None) -> bool:
    return loc is not None and loc.admin1_id is not None and loc.id == loc.admin1_id


def _holds(area: Location | None, town: Location | None) -> bool:
    """`area` is a governorate and `town` lies in it: "in Idlib province on Tuesday" and "Khan Sheikhoun" in the
    next sentence tell one event, at the more specific place (one event per place and day, told at two scales)."""
    if area is None or town is None or town.id == area.id or not town.admin1_id:
        return False
    return (_is_governorate(area) and town.admin1_id == area.id) or (
        _is_capital(area.name, area.admin1) and town.admin1_id == area.admin1_id and not _is_governorate(town))


def _is_capital(name: str | None, admin1: str | None) -> bool:
    """The city a governorate is named after ("Idlib" in Idlib Governorate): news writes its name for the whole
    province ("a hospital in Maaret al-Numan, Idlib")."""
    if not name or not admin1:
        return False
    return admin1.lower().startswith(name.lower() + " ")


def _town_in_its_capitals_stead(town: Event, capital: Event) -> bool:
    """`town` names the place where `capital` (a governorate's namesake city) names only its province: a town of
    the same governorate, or within CAPITAL_KM of the city (Douma for "Damascus")."""
    if not _is_capital(capital.location, capital.admin1) or _is_capital(town.location, town.admin1) or town.geo_precision != 1:
        return False
    if town.admin1 and town.admin1 == capital.admin1:
        return True
    apart = event_km(town, capital)
    return apart is not None and apart <= CAPITAL_KM




def _named_in(title: str, name: str, compound: bool = True) -> list[re.Match]:
    """Where the headline writes `name` as a word (`compound=False`: not as in "US-led")."""
    return list(re.finditer(r"\b" + re.escape(name) + (r"\b" if compound else r"\b(?!-)"), title))


def _headline_place(ev: Event, title: str, mentions: list[Mention], places, home: str | None) -> Event:
    """The first of the article's places the headline names (as the body writes it)."""
    named = [m for m in mentions if _is_place(m, places) and not _foreign_country(m, places, home)
             and _level(places[m.target_id]) > 1 and _named_in(title, m.text)]
    if not named:
        return ev
    at = {m.target_id: _named_in(title, m.text)[0].start() for m in named}
    best = min(named, key=lambda m: (at[m.target_id], [-x for x in _rank(m, places, home, None)[:4]], m.target_id))
    return _located(ev, places[best.target_id], "place:named in the headline", title)


def _lead_place(sentences: list[_Sentence], places, home: str | None) -> tuple[Mention, _Sentence] | None:
    """The best place of the first sentence naming one (in the article's country, when `home` is given)."""
    for s in sentences:
        found = [m for m in s.mentions if _is_place(m, places) and not _foreign_country(m, places, home)
                 and (home is None or places[m.target_id].country == home)]
        if found:
            return max(found, key=lambda m: _rank(m, places, home, None)), s
    return None
