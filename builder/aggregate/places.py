"""Places the model found but the gazetteer does not index under that spelling."""

from __future__ import annotations

from dataclasses import replace

from ..extract.gazetteer import Gazetteer
from ..extract.names import rules
from .entities import Resolution


def map_by_spelling(resolution: Resolution, gazetteer: Gazetteer) -> Resolution:
    """An unmapped place spelt like a gazetteer place of the region ("Raqa", "Deir Ezour"), or one with a head
    word the gazetteer does not index ("Hama District"), becomes that place; the others stay locations without
    coordinates."""
    mapped = {}
    heads = rules().head_words
    for location_id, location in resolution.places.items():
        words = location.name.split()
        while len(words) > 1 and words[-1].lower() in heads:  # "Hama District", "Idlib Countryside"
            words.pop()
        bare = " ".join(words)
        place = (gazetteer.resolve(bare) if bare != location.name else None) or gazetteer.closest_spelling(bare)
        if place is not None:
            mapped[location_id] = place.id
    if not mapped:
        return resolution
    mentions = [replace(m, target_id=mapped[m.target_id], rule=f"{m.rule}+spelling") if m.kind == "location" and m.target_id in mapped else m
                for m in resolution.mentions]
    places = {k: v for k, v in resolution.places.items() if k not in mapped}
    return replace(resolution, mentions=mentions, places=places)
