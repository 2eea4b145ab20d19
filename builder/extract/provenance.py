"""Which rule found a mention, in the words the exports use, and how far to trust it.

A mention's `rule` is detailed ("alias:SOHR", "model:PERSON", "place:Deir ez-Zor"); its family is one of
FAMILIES. The confidence of a family is its measured precision on the hand-annotated fakes-dev articles
(`make eval`, builder/data/rule_confidence.yml), not a guess.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

# rule prefix → family, in the order they are tried
FAMILIES = (
    ("alias:", "registry"),
    ("place:", "gazetteer"),
    ("model:", "model"),
    ("model-headline:", "model"),
    ("place-prefix:", "toponym"),
    ("demonym:", "demonym"),
    ("acronym-of:", "acronym"),
    ("bracketed-alias-of:", "translation"),
    ("name-part:", "name part"),
    ("title:", "title"),
    ("cue:", "cue word"),
    ("team:", "team"),
    ("first-name:", "first name"),
    ("acronym", "acronym"),
    ("capitalised", "capitalised"),
    ("byline", "byline"),
    ("source", "source"),
)


def rule_family(rule: str) -> str:
    for prefix, family in FAMILIES:
        if rule.startswith(prefix):
            return family
    return "other"


@cache
def _confidences() -> dict[str, float]:
    return yaml.safe_load(resources.files("builder").joinpath("data/rule_confidence.yml").read_text("utf-8"))["precision"]


def confidence(rule: str) -> float:
    """The measured precision of the rule's family (0.5 for a family not measured)."""
    return _confidences().get(rule_family(rule), 0.5)
