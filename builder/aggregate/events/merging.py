"""One telling, one event: the candidates of one article merged by (sub-type, place, day), the headline's event found."""

from __future__ import annotations

import bisect
from dataclasses import replace

from .dates import _report_day
from .places import HEADLINE_KM, _holds, _is_capital, _is_governorate, _town_in_its_capitals_stead
from .records import Event, _without, event_km
from .tolls import _headline_toll, _part_of_the_dead


def _compatible(a: Event, a_dated: bool, b: Event, b_dated: bool, places) -> bool:
    """The same event told twice in one article: same sub-type, places that agree (the same, or one only a country
    holding the other, or unknown) and dates that agree (the same, or one not written)."""
    if a.sub_event_type != b.sub_event_type:
        return False
    if a.location_id and b.location_id and a.location_id != b.location_id:
        la, lb = places.get(a.location_id), places.get(b.location_id)
        # a place the gazetteer lacks ("the village of Yacoubiyeh") lies in the country its event was placed in
        ca, cb = (la.country if la else None) or a.country, (lb.country if lb else None) or b.country
        if not ((la and la.kind == "country" and cb == la.country)
                or (lb and lb.kind == "country" and ca == lb.country)
                or _holds(la, lb) or _holds(lb, la)):
            return False
    if a.date and b.date and a.date != b.date and a_dated and b_dated:
        return False
    return True


def _absorb(into: Event, other: Event) -> Event:
    """`into` takes from `other` what it lacks or what `other` knows better (a more specific place, a more precise
    date), with the evidence for it."""
    changes: dict = {}
    evidence = list(into.evidence)

    def take(name: str, fields: tuple[str, ...]):
        nonlocal evidence
        changes.update({f: getattr(other, f) for f in fields})
        evidence = [e for e in evidence if e.field != name] + [e for e in other.evidence if e.field == name]

    if other.date and (not into.date or (other.time_precision or 9) < (into.time_precision or 9)
                       or (_report_day(into) and not _report_day(other) and other.time_precision == 1)):
        take("date", ("date", "time_precision"))  # the event's own day before the report's
    if other.location_id and (not into.location_id or (other.geo_precision or 9) < (into.geo_precision or 9)
                              or _town_in_its_capitals_stead(other, into)):
        take("location", ("location_id", "location", "latitude", "longitude", "geo_precision", "country", "admin1"))
    if other.actor1 and not into.actor1:
        take("actor1", ("actor1", "actor1_id", "alleged"))
    if other.actor2 and not into.actor2:
        take("actor2", ("actor2",  "actor2_id"))
    if other.fatalities is not None and (into.fatalities is None or (
            other.fatalities < into.fatalities and not _part_of_the_dead(other) and not _part_of_the_dead(into)) or (
            other.fatalities > into.fatalities and _part_of_the_dead(into) and not _part_of_the_dead(other))):
        # ACLED: the lowest figure the telling gives for all its dead (a count of some of them is no such figure)
        take("fatalities", ("fatalities", "fatalities_text"))
    if other.source and not into.source:
        take("source", ("source",))
    return replace(into, **changes, evidence=tuple(evidence))


def _merge(candidates: list[tuple[Event, bool, bool]], places, warnings: list[str] | None = None,
           deaths_only: frozenset[str] | set[str] = frozenset()) -> list[Event]:
    """The same event told in several sentences becomes one; the headline's event (first, when the headline has
    one) takes its fields from the body event that tells it. A headline that says only who died (its trigger in
    `deaths_only`: "Seven children killed in Aleppo") tells the body's event whatever its type: the body says how."""
    headline = candidates[0][0] if candidates and candidates[0][2] else None
    merged: list[list] = []  # [event, dated]
    slots = _Slots(places)  # which slot each candidate joins: the first _compatible one, found by key, not by a scan
    for ev, dated, _ in candidates[1:] if headline else candidates:
        i = slots.first(ev, dated)
        if i is None:
            merged.append([ev, dated])
            slots.add(len(merged) - 1, ev, dated)
            continue
        slot = merged[i]
        before = slots.keys(slot[0], slot[1])
        slot[0] = _absorb(slot[0], ev)
        slot[1] = slot[1] or dated
        if (after := slots.keys(slot[0], slot[1])) != before:  # a more specific place, a date of its own
            slots.move(i, before, after)
    events = [slot[0] for slot in merged]
    if headline is not None:
        how_unsaid = any(e.field == "event_type" and e.rule in deaths_only for e in headline.evidence)
        i = _told(headline, events, any_type=how_unsaid)
        if i is None:
            events.insert(0, _headline_toll(headline, headline, warnings if warnings is not None else []))
        else:
            told = events.pop(i)
            if not how_unsaid:  # the headline's word for the event's type stands; else the body's
                told = replace(told, evidence=(*_without(headline.evidence, "actor1", "actor2"),
                                               *_without(told.evidence, "event_type")))
            if told.actor1 is None and headline.actor1 is not None:
                told = replace(told, actor1=headline.actor1, actor1_id=headline.actor1_id, alleged=headline.alleged,
                               evidence=(*told.evidence, *(replace(e, rule=e.rule + " (the headline)")
                                                           for e in headline.evidence if e.field == "actor1")))
            events.insert(0, _headline_toll(told, headline, warnings if warnings is not None else []))
    return [replace(e, n=i) for i, e in enumerate(events)]

_ALL = ("*",)  # a key every slot has: the query of a candidate with no place (or no date of its own)

_ANY = ("?",)  # the key of a slot with no place (or no date of its own): every candidate may join it


class _Slots:
    """The merged events of one article by what _compatible asks of them, so that a candidate finds the first slot
    it may join by looking up its keys, not by comparing itself with every slot (sentences × events was minutes for
    a dossier of 30,000 events). A slot is listed under (sub-event type, place key, date key) for each of its place
    keys and its date key, and under _ALL for each; a candidate looks up the keys that _compatible accepts:

    - place: the same location id; a slot placed in a country holding the candidate's place, or (a candidate
      placed in a country) a slot placed in that country; a slot with no place (_ANY); any slot (_ALL) when the
      candidate has no place;
    - date: the same date (both dated by their own sentence); a slot without a date of its own (_ANY); any slot
      (_ALL) when the candidate has no date of its own."""

    def __init__(self, places):
        self.places = places
        self.buckets: dict[tuple, list[int]] = {}  # key → slot numbers, ascending

    def keys(self, ev: Event, dated: bool) -> tuple[tuple, ...]:
        if ev.location_id:
            loc = self.places.get(ev.location_id)
            where: list[tuple[str | None, ...]] = [("id", ev.location_id)]
            if loc:
                where.append(("in", loc.country or ev.country))  # a candidate placed in this country may join
                if loc.kind == "country":
                    where.append(("country", loc.country))  # a candidate placed anywhere in it may join
                if _is_governorate(loc):
                    where.append(("gov", loc.id))  # a candidate placed anywhere in this governorate may join
                elif loc.admin1_id:
                    where.append(("in1", loc.admin1_id))  # a candidate placed in its governorate may join
                    if _is_capital(loc.name, loc.admin1):  # "Idlib" written for the province
                        where.append(("cap", loc.admin1_id))
            elif ev.country:  # a place the gazetteer lacks: a candidate placed in its country may join
                where.append(("in", ev.country))
        else:
            where = [_ANY]
        when = ("d", ev.date) if ev.date and dated else _ANY
        return tuple((ev.sub_event_type, w, d) for w in (*where, _ALL) for d in (when, _ALL))

    def add(self, i: int, ev: Event, dated: bool) -> None:
        for key in self.keys(ev, dated):
            bisect.insort(self.buckets.setdefault(key, []), i)

    def move(self, i: int, old: tuple[tuple, ...], new: tuple[tuple, ...]) -> None:
        for key in old:
            bucket = self.buckets[key]
            del bucket[bisect.bisect_left(bucket, i)]
        for key in new:
            bisect.insort(self.buckets.setdefault(key, []), i)

    def first(self, ev: Event, dated: bool) -> int | None:
        if ev.location_id:
            loc = self.places.get(ev.location_id)
            where: list[tuple[str | None, ...]] = [_ANY, ("id", ev.location_id)]
            if loc:
                where.append(("country", loc.country or ev.country))  # slots placed in the country holding this place
                if loc.kind == "country":
                    where.append(("in", loc.country))  # slots placed anywhere in this country
                if _is_governorate(loc):
                    where.append(("in1", loc.id))  # slots placed anywhere in this governorate
                elif loc.admin1_id:
                    where.append(("gov", loc.admin1_id))  # slots placed in the governorate holding this place
                    where.append(("cap", loc.admin1_id))  # ... or in its namesake city, written for it
                    if _is_capital(loc.name, loc.admin1):
                        where.append(("in1", loc.admin1_id))  # slots placed in the province it is written for
            elif ev.country:  # a place the gazetteer lacks: slots placed in its country as a whole
                where.append(("country", ev.country))
        else:
            where = [_ALL]
        when = [_ANY, ("d", ev.date)] if ev.date and dated else [_ALL]
        found = [bucket[0] for w in where for d in when if (bucket := self.buckets.get((ev.sub_event_type, w, d)))]
        return min(found) if found else None


def _told(headline: Event, events: list[Event], any_type: bool = False) -> int | None:
    """Which body event the headline reports: of the same event type, the first at the headline's place (in its
    governorate, when the headline names the city a governorate is named after: "Blasts in Homs" and the body's
    "Akrameh"), else the nearest one within HEADLINE_KM of it, else (the headline naming no place) the first."""
    same = [i for i, e in enumerate(events) if any_type or e.event_type == headline.event_type]
    if not same:
        return None
    if headline.location_id is None:
        return same[0]
    province = _is_capital(headline.location, headline.admin1)
    at = [i for i in same if events[i].location_id == headline.location_id
          or (province and events[i].admin1 == headline.admin1 and events[i].geo_precision == 1)]
    if at:
        return at[0]
    near = [(apart, i) for i in same if (apart := event_km(headline, events[i])) is not None]
    near = [x for x in near if x[0] <= HEADLINE_KM]
    return min(near)[1] if near else None
