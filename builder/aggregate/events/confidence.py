"""How far to trust each field: the measured precision of the rule that made it (builder/data/event_confidence.yml)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import Event
from .rules import RULES_PATH


CONFIDENCE_PATH = RULES_PATH.parent / "event_confidence.yml"

# the fields a confidence is given for, and the evidence field whose rule made each
CONFIDENCE_FIELDS = {"event_type": "event_type", "sub_event_type": "sub_event_type", "date": "date",
                     "location": "location", "actor1": "actor1", "actor2": "actor2", "fatalities": "fatalities"}

CONFIDENCE_COLUMNS = [f"confidence_{f}" for f in CONFIDENCE_FIELDS]  # events.csv / event_reports.csv, after ACLED's


def rule_family(rule: str) -> str:
    """A rule as measured: its name without what it matched ("date:weekday 'on Monday' before publication …" →
    "date:weekday"; "place:most specific in the next sentences, 'Idlib' named as its province" → "place:most
    specific in the next sentences"; "… (the headline)" and "(dependency parse)" kept apart: they are other rules)."""
    base = re.split(r",|\s\d|\(", re.sub(r"'[^']*'", "", rule), maxsplit=1)[0]
    return " ".join((base + "".join(f" ({m})" for m in _KEPT_MARKS if m in rule)).split())

_KEPT_MARKS = ("the headline", "dependency parse", "the report's day", "not in the gazetteer", "alleged")


@functools.cache
def load_confidence(path: Path = CONFIDENCE_PATH) -> dict:
    """event_confidence.yml: {field: {"precision": p, "rules": {family: {"precision": p, "n": n}}}}."""
    try:
        return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("fields") or {}
    except OSError:
        return {}


def field_confidence(ev: "Event") -> dict[str, float]:
    """{field: the measured precision of the rule that made it} for each field of CONFIDENCE_FIELDS with a value: a
    rule measured on the dev gold gives its own (smoothed) precision, another rule the field's overall one. The
    sub-event type is made by the trigger unless a territory rule changed it."""
    measured = load_confidence()
    out: dict[str, float] = {}
    for name, source in CONFIDENCE_FIELDS.items():
        value = ev.location if name == "location" else getattr(ev, name)
        if value is None or name not in measured:
            continue
        why = ev.why(source) or (ev.why("event_type") if name == "sub_event_type" else None)
        rules = measured[name].get("rules") or {}
        known = rules.get(rule_family(why.rule)) if why is not None else None
        out[name] = float(known["precision"] if known else measured[name]["precision"])
    return out


def confidence_cells(confidence: dict[str, float]) -> list[str]:
    """The CONFIDENCE_COLUMNS cells of a row ("" for a field without a value)."""
    return [f"{confidence[f]:.2f}" if f in confidence else "" for f in CONFIDENCE_FIELDS]
