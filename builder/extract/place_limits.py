"""What the gazetteer indexes: its data files, the population limits by region, the key lengths, the kinds of
place (builder/extract/gazetteer.py explains the index)."""

from __future__ import annotations

from pathlib import Path




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
