"""How many were killed: the toll as written, ACLED's conservative rule."""

from __future__ import annotations

import re
from dataclasses import replace

from .records import Event, Evidence, _Sentence, _ends, _short, _starts
from .rules import Rules, load_rules, read_number


def find_fatalities(text: str, rules: Rules | None = None, refused: list[str] | None = None) -> tuple[str, int, str] | None:
    """→ (the number as written, as an integer, the rule) for the first fatality pattern that matches. A figure that
    cannot be a toll (beyond rules.max_fatalities, too many digits to read, number words that are no one number) is
    refused: None, and why appended to `refused`."""
    rules = rules or load_rules()
    if not rules.fatality_cue.search(text):
        return None
    for pattern in rules.fatalities:
        for m in pattern.regex.finditer(text):
            written = m.group("num")
            value, why = read_number(written)
            if why is None and value is not None and value > rules.max_fatalities:
                why = f"more than {rules.max_fatalities:,} killed in one event: event_rules.yml max_fatalities"
            if why is not None:
                if refused is not None:
                    refused.append(f"refused the toll '{_short(written, 40)}' ({why}) in: {_short(text, 160)}")
                return None
            if value is not None and not (1900 <= value <= 2100 and written.isdigit()):
                whole = rules.subgroup_of and _ends(rules.subgroup_of, text, m.start("num"))
                if whole and (total := read_number(whole.group("num")))[1] is None and total[0] is not None \
                        and value < total[0] <= rules.max_fatalities:
                    return whole.group("num"), total[0], f"{pattern.name} (the whole, not its sub-group)"
                return written, value, pattern.name
    return None


def _fatalities(ev: Event, s: _Sentence, neighbours: list[_Sentence], rules: Rules, warnings: list[str]) -> Event:
    for n in [s, *neighbours]:
        refused = len(warnings)
        if (found := find_fatalities(n.text, rules, warnings)) is not None:
            written, value, name = found
            return replace(ev, fatalities_text=written, fatalities=value,
                           evidence=(*ev.evidence, Evidence("fatalities", f"fatalities:{name}", n.text)))
        if len(warnings) > refused:
            return ev  # the sentence's toll is refused: the event keeps none
    return ev


def _part_of_the_dead(ev: Event) -> bool:
    """Is the event's toll a count of one group of the dead ("Eleven children were killed", "25 members of the Nusra
    Front") rather than of everyone (people, civilians)? Such a figure is not compared with the whole one."""
    why = ev.why("fatalities")
    if why is None or not ev.fatalities_text:
        return False
    at = why.sentence.find(ev.fatalities_text)
    return at >= 0 and bool(_starts(load_rules().part_of_the_dead, why.sentence, at + len(ev.fatalities_text), match=True))


def _headline_toll(ev: Event, headline: Event, warnings: list[str]) -> Event:
    """The headline's toll ("US-led strikes kill 82 civilians") when the body's telling of the event gives none."""
    if ev.fatalities is not None or (found := find_fatalities(headline.sentence, refused=warnings)) is None:
        return ev
    written, value, name = found
    return replace(ev, fatalities_text=written, fatalities=value,
                   evidence=(*ev.evidence, Evidence("fatalities", f"fatalities:{name} (the headline)", headline.sentence)))
