"""The browse page's index (data/browse.json): every article, entity and place with its facets, compact.

Items are lists, facet values indices into the shared tables, so the file stays small:

    {"types": [...], "sources": [...], "places": [[id, name], ...], "entities": [[id, name, type], ...],
     "items": [[type, title, url, date, [year, ...], [source, ...], [place, ...], [entity, ...]], ...]}

`type` indexes "types" (article, then entity types, then place kinds); `url` is relative to the site root.
An article's facets are its own; an entity's or place's years are those of its articles, its places and
entities those it appears with most (RELATED_FACETS) and itself, so picking a name lists it, the articles
naming it and its company."""

from __future__ import annotations

from ..aggregate import Index
from ..models import Entity

RELATED_FACETS = 10


def browse_index(index: Index) -> dict:
    types: dict[str, int] = {"article": 0}
    sources = {name: i for i, name in enumerate(n for n in index.by_source if n)}
    places = {sid: i for i, sid in enumerate(index.locations)}
    entities = {sid: i for i, sid in enumerate(index.entities)}
    items = []
    for a in index.articles:
        entity_ids, location_ids = index.subjects_by_article.get(a.id, ([], []))
        items.append([0, a.title, a.url, a.date or "", [int(a.date[:4])] if a.date else [],
                      [sources[a.source]] if a.source else [], [places[p] for p in location_ids],
                      [entities[e] for e in entity_ids]])
    for kind, subjects in (("entity", index.entities), ("location", index.locations)):
        for s in subjects.values():
            type_name = s.record.type if isinstance(s.record, Entity) else s.record.kind
            t = types.setdefault(type_name, len(types))
            years = sorted({int(date[:4]) for x in s.article_ids if (date := index.by_id[x].date)})
            near_places = [places[p] for p, _ in s.co_locations[:RELATED_FACETS]]
            near_entities = [entities[e] for e, _ in s.co_entities[:RELATED_FACETS]]
            if kind == "entity":
                near_entities.insert(0, entities[s.id])
            else:
                near_places.insert(0, places[s.id])
            items.append([t, s.name, s.url, s.last_seen or "", years, [], near_places, near_entities])
    return {
        "types": list(types),
        "sources": list(sources),
        "places": [[sid, s.name] for sid, s in index.locations.items()],
        "entities": [[sid, s.name, s.record.type] for sid, s in index.entities.items()],
        "items": items,
    }
