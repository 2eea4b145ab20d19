"""Who did it to whom: named and described actors, claims, the dependency parse, ACLED's conventions for the unattributed."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import yaml

from ...ingest.sources import known_source
from ...models import Article, Location, Mention
from .records import Event, Evidence, _Sentence, _ends, _starts
from .rules import RULES_PATH, Rules


class _Countries:
    """The countries among `places`, by country code and by name (the first of each, as places orders them), made
    once per article when first needed: not a scan of every place for every event."""

    def __init__(self, places: Mapping[str, Location]):
        self.places = places
        self._by_code: dict[str | None, str] | None = None
        self._by_name: dict[str, str] | None = None

    def _index(self) -> tuple[dict[str | None, str], dict[str, str]]:
        if self._by_code is None or self._by_name is None:
            self._by_code, self._by_name = {}, {}
            for i, loc in self.places.items():
                if loc.kind == "country":
                    self._by_code.setdefault(loc.country, loc.name)
                    self._by_name.setdefault(loc.name, i)
        return self._by_code, self._by_name

    def name_of(self, code: str | None) -> str | None:
        return self._index()[0].get(code)

    def id_named(self, name: str) -> str | None:
        return self._index()[1].get(name)


def _actor_name(m: Mention, places, entity_names) -> str | None:
    if m.kind == "entity":
        return entity_names.get(m.target_id)
    loc = places.get(m.target_id)  # a country by its demonym ("Israeli") or its name ("US-led", "Russia's")
    return loc.name if loc is not None and (m.rule.startswith("demonym") or loc.kind == "country") else None


def _can_act(m: Mention, s: _Sentence, places, entity_names, rules: Rules) -> bool:
    """An entity or a country can be an actor; a country named where something happened ("in Syria") cannot, nor
    an outlet or monitor that reports it ("AFP", "RIA Novosti", "SOHR": data/sources.yml)."""
    name = _actor_name(m, places, entity_names)
    if not name or (m.kind == "entity" and (known_source(name) or known_source(m.text))):
        return False
    if m.kind == "location" and rules.place_after and _starts(rules.place_after, s.text, m.end - s.start, match=True):
        return False  # "the Turkish border": a place
    return m.kind == "entity" or m.rule.startswith("demonym") or not _ends(rules.place_before, s.text, m.start - s.start)


def _claimed(ev: Event, sentences: list[_Sentence], entity_names, rules: Rules) -> Event:
    """No attacker named: a group that claimed the attack ("Islamic State claimed responsibility")."""
    if ev.actor1 is not None:
        return ev
    for s in sentences:
        for m in s.mentions:
            if (m.kind == "entity" and m.target_id in entity_names and not known_source(entity_names[m.target_id])
                    and _starts(rules.claimed, s.text, m.end - s.start, match=True)):
                return replace(ev, actor1=entity_names[m.target_id], actor1_id=m.target_id, evidence=(
                    *ev.evidence, Evidence("actor1", "actor1:claimed the attack", s.text)))
    return ev

ACTORS_PATH = RULES_PATH.parent / "event_actors.yml"

USE_PARSER = True  # the dependency parse for agents (tests switch it off to test the rules alone)

PARSE_CHARS = 2_000  # a longer "sentence" (a paste without stops) is not parsed: the agent rules only

_VERB_TRIGGER = re.compile(r"\b\w+(?:ed|ck|ew|ok|ot)\b|\b(?:hit|shot|blew|took|fell|overran)\b", re.I)  # struck, blew, took, shot …

_BY_AFTER = re.compile(r"\W*(?:[\w-]+\s+){0,3}?by\b", re.I)


@functools.cache
def load_agents(path: Path = ACTORS_PATH) -> tuple[tuple[str, re.Pattern], ...]:
    """event_actors.yml: (actor, the written forms naming it), in order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple((a["actor"], re.compile(a["pattern"], re.I)) for a in data["agents"])


@functools.cache
def _parser():
    """spaCy's tagger and dependency parser from the model the build ships (the one builder/extract/model.py
    picks; its NER is not loaded again), once per process (about 1 s); None without spaCy or a model."""
    if not USE_PARSER:
        return None
    try:
        from ...extract.model import resolve_name
        name, _ = resolve_name(None)
        if not name:
            return None
        import spacy

        return spacy.load(name, exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
    except Exception:  # noqa: BLE001 - no parser: the agent rules only
        return None


@functools.cache
def parser_identity() -> str:
    """The parser's model and spaCy versions ("" without one), for the build cache's events key: events read with
    the dependency parse are not those read without it."""
    if not USE_PARSER:
        return ""
    try:
        from ...extract.model import identity_of, resolve_name

        name, _ = resolve_name(None)
        return identity_of(name) if name else ""
    except Exception:  # noqa: BLE001
        return ""


def _parsed_agent(ev: Event, s: _Sentence, trigger: re.Match, places, entity_names, rules: Rules,
                  countries: _Countries) -> Event:
    """Who did it, by the dependency parse, when no rule named actor1: the subject of an active trigger verb ("the
    army shelled", "rebels attacked"), the agent of a passive one ("were killed by rebels"), the object of "by" after
    a noun trigger ("raids by the coalition"). The agent's noun phrase names an entity or a country (a mention in
    it), else an actor of event_actors.yml."""
    if len(s.text) > PARSE_CHARS or not (_VERB_TRIGGER.search(trigger.group(0))
                                         or _BY_AFTER.match(s.text, trigger.end(), trigger.end() + 40)):
        return ev  # a noun trigger with no "by" after it has no agent the parse could find: not parsed (cost)
    nlp = _parser()
    if nlp is None:
        return ev
    doc = nlp(s.text)
    tokens = [t for t in doc if trigger.start() <= t.idx < trigger.end()]
    if not tokens:
        return ev
    verbs = [t for t in tokens if t.tag_.startswith("VB")]
    head = verbs[-1] if verbs else tokens[-1]
    agent = None
    if head.tag_.startswith("VB"):
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children) or head.tag_ == "VBN" and head.dep_ in ("acl", "relcl"):
            agent = next((g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        else:
            agent = next((c for c in head.children if c.dep_ == "nsubj"), None)
        how = "the subject of" if agent is not None and agent.dep_ == "nsubj" else "the agent ('by') of"
    else:
        agent = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.children
                      if g.dep_ == "pobj"), None)
        how = "'by' after"
    if agent is None:
        return ev
    phrase = doc[agent.left_edge.i: agent.i + 1]
    lo, hi = s.start + phrase.start_char, s.start + phrase.end_char
    rule = f"actor1:{how} '{head.text}' (dependency parse)"
    for m in s.mentions:
        if lo <= m.start and m.end <= hi and _can_act(m, s, places, entity_names, rules):
            name = _actor_name(m, places, entity_names)
            if name:
                return replace(ev, actor1=name, actor1_id=m.target_id, evidence=(*ev.evidence, Evidence("actor1", rule, s.text)))
    for actor, pattern in load_agents():
        if pattern.search(phrase.text):
            return replace(ev, actor1=actor, actor1_id=countries.id_named(actor), evidence=(
                *ev.evidence, Evidence("actor1", f"{rule}, '{phrase.text}'", s.text)))
    return ev


def _claimed_in_article(events: list[Event], sentences: list[_Sentence], entity_names, rules: Rules) -> list[Event]:
    """The first bombing (rules.unattributed_sub_event_types) that names no attacker: the one group the article says
    claimed an attack, else the one group it says the victims' side blamed (alleged)."""
    at = next((i for i, e in enumerate(events) if e.actor1 is None and e.sub_event_type in rules.unattributed_sub_event_types), None)
    if at is None:
        return events
    found: dict[str, dict[str, tuple[str, str]]] = {"claimed": {}, "blamed": {}}
    for s in sentences:
        for m in s.mentions:
            if m.kind != "entity" or m.target_id not in entity_names or known_source(entity_names[m.target_id]):
                continue
            if _starts(rules.claimed, s.text, m.end - s.start, match=True):
                found["claimed"].setdefault(m.target_id, (entity_names[m.target_id], s.text))
            elif rules.blamed_before is not None and _ends(rules.blamed_before, s.text, m.start - s.start):
                found["blamed"].setdefault(m.target_id, (entity_names[m.target_id], s.text))
    for how, alleged in (("claimed", False), ("blamed", True)):
        if len(found[how]) == 1:
            (target, (name, sentence)), = found[how].items()
            events[at] = replace(events[at], actor1=name, actor1_id=target, alleged=alleged, evidence=(
                *events[at].evidence, Evidence("actor1", f"actor1:{how} the attack (elsewhere in the article)", sentence)))
            break
    return events


def _described_actor(text: str, trigger: re.Match, rules: Rules) -> tuple[str, str] | None:
    """(actor, the words) for an attacker only described, right before the trigger ("regime warplanes killed") or
    after "by" following it ("dropped by government helicopters")."""
    lo = max(0, trigger.start() - rules.actor_window - 20)
    before = text[lo: trigger.end()]  # a description may run into the trigger ("Regime warplanes struck"), not follow it
    nearest = max(((m.end(), name, m.group(0)) for name, pattern in rules.described_actors for m in pattern.finditer(before)
                   if lo + m.start() <= trigger.start() and not rules.described_victim_after.match(text, lo + m.end())
                   and not rules.described_counted_before.search(text, max(0, lo + m.start() - 40), lo + m.start())),
                  default=None)  # of several descriptions, the one nearest the trigger ("Rebels said regime raids …")
    if nearest is not None:
        return nearest[1], nearest[2]
    after = text[trigger.end(): trigger.end() + 80]
    if (by := re.search(r"\bby\s+(?:the\s+)?", after)) is not None:
        for name, pattern in rules.described_actors:
            if (found := pattern.match(after, by.end())) is not None:
                return name, found.group(0)
    for name, pattern in rules.weapon_actors:
        if (found := pattern.search(text)) is not None:
            return name, found.group(0)
    return None


def _actors(ev: Event, s: _Sentence, trigger: re.Match, places, entity_names, rules: Rules,
            countries: _Countries | None = None) -> Event:
    countries = countries or _Countries(places)
    t0, t1 = s.start + trigger.start(), s.start + trigger.end()
    actor1: Mention | None = None
    rule: str | None = None
    before = [m for m in s.mentions if t0 - rules.actor_window <= m.start and m.end <= t0
              and _can_act(m, s, places, entity_names, rules) and not _starts(rules.source_after, s.text, m.end - s.start)
              and not rules.dateline_agency.search(s.text[: m.start - s.start])]
    if before:
        actor1, rule = before[-1], "actor1:named right before the trigger"
    else:
        for m in s.mentions:
            if m.start >= t1 and _can_act(m, s, places, entity_names, rules) and _ends(rules.by_actor, s.text, m.start - s.start):
                actor1, rule = m, "actor1:after 'by' following the trigger"
                break
    evidence = list(ev.evidence)
    alleged = False
    described = None if actor1 is not None else _described_actor(s.text, trigger, rules)
    if actor1 is not None and rule is not None:  # set together
        alleged = bool(rules.alleged.search(s.text[max(0, actor1.start - s.start - 30): actor1.start - s.start]))
        evidence.append(Evidence("actor1", rule + (" (alleged)" if alleged else ""), s.text))
    elif described is not None:
        evidence.append(Evidence("actor1", f"actor1:described as '{described[1]}'", s.text))
    taken = {actor1.target_id} if actor1 else set()
    actor1_name = _actor_name(actor1, places, entity_names) if actor1 else described[0] if described else None
    if actor1 is not None and actor1_name and rules.led_coalition and _starts(rules.led_coalition, s.text, actor1.end - s.start, match=True):
        actor1_name = "US-led coalition" if actor1_name == "United States" else f"{actor1_name}-led coalition"
        evidence.append(Evidence("actor1", "actor1:a country leading a coalition ('-led coalition')", s.text))
        actor1 = replace(actor1, target_id="")  # the coalition has no page of its own
    actor2 = next((m for m in s.mentions if t1 <= m.start <= t1 + rules.actor2_window and m.target_id not in taken
                   and m is not actor1 and _can_act(m, s, places, entity_names, rules)
                   and _actor_name(m, places, entity_names) != actor1_name
                   and (m.kind == "entity" or _starts(rules.armed_nouns, s.text, m.end - s.start, match=True))
                   and not _ends(rules.by_actor, s.text, m.start - s.start)
                   and not (rules.controller_before and _ends(rules.controller_before, s.text, m.start - s.start))
                   and not (rules.controller_after and _starts(rules.controller_after, s.text, m.end - s.start, match=True))
                   and not _ends(rules.source_before, s.text, m.start - s.start)
                   and not _starts(rules.source_after, s.text, m.end - s.start)), None)
    actor2_name = _actor_name(actor2, places, entity_names) if actor2 else None
    if actor2 is not None:
        evidence.append(Evidence("actor2", "actor2:named after the trigger", s.text))
    elif (hit := rules.civilian_words.search(s.text)) is not None:
        country = countries.name_of(ev.country)
        actor2_name = f"Civilians ({country})" if country else "Civilians"
        evidence.append(Evidence("actor2", f"actor2:civilians ('{hit.group(0)}')", s.text))
    actor1_id = (actor1.target_id or None) if actor1 else (  # a described state's forces: the country's page
        countries.id_named(described[0]) if described else None)
    return replace(ev, actor1=actor1_name, actor1_id=actor1_id, alleged=alleged,
                   actor2=actor2_name, actor2_id=actor2.target_id if actor2 else None, evidence=tuple(evidence))


def _source(ev: Event, s: _Sentence, entity_names, rules: Rules) -> Event:
    for m in s.mentions:
        if m.kind != "entity" or m.target_id not in entity_names:
            continue
        if _ends(rules.source_before, s.text, m.start - s.start) or _starts(rules.source_after, s.text, m.end - s.start):
            return replace(ev, source=entity_names[m.target_id],
                           evidence=(*ev.evidence, Evidence("source", "source:reported by (in the sentence)", s.text)))
    return ev


def _unattributed(ev: Event, rules: Rules) -> Event:
    """A bombing nothing attributes: ACLED's unidentified armed group (rules.unattributed_actor)."""
    if ev.actor1 or not rules.unattributed_actor or ev.sub_event_type not in rules.unattributed_sub_event_types:
        return ev
    return replace(ev, actor1=rules.unattributed_actor, evidence=(
        *ev.evidence, Evidence("actor1", f"actor1:a {ev.sub_event_type.lower()} attributed to no one", ev.sentence)))


def _unattributed_air(events: list[Event], article: Article, rules: Rules) -> list[Event]:
    """Air strikes in the country whose air force is the only one the article names (rules.unattributed_air), and
    chemical attacks its sentence says came from the air, attributed to no one: that state's (ACLED's convention for
    unattributed warplanes, helicopters and barrel bombs in Syria)."""
    air = rules.unattributed_air
    if not air:
        return events
    todo = [i for i, e in enumerate(events) if e.actor1 is None and e.country == air["country"]
            and (e.sub_event_type in air["sub_event_types"] or (
                e.sub_event_type in air.get("airborne_sub_event_types", ()) and air["airborne"].search(e.sentence)))]
    if not todo or air["other"].search(article.title + "\n" + article.body):
        return events
    for i in todo:
        events[i] = replace(events[i], actor1=air["actor"], evidence=(*events[i].evidence, Evidence(
            "actor1", "actor1:an air strike attributed to no one, no other air force named in the article", events[i].sentence)))
    return events
