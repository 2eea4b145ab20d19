"""What happened: the trigger of a sentence, background sentences, coreference of 'the attack', territory changes."""

from __future__ import annotations

import re
from dataclasses import replace

from ...models import Article
from .dates import EXPLICIT_DATES, MONTHS, WEEKDAY, _clause
from .records import Event, Evidence, _Sentence, _ends, _starts
from .rules import Rules


ARMED_WORDS = 3  # distinct armed_context words that make an article one about armed conflict


def _taken(ev: Event, s: _Sentence, trigger: re.Match, places, rules: Rules) -> Event:
    """A place taken: the government's side regains it, anyone else overtakes it (ACLED's two sub-types); who took it
    is actor1, else the words before the trigger ("the army also took", "rebels seized"), else the words after
    "fell to" / "taken by". Nobody known: the Armed clash the type says."""
    t = rules.territory
    if t is None:
        return ev
    side = None
    if ev.actor1:
        state = places.get(ev.actor1_id) if ev.actor1_id else None
        if ev.actor1 not in t.government_actors and state is not None and state.kind == "country":
            return ev  # another state's forces: neither sub-type (the Armed clash stands)
        side = "government" if ev.actor1 in t.government_actors else "non_state"
    else:
        lo, _ = _clause(s.text, trigger.start(), rules)
        subject = s.text[max(0, lo - 60) if lo == 0 else lo: trigger.start()]
        passive = trigger.group(0).lower().endswith(" to") or re.match(r"\W*by\b", s.text[trigger.end():trigger.end() + 8])
        after = _starts(t.taker_after, s.text, trigger.end(), match=True) if passive else None
        for words in (subject, after.group("taker") if after else ""):
            gov = [m.start() for m in t.government_words.finditer(words)]
            non = [m.start() for m in t.non_state_words.finditer(words)]
            if gov or non:  # the nearer the trigger, the likelier the taker
                side = "government" if max(gov, default=-1) > max(non, default=-1) else "non_state"
                break
    if side is None:
        return ev
    sub = t.government if side == "government" else t.non_state
    return replace(ev, sub_event_type=sub, evidence=(*ev.evidence, Evidence(
        "sub_event_type", f"territory:taken by {'the government side' if side == 'government' else 'a non-state actor'}",
        s.text)))


def _antecedent(ev: Event, s: _Sentence, trigger: re.Match, candidates: list, rules: Rules) -> int | None:
    """The candidate a definite description of an event refers to ("The attack believed to have been carried out by
    Russian aircraft killed at least 18", "The projectile hit the building"): the latest one told in the body of the
    same event type, else the latest one told in the body; None when the trigger is no such description."""
    if rules.anaphor_before is None or rules.anaphor_noun is None or rules.anaphor_start is None:
        return None
    described = bool(rules.anaphor_noun.search(trigger.group(0)) and _ends(rules.anaphor_before, s.text, trigger.start()))
    if not described and not _starts(rules.anaphor_start, s.text, 0, match=True):
        return None
    body = [i for i, (_, _, headline) in enumerate(candidates) if not headline]
    same = [i for i in body if candidates[i][0].event_type == ev.event_type]
    # a sentence opening "The attack came as … troops had executed 48 people" tells the attack only when its own
    # trigger is of the attack's type; the trigger itself a description ("the strike") may tell any type
    pool = same or (body if described else [])
    return pool[-1] if pool else None


def _background(text: str, article: Article, rules: Rules) -> bool:
    """Events in general, or dated to an earlier year than the article's ("retook Aleppo in 2016")."""
    if rules.any_background.search(text):
        return True
    published = article.date
    if not published:
        return False
    return any(int(m.group("year")) < int(published[:4]) for m in rules.past_year.finditer(text))


def _past_month(text: str, trigger: re.Match, article: Article, rules: Rules) -> bool:
    """A month named without a day ("in May", "since early July", "Founded in October") other than the article's
    own, in the trigger's clause of a sentence that writes no day of its own: a recall of a month, background
    (events-gold.md §6: month-only recalls are no events)."""
    if rules.past_month is None or not article.date:
        return False
    own = int(article.date[5:7])
    lo, hi = _clause(text, trigger.start(), rules)
    recalled = any(MONTHS[m.group("month").lower()] + 1 != own for m in rules.past_month.finditer(text, lo, hi))
    if not recalled and not (rules.recall and rules.recall.search(text)):
        return False
    return not _own_day(text)


def _own_day(text: str) -> bool:
    """Does the sentence give a day of its own: a written date or a weekday, not after "since" (a period's start)?"""
    def own(m: re.Match) -> bool:
        return not m.group(0).lower().startswith("since") and not _SINCE.search(text[max(0, m.start() - 8): m.start()])
    return any(own(m) for _, regex in EXPLICIT_DATES for m in regex.finditer(text)) or any(
        own(m) for m in WEEKDAY.finditer(text))


_SINCE = re.compile(r"\b(?:since|until|till)\s*$", re.I)


def _trigger(text: str, rules: Rules, armed_article: bool):
    for kind in rules.types:
        for pattern in kind.triggers:
            if (m := _first_match(pattern.regex, text, rules if kind.territory else None)) is not None:
                if pattern.needs_context and not armed_article and not rules.armed_context.search(
                        text[: m.start()] + " " + text[m.end():]):
                    continue  # "the battle between cable and satellite": not armed violence
                return kind, pattern, m
    return None


def _first_match(regex: re.Pattern, text: str, territory: Rules | None) -> re.Match | None:
    """The first match of a trigger; for a place taken, the first that does not say people were captured."""
    if territory is None or territory.territory is None:
        return regex.search(text)
    people = [(p.start(), p.end()) for p in territory.territory.people_taken.finditer(text)]
    return next((m for m in regex.finditer(text) if not any(a <= m.start() < b for a, b in people)), None)
