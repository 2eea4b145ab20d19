"""Reading order and relations between articles, from the Index: pure functions, no state."""

from __future__ import annotations

import functools
import heapq
import operator
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from itertools import islice, repeat

import yaml

from ..aggregate import AnySubject, Index
from ..ingest.sources import named_source
from ..models import Entity, Location

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
    related: dict[str, list[tuple[str, int]]] = {}
    for a in index.articles:
        entity_ids, _ = index.subjects_by_article.get(a.id, ([], []))
        shared: Counter[str] = Counter()
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


# --- who a subject is named with ---------------------------------------------------------------------------------

TOP_CO_MENTIONS = 10  # the summary's "Most often named with"
# A subject named in more than this share of the archive's articles ("Syria" in an archive about Syria) is the
# archive's backdrop: it would top every page's list, so it is left out of the lists and the network (and said
# so). Only in an archive of BACKDROP_FROM articles or more: in a few dozen on one story, most names are in most
# of them, and the lists and the network would be left empty.
BACKDROP_SHARE = 0.5
BACKDROP_FROM = 100
_WORDS = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(text.casefold()))


def _bare(text: str) -> tuple[str, ...]:
    """A name as words, case and punctuation aside, a leading "the" passed over: "The New Arab" → ("new", "arab")."""
    words = _words(text)
    return words[1:] if len(words) > 1 and words[0] == "the" else words


@functools.cache
def _publication_rules() -> tuple[tuple[tuple[str, ...], ...], frozenset[tuple[str, ...]], frozenset[str]]:
    """data/publications.yml: the head words of an outlet's name, the outlets sources.yml does not list, and the
    sources.yml outlets that are parties to the story."""
    data = yaml.safe_load(resources.files("builder").joinpath("data/publications.yml").read_text("utf-8")) or {}
    heads = tuple(h for h in map(_words, data.get("heads", [])) if h)
    return heads, frozenset(map(_bare, data.get("outlets", []))), frozenset(data.get("parties", []))


@functools.lru_cache(maxsize=65536)
def _names_a_publication(name: str, aliases: tuple[str, ...]) -> bool:
    heads, outlets, parties = _publication_rules()
    for text in (name, *aliases):
        outlet = named_source(text)
        if (outlet and outlet not in parties) or _bare(text) in outlets:
            return True
    words = _words(name)
    return any(words[-len(h):] == h for h in heads)


def is_publication(s: AnySubject) -> bool:
    """Whether an entity is a news source (an agency, paper, channel or monitor): an organisation or other entity
    whose name or an alias is an outlet spelling in data/sources.yml (not one of data/publications.yml's
    `parties`) or one of data/publications.yml's `outlets`, or whose name ends with one of its `heads`. Places and
    people never are."""
    if not isinstance(s.record, Entity) or s.record.type not in ("organisation", "other"):
        return False
    return _names_a_publication(s.record.name, tuple(s.record.aliases))


def archive_share(s: AnySubject, index: Index) -> float:
    """The share of the archive's articles that name `s` (0 for an empty archive)."""
    return len(s.article_ids) / len(index.articles) if index.articles else 0.0


def is_backdrop(s: AnySubject, index: Index) -> bool:
    """Named in more than BACKDROP_SHARE of an archive of at least BACKDROP_FROM articles."""
    return len(index.articles) >= BACKDROP_FROM and archive_share(s, index) > BACKDROP_SHARE


def _encloses(place: AnySubject, other: AnySubject) -> bool:
    """`other` is the governorate or the country `place` lies in (its page links them already)."""
    if not isinstance(place.record, Location) or not isinstance(other.record, Location):
        return False
    return other.id == place.record.admin1_id or (
        other.record.kind == "country" and other.id != place.id and other.record.country == place.record.country)


@dataclass(frozen=True)
class CoMentions:
    """What a subject page's summary says of the subjects named with it: the `top` ones by shared articles (each
    (subject, shared articles)); and, of those that would have ranked among them, the news sources and the
    archive's backdrop left out (each (subject, shared articles))."""

    top: list[tuple[AnySubject, int]]
    sources: list[tuple[AnySubject, int]]
    backdrop: list[tuple[AnySubject, int]]


def ranked_co_mentions(s: AnySubject, index: Index) -> list[tuple[AnySubject, int]]:
    """Every entity and place named with `s`, by shared articles (most first), then by name, kind and id."""
    both: list[tuple[AnySubject, int]] = [(index.entities[t], n) for t, n in s.co_entities if t in index.entities] + \
           [(index.locations[t], n) for t, n in s.co_locations if t in index.locations]
    return sorted(both, key=lambda x: (-x[1], x[0].name.casefold(), x[0].kind, x[0].id))


def co_mentions(s: AnySubject, index: Index, limit: int = TOP_CO_MENTIONS) -> CoMentions:
    """The summary's "Most often named with": the `limit` entities and places sharing most articles with `s`,
    news sources (is_publication) and the archive's backdrop (is_backdrop) left out, as is a place's own
    governorate and country; the ones left out that would have ranked are returned too, to be named."""
    top: list[tuple[AnySubject, int]] = []
    sources: list[tuple[AnySubject, int]] = []
    backdrop: list[tuple[AnySubject, int]] = []
    for other, n in ranked_co_mentions(s, index):
        if len(top) == limit:
            break
        if other.id == s.id and other.kind == s.kind or _encloses(s, other):
            continue
        if is_publication(other):
            sources.append((other, n))
        elif is_backdrop(other, index):
            backdrop.append((other, n))
        else:
            top.append((other, n))
    return CoMentions(top, sources, backdrop)


def _network_worthy(s: AnySubject, index: Index) -> bool:
    return not is_publication(s) and not is_backdrop(s, index)


NETWORK_ENTITIES = 15
NETWORK_PLACES = 10
MAX_TIES_PER_NODE = 1  # neighbour–neighbour edges kept: this many per neighbour, the strongest


def cooccurrence(subject: AnySubject, index: Index, entities: int = NETWORK_ENTITIES, places: int = NETWORK_PLACES) -> dict:
    """The subject's co-occurrence network: the subject, the entities and places it shares most articles with
    (news sources and the archive's backdrop left out, as in the summary: co_mentions), and edges weighted by
    shared articles (subject–neighbour and neighbour–neighbour, within the subject's articles; only the strongest
    neighbour–neighbour ones). → {"nodes": [{id, name, kind, type, url}], "links": [{source, target, weight}]}"""
    def strongest(pairs, subjects, n):
        return islice((t for t, _ in pairs if t in subjects and _network_worthy(subjects[t], index)), n)

    ids = [("entity", t) for t in strongest(subject.co_entities, index.entities, entities)] + \
          [("location", t) for t in strongest(subject.co_locations, index.locations, places)]
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
                "type": s.record.type if isinstance(s.record, Entity) else s.record.kind, "url": s.url}

    nodes = [node(center)] + [node(key) for key in ids]
    spokes = sorted((key, n) for key, n in pairs.items() if key[0] == center)
    # between neighbours, only the strongest ties: all of them would draw a hairball
    ties = sorted(((key, n) for key, n in pairs.items() if key[0] != center), key=lambda kv: (-kv[1], kv[0]))[:MAX_TIES_PER_NODE * len(ids)]
    links = [{"source": f"{a[0]}:{a[1]}", "target": f"{b[0]}:{b[1]}", "weight": n} for (a, b), n in spokes + sorted(ties)]
    return {"nodes": nodes, "links": links}
