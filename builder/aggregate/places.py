"""Places the model found but the gazetteer does not index under that spelling."""

from __future__ import annotations

from dataclasses import replace

from ..extract.gazetteer import Gazetteer
from .entities import Resolution


def map_by_spelling(resolution: Resolution, gazetteer: Gazetteer) -> Resolution:
    """An unmapped place spelt like a gazetteer place of the region ("Raqa", "Deir Ezour") becomes that place;
    the others stay locations without coordinates."""
    mapped = {}
    for location_id, location in resolution.places.items():
        place = gazetteer.closest_spelling(location.name)
        if place is not None:
            mapped[location_id] = place.id
    if not mapped:
        return resolution
    mentions = [replace(m, target_id=mapped[m.target_id], rule=f"{m.rule}+spelling") if m.kind == "location" and m.target_id in mapped else m
                for m in resolution.mentions]
    places = {k: v for k, v in resolution.places.items() if k not in mapped}
    return replace(resolution, mentions=mentions, places=places)
