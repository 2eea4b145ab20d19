"""Reading order and relations between articles, from the Index: pure functions, no state."""

from __future__ import annotations

import heapq
import operator
from collections import Counter
from itertools import repeat

from ..aggregate import Index

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
    nearest in date (undated articles last), then by id. Only articles sharing at least one entity are related;
    entities named in more than MAX_SHARED_BY articles are not counted."""
    postings = {eid: s.article_ids for eid, s in index.entities.items() if len(s.article_ids) <= MAX_SHARED_BY}
    day = {a.id: _day_number(a.date) for a in index.articles}
    related = {}
    for a in index.articles:
        entity_ids, _ = index.subjects_by_article.get(a.id, ([], []))
        shared = Counter()
        for eid in entity_ids:
            shared.update(postings.get(eid, ()))
        shared.pop(a.id, None)
        if not shared:
            related[a.id] = []
            continue
        # only articles sharing as many entities as the limit-th best can rank; the keys are built with C-level
        # maps (this runs for every article against hundreds of others)
        floor = heapq.nlargest(limit, shared.values())[-1]
        ids = [k for k, n in shared.items() if n >= floor]
        here = day[a.id]
        distance = map(abs, map(operator.sub, map(day.__getitem__, ids), repeat(here)))
        best = heapq.nsmallest(limit, zip(map(operator.neg, map(shared.__getitem__, ids)), distance, ids))
        related[a.id] = [(other, -negative) for negative, _, other in best]
    return related


UNDATED = 10**9  # an undated article's day: after every dated one


def _day_number(date: str | None) -> int:
    if not date:
        return UNDATED
    year, month, day = (int(x) for x in date.split("-"))
    return year * 372 + month * 31 + day


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
    position = {key: i for i, key in enumerate(ids)}
    wanted_entities = {t for k, t in ids if k == "entity"}
    wanted_places = {t for k, t in ids if k == "location"}
    pairs: Counter = Counter()
    for article_id in subject.article_ids:
        entity_ids, location_ids = index.subjects_by_article.get(article_id, ([], []))
        present = [("entity", e) for e in entity_ids if e in wanted_entities] + \
                  [("location", p) for p in location_ids if p in wanted_places]
        present.sort(key=position.__getitem__)
        pairs.update((center, x) for x in present)
        pairs.update((a, b) for i, a in enumerate(present) for b in present[i + 1:])

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
