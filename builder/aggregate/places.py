"""Places the model found but the gazetteer does not index under that spelling."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from ..extract.gazetteer import Gazetteer
from ..extract.names import rules
from ..extract.registry import entity_id
from ..models import Article, Location
from .entities import PLACE_PREFIX, Resolution


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


def unmap_quarters_abroad(resolution: Resolution, articles: list[Article], gazetteer: Gazetteer) -> Resolution:
    """A city quarter named like a town abroad ("the Sulaymaniyah neighbourhood of Aleppo" is not the Iraqi city,
    "al-Mazraa neighborhood" not the Israeli village): a place written before a quarter word, in another country
    than the one most of its article's places are in, becomes a place without coordinates."""
    quarter_words = rules().quarter_words
    bodies = {a.id: a.body for a in articles}

    def place_of(m) -> Location | None:
        loc = gazetteer.get(m.target_id) if m.kind == "location" and not m.rule.startswith("demonym") else None
        return loc if loc is not None and loc.kind != "country" and loc.country else None

    def quarter(m) -> bool:
        follows = bodies.get(m.article_id, "")[m.end: m.end + 20].split(maxsplit=1)
        return bool(follows) and follows[0].lower().strip(".,;:'\"\u201d\u2019)") in quarter_words

    located = [(m, place_of(m)) for m in resolution.mentions]
    countries: dict[str, Counter] = defaultdict(Counter)  # the article's own country, quarters not counted
    for m, loc in located:
        if loc is not None and not quarter(m):
            countries[m.article_id][loc.country] += 1
    places = dict(resolution.places)
    mentions = []
    for m, loc in located:
        home = countries[m.article_id].most_common(1)[0][0] if countries[m.article_id] else None
        if loc is not None and home and loc.country != home and quarter(m):
            local = places.setdefault(PLACE_PREFIX + entity_id(m.text),
                                      Location(PLACE_PREFIX + entity_id(m.text), m.text, None, None, None, kind="neighbourhood"))
            m = replace(m, target_id=local.id, rule=f"{m.rule}+quarter")
        mentions.append(m)
    return replace(resolution, mentions=mentions, places=places)
