"""The user's two seed articles must come out exactly as the issue specifies."""

import pytest

from conftest import SEED_000, SEED_004, read

pytestmark = pytest.mark.unit


def test_seed_000_fields():
    article, problems = read(SEED_000)
    assert problems == []
    assert article.title == "Report: Iranian-backed militia evacuates from Aleppo"
    assert article.date == "2020-05-06"
    assert article.time == "21:48"
    assert article.source == "The Jerusalem Post"
    assert article.authors == ["Tzvi Joffre"]
    assert article.contributors == ["Anna Ahronheim"]
    assert article.subtitle.startswith("The headquarters are being moved")
    assert article.image_credit == "Amir Cohen/Reuters"
    assert article.image_caption.startswith("An Israeli air force F15")


def test_seed_000_body_is_clean():
    article, _ = read(SEED_000)
    body = article.body
    assert article.paragraphs[0].startswith("The Iranian-backed Baqir brigade began relocating")
    assert article.paragraphs[-1].endswith("located in the border town of Al-Bukamal.")
    for junk in ("Coronavirus Israel News", "photo credit", "contributed to this report", "TZVI JOFFRE", "MAY 6, 2020"):
        assert junk not in body
    # The dek is repeated as a body paragraph on the page; it is kept once, as the subtitle.
    assert article.subtitle not in body
    assert "\u00a0" not in body and "\u2019" not in body
    assert len(article.paragraphs) == 10


def test_seed_000_date_never_from_caption():
    article, _ = read(SEED_000)
    assert article.date != "2009-06-25"


def test_seed_004_fields():
    article, problems = read(SEED_004)
    assert problems == []
    assert article.title == "Iran-backed forces including Hezbollah withdrawing from Syria after IDF strikes"
    assert article.date is None
    assert article.time is None
    assert article.source == "World Israel News"
    assert article.authors == ["Debbie Reiss"]
    assert article.contributors == []


def test_seed_004_body_is_clean():
    article, _ = read(SEED_004)
    assert "Read 2 terrorists killed" not in article.body
    assert "explosions rock Damascus" not in article.body
    assert article.paragraphs[0].startswith("Pro-Iranian forces including Hezbollah")
    assert article.paragraphs[-1].startswith("Mabam effectively")
    assert len(article.paragraphs) == 8


def test_ids_and_hashes_are_stable():
    first, _ = read(SEED_000, "000_5e54e979575ccf65.txt")
    again, _ = read(SEED_000, "000_5e54e979575ccf65.txt")
    assert first.id == again.id == "000-5e54e979575ccf65"
    assert first.sha256 == again.sha256 == __import__("hashlib").sha256(SEED_000.read_bytes()).hexdigest()
    assert first.word_count == len(first.body.split())
    assert first.language == "en"
