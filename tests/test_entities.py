"""Issue 3's guarantees on the seeds: entities and locations found, typed, cross-linked and exported."""

import csv
import io
import json

import pytest

from builder.app.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("entities") / "archive")
    assert main(["-f", str(root / "mkdocs.yml"), "build", "--strict"]) == 0
    return root / "site"


def load(site, name):
    text = (site / "data" / name).read_text("utf-8")
    return json.loads(text) if name.endswith(("json", "geojson")) else text


A000, A004 = "000-5e54e979575ccf65", "004-8a7ef53b83db8164"

EXPECTED_ENTITIES = {
    "Hezbollah": ("organisation", {A004}),
    "Quds Force": ("organisation", {A004}),
    "Israel Defense Forces": ("organisation", {A004}),
    "Baqir Brigade": ("organisation", {A000}),
    "Syrian Observatory for Human Rights": ("organisation", {A000}),
    "Step News Agency": ("organisation", {A000}),
    "Al-Arabiya": ("organisation", {A000}),
    "Liwa al-Quds": ("organisation", {A000}),
    "Scientific Studies and Research Center": ("organisation", {A000, A004}),
    "Qassem Soleimani": ("person", {A004}),
    "Benny Gantz": ("person", {A004}),
    "Tzvi Joffre": ("person", {A000}),
    "Debbie Reiss": ("person", {A004}),
}


def test_seed_entities_are_found_typed_and_linked(site):
    entities = {e["name"]: e for e in load(site, "entities.json")}
    for name, (kind, articles) in EXPECTED_ENTITIES.items():
        assert name in entities, name
        assert entities[name]["type"] == kind, name
        assert set(entities[name]["articles"]) == articles, name
        assert (site / entities[name]["url"] / "index.html").is_file()


def test_aliases_make_one_entity(site):
    entities = {e["name"]: e for e in load(site, "entities.json")}
    assert "IDF" in entities["Israel Defense Forces"]["aliases"]
    assert "SOHR" in entities["Syrian Observatory for Human Rights"]["aliases"]
    assert "Jerusalem Brigade" in entities["Liwa al-Quds"]["aliases"]
    assert "CERS" in entities["Scientific Studies and Research Center"]["aliases"]
    names = set(entities)
    assert not names & {"Jerusalem Brigade", "CERS", "IDF", "SOHR", "Soleimani", "Gantz"}
    mentions = list(csv.DictReader(io.StringIO(load(site, "mentions.csv"))))
    texts = {(m["target_id"], m["text"]) for m in mentions}
    assert ("liwa-al-quds", "Jerusalem Brigade") in texts
    assert ("scientific-studies-and-research-center", "CERS") in texts
    assert ("qassem-soleimani", "Soleimani") in texts  # a lone surname joins the full name
    assert ("benny-gantz", "Gantz") in texts


def test_no_junk_pages(site):
    names = {e["name"].lower() for e in load(site, "entities.json")}
    junk = {"tuesday", "monday", "thursday", "israeli", "iranian", "russian", "syrian", "read", "report", "the", "step"}
    assert not names & junk
    assert not any(n.startswith(("read ", "report ")) for n in names)


EXPECTED_PLACES = {
    "aleppo-sy": {A000, A004}, "damascus-sy": {A004}, "deir-ez-zor-sy": {A000}, "abu-kamal-sy": {A000},
    "masyaf-sy": {A004}, "syria": {A000, A004}, "iran": {A000, A004}, "iraq": {A000}, "israel": {A000, A004},
    "russia": {A000, A004},
}


def test_seed_locations_with_coordinates(site):
    features = {f["id"]: f for f in load(site, "locations.geojson")["features"]}
    for place, articles in EXPECTED_PLACES.items():
        feature = features[place]
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(feature["properties"]["articles"]) == articles, place
    assert features["damascus-sy"]["properties"]["country"] == "SY"  # not Damascus, Arkansas
    assert abs(features["aleppo-sy"]["geometry"]["coordinates"][1] - 36.2) < 0.1
    abu_kamal = features["abu-kamal-sy"]["properties"]
    assert abu_kamal["name"] == "Abu Kamal" or "Al-Bukamal" in abu_kamal["aliases"]


def test_mentions_carry_provenance(site):
    articles = {a["id"]: a for a in load(site, "articles.json")}
    body = (site / "articles" / A004 / "index.html").read_text("utf-8")
    mentions = list(csv.DictReader(io.StringIO(load(site, "mentions.csv"))))
    sentences = {s["sentence_id"]: s for s in csv.DictReader(io.StringIO(load(site, "sentences.csv")))}
    assert mentions and set(mentions[0]) == {"article_id", "kind", "target_id", "start", "end", "text", "sentence_id",
                                             "rule", "matched", "confidence"}
    families = {m["rule"] for m in mentions}
    assert {"registry", "gazetteer", "demonym"} <= families and "other" not in families
    for m in mentions:
        assert 0 < float(m["confidence"]) <= 1 and m["matched"]
    assert any(m["rule"] == "demonym" and m["text"] in ("Iranian", "Iran-backed", "Israeli") for m in mentions)
    assert len({(s["article_id"], s["start"]) for s in sentences.values()}) == len(sentences)  # each once
    for m in mentions:
        sentence = sentences[m["sentence_id"]]
        assert m["text"] in sentence["sentence"] and sentence["article_id"] == m["article_id"]
        assert int(sentence["start"]) <= int(m["start"]) < int(m["end"]) <= int(sentence["end"])
        assert int(m["end"]) - int(m["start"]) == len(m["text"])
    hezbollah = [m for m in mentions if m["target_id"] == "hezbollah"]
    assert len(hezbollah) == 4 and all(m["article_id"] == A004 for m in hezbollah)
    assert "Hezbollah" in body
    assert "hezbollah" in articles[A004]["entities"] and "aleppo-sy" in articles[A004]["locations"]


def test_pages_cross_link(site):
    article = (site / "articles" / A004 / "index.html").read_text("utf-8")
    assert 'href="../../entities/hezbollah/"' in article  # chip and first mention in the body
    entity = (site / "entities" / "hezbollah" / "index.html").read_text("utf-8")
    assert f'href="../../articles/{A004}/#p1"' in entity  # the sentence links to its paragraph
    assert "<mark " in entity
    assert 'id="p1"' in article
    location = (site / "locations" / "aleppo-sy" / "index.html").read_text("utf-8")
    assert 'class="archive-map"' in location and "36.2" in location
    index = (site / "entities" / "index.html").read_text("utf-8")
    assert "Organisations" in index and "People" in index
