"""Reading order and relations between articles, from the Index: pure functions, no state."""

from __future__ import annotations

from collections import Counter

from . import Index

RELATED = 5
# An entity named in more articles than this ties too many of them together to say which are related
# (and scoring it would cost articles × its articles): it is left out of the overlap count.
MAX_SHARED_BY = 400


def date_neighbours(index: Index) -> dict[str, tuple[str | None, str | None]]:
    """Article id → (the previous article by date, the next one), dated articles only: the oldest has no
    previous, the newest no next. Same-day articles follow the Index's order (time, then id)."""
    dated = [a.id for a in reversed(index.articles) if a.date]  # oldest first
    return {aid: (dated[i - 1] if i else None, dated[i + 1] if i + 1 < len(dated) else None) for i, aid in enumerate(dated)}


def related_articles(index: Index, limit: int = RELATED) -> dict[str, list[tuple[str, int]]]:
    """Article id → up to `limit` (other article id, shared entities), most shared entities first, then the
    nearest in date, then by id. Only articles sharing at least one entity are related; entities named in more
    than MAX_SHARED_BY articles are not counted."""
    postings = {eid: s.article_ids for eid, s in index.entities.items() if len(s.article_ids) <= MAX_SHARED_BY}
    day = {a.id: _day_number(a.date) for a in index.articles}
    related = {}
    for a in index.articles:
        entity_ids, _ = index.subjects_by_article.get(a.id, ([], []))
        shared = Counter()
        for eid in entity_ids:
            shared.update(postings.get(eid, ()))
        shared.pop(a.id, None)
        here = day[a.id]
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], _distance(here, day[kv[0]]), kv[0]))
        related[a.id] = ranked[:limit]
    return related


def _day_number(date: str | None) -> int | None:
    if not date:
        return None
    year, month, day = (int(x) for x in date.split("-"))
    return year * 372 + month * 31 + day


def _distance(a: int | None, b: int | None) -> int:
    return abs(a - b) if a is not None and b is not None else 10**9


NETWORK_ENTITIES = 15
NETWORK_PLACES = 10
MAX_TIES_PER_NODE = 1  # neighbour–neighbour edges kept: this many per neighbour, the strongest


def cooccurrence(subject, index: Index, entities: int = NETWORK_ENTITIES, places: int = NETWORK_PLACES) -> dict:
    """The subject's co-occurrence network: the subject, the entities and places it shares most articles with,
    and edges weighted by shared articles (subject–neighbour and neighbour–neighbour, within the subject's
    articles; only the strongest neighbour–neighbour ones). → {"nodes": [{id, name, kind, type, url}], "links": [{source, target, weight}]}"""
    ids = [("entity", t) for t, _ in subject.co_entities[:entities]] + [("location", t) for t, _ in subject.co_locations[:places]]
    if not ids:
        return {"nodes": [], "links": []}
    center = (subject.kind, subject.id)
    wanted = set(ids)
    pairs: Counter = Counter()
    for article_id in subject.article_ids:
        entity_ids, location_ids = index.subjects_by_article.get(article_id, ([], []))
        present = sorted(({("entity", e) for e in entity_ids} | {("location", p) for p in location_ids}) & wanted)
        for i, a in enumerate(present):
            pairs[(center, a)] += 1
            for b in present[i + 1:]:
                pairs[(a, b)] += 1

    def node(key) -> dict:
        kind, target = key
        s = (index.entities if kind == "entity" else index.locations)[target]
        # no counts of the node's own: the page would change whenever a neighbour gains an article elsewhere
        return {"id": f"{kind}:{target}", "name": s.name, "kind": kind,
                "type": s.record.type if kind == "entity" else s.record.kind, "url": s.url}

    nodes = [node(center)] + [node(key) for key in ids]
    spokes = sorted((key, n) for key, n in pairs.items() if key[0] == center)
    # between neighbours, only the strongest ties: all of them would draw a hairball
    ties = sorted(((key, n) for key, n in pairs.items() if key[0] != center), key=lambda kv: (-kv[1], kv[0]))[:MAX_TIES_PER_NODE * len(ids)]
    links = [{"source": f"{a[0]}:{a[1]}", "target": f"{b[0]}:{b[1]}", "weight": n} for (a, b), n in spokes + sorted(ties)]
    return {"nodes": nodes, "links": links}
