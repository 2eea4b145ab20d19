"""The curated Syrian-war places in builder/data/places.yml: spellings the news uses, and sane coordinates."""

from __future__ import annotations

import re

import pytest
import yaml

from builder.extract.gazetteer import PLACES_PATH

pytestmark = pytest.mark.unit

# Syria's extent, with a margin (32.3-37.3 N, 35.7-42.4 E).
SYRIA_BOX = (32.2, 37.5, 35.5, 42.5)


@pytest.fixture(scope="module")
def gaz(gazetteer):
    return gazetteer  # the session's (conftest)


@pytest.fixture(scope="module")
def entries():
    return yaml.safe_load(PLACES_PATH.read_text(encoding="utf-8"))["places"]


@pytest.mark.parametrize("spelling, location_id, kind", [
    ("Kefraya", "kafraya-sy", "place"),
    ("Kafraya", "kafraya-sy", "place"),
    ("Fuaa", "al-foua-sy", "place"),
    ("al-Fouaa", "al-foua-sy", "place"),
    ("Foua", "al-foua-sy", "place"),
    ("Sheikh Maqsood", "sheikh-maqsoud-sy", "neighbourhood"),
    ("al-Sheikh Maqsoud", "sheikh-maqsoud-sy", "neighbourhood"),
    ("Bustan al-Qaser", "bustan-al-qasr-sy", "neighbourhood"),
    ("al-Hamadaniyeh", "al-hamadaniyeh-sy", "neighbourhood"),
    ("Hamdaniyeh", "al-hamadaniyeh-sy", "neighbourhood"),
    ("Ramussa", "al-ramouseh-sy", "neighbourhood"),
    ("al-Ramouseh", "al-ramouseh-sy", "neighbourhood"),
    ("al-Rashideen", "rashidin-sy", "neighbourhood"),
    ("al-Waer", "al-waer-sy", "neighbourhood"),
    ("Jobar", "jobar-sy", "neighbourhood"),
    ("Qalamun", "qalamoun-sy", "region"),
    ("al-Sheitaat", "al-sheitaat-sy", "region"),
    ("Castello Road", "castello-road-sy", "facility"),
    ("Kweyris", "kuweires-airbase-sy", "facility"),
    ("Ein Tarma", "ein-tarma-sy", "place"),
    ("Erbin", "arbin-sy", "place"),
    ("Nubbul", "nubl-sy", "place"),
    ("Kafr Zeita", "kafr-zeita-sy", "place"),
    ("Salamyieh", "salamiyeh-sy", "place"),
])
def test_news_spellings(gaz, spelling, location_id, kind):
    location = gaz.resolve(spelling, {"SY": 1})
    assert location is not None and (location.id, location.kind) == (location_id, kind)


@pytest.mark.parametrize("name", ["Adra", "Suluk", "Khalasa", "Hadar", "Ein Tarma"])
def test_syrian_not_foreign(gaz, name):
    """These resolved to Adra (Spain), Jolo (Philippines), Qiryat Shmona, al-Hadar (Iraq), Tarma (Peru)."""
    assert gaz.resolve(name, {"SY": 1}).country == "SY"


@pytest.mark.parametrize("name", ["Meridian", "Zahra", "Jura", "Salah al-Din", "Maidan"])
def test_ambiguous_bare_names_stay_out(gaz, name):
    assert all(loc.country != "SY" or not gaz.is_curated(loc.id) for loc in gaz.candidates(name))


def test_sulaymaniyah_is_still_iraqi(gaz):
    assert gaz.resolve("Sulaymaniyah", {"SY": 3}).country == "IQ"


def test_curated_syrian_coordinates_are_in_syria(entries):
    south, north, west, east = SYRIA_BOX
    for entry in entries:
        if entry.get("country") == "SY" and entry.get("lat") is not None and entry["kind"] != "country":
            assert south <= entry["lat"] <= north and west <= entry["lon"] <= east, entry["name"]


def test_quarters_and_areas_without_geonames_are_marked_approximate(entries):
    for entry in entries:
        if entry["kind"] in ("neighbourhood", "region") and entry.get("geonameid") is None:
            assert entry.get("approximate") is True, entry["name"]


def test_a_quarter_named_like_a_town_abroad_is_not_that_town():
    from builder.aggregate.entities import Resolution
    from builder.aggregate.places import unmap_quarters_abroad
    from builder.models import Article, Location, Mention

    class Places:  # the two gazetteer places the article's names resolved to
        def get(self, location_id):
            return {"aleppo-sy": Location("aleppo-sy", "Aleppo", 36.2, 37.16, "SY"),
                    "sulaymaniyah-iq": Location("sulaymaniyah-iq", "Sulaymaniyah", 35.56, 45.43, "IQ")}.get(location_id)

    body = "Shelling of the Sulaymaniyah neighborhood of Aleppo killed three. Aleppo was calm. Sulaymaniyah voted."
    a = Article(id="a", title="t", body=body, original="a.txt", sha256="0" * 64, kind="text")
    spans = [(m, "sulaymaniyah-iq" if m.startswith("S") else "aleppo-sy") for m in ("Sulaymaniyah", "Aleppo")]
    mentions = [Mention("a", "location", target, i, i + len(name), name, "", 0, f"place:{name}")
                for name, target in spans for i in [j.start() for j in re.finditer(name, body)]]
    out = unmap_quarters_abroad(Resolution(entities={}, mentions=mentions), [a], Places())
    targets = sorted((m.start, m.target_id) for m in out.mentions)
    quarter, *_, abroad = [m.start() for m in re.finditer("Sulaymaniyah", body)]
    first, second = [m.start() for m in re.finditer("Aleppo", body)]
    # the quarter of Aleppo loses its Iraqi namesake; the city named as such elsewhere keeps it
    assert targets == [(quarter, "unmapped-sulaymaniyah"), (first, "aleppo-sy"), (second, "aleppo-sy"),
                       (abroad, "sulaymaniyah-iq")]
    assert out.places["unmapped-sulaymaniyah"].lat is None
