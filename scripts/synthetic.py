"""Synthetic news articles for tests and benchmarks when ../shared/corpora is absent.

Sentences are assembled from fixed lists of people, organisations and places of the archive's subject,
so extraction finds entities and locations in them. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

PEOPLE = ["Hassan Nasrallah", "Qassem Soleimani", "Benny Gantz", "Bashar al-Assad", "Talal Barazi", "Rami Abdulrahman",
          "Avichay Adraee", "Esmail Qaani", "Naftali Bennett", "Sergei Lavrov", "Geir Pedersen", "Faisal Mekdad"]
ORGS = ["Hezbollah", "the Quds Force", "the Israel Defense Forces", "the Syrian Observatory for Human Rights",
        "the Fatemiyoun Brigade", "the Syrian Arab Army", "the United Nations", "the Revolutionary Guards", "Reuters"]
PLACES = ["Damascus", "Aleppo", "Homs", "Deir ez-Zor", "Albukamal", "Masyaf", "Palmyra", "Quneitra", "Latakia",
          "Tehran", "Beirut", "Baghdad", "the Golan Heights", "Tartus", "Hama", "Idlib", "Daraa"]
VERBS = ["struck", "targeted", "withdrew from", "reinforced", "shelled", "visited", "evacuated", "surveyed"]
THINGS = ["a weapons depot", "an airbase", "a convoy of trucks", "a radar site", "militia headquarters",
          "an ammunition store", "a border crossing", "a research centre", "air-defence batteries"]
WHEN = ["on Monday", "late on Tuesday", "overnight", "on Friday morning", "earlier this month", "last week"]


def synthetic_docs(count: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    """The fallback when ../shared/corpora is absent: articles of synthetic sentences."""
    def sentence() -> str:
        forms = [
            lambda: f"{rng.choice(ORGS)} {rng.choice(VERBS)} {rng.choice(THINGS)} near {rng.choice(PLACES)} {rng.choice(WHEN)}.",
            lambda: f"{rng.choice(PEOPLE)} said the strikes on {rng.choice(PLACES)} would not change the policy of {rng.choice(ORGS)}.",
            lambda: f"According to {rng.choice(ORGS)}, {rng.randint(2, 40)} people were killed and {rng.randint(2, 90)} wounded in {rng.choice(PLACES)}.",
            lambda: f"Residents of {rng.choice(PLACES)} reported explosions {rng.choice(WHEN)}, {rng.choice(PEOPLE)} told reporters.",
            lambda: f"The move follows talks between {rng.choice(PEOPLE)} and {rng.choice(PEOPLE)} in {rng.choice(PLACES)}.",
        ]
        text = rng.choice(forms)()
        return text[0].upper() + text[1:]

    docs = []
    for _ in range(count):
        title = f"{rng.choice(ORGS)} {rng.choice(VERBS)} {rng.choice(THINGS)} near {rng.choice(PLACES)}"
        paragraphs = [" ".join(sentence() for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(4, 9))]
        docs.append((title[0].upper() + title[1:], paragraphs))
    return docs


SITES = ["The Jerusalem Post - Israel News", "Reuters - World News", "Al-Monitor", "BBC News - Middle East"]


def write_articles(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """`count` raw .txt articles in the seed shape (some with a clipping-header date) under `folder`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (title, paragraphs) in enumerate(synthetic_docs(count, rng)):
        header = ""
        if i % 3:
            day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
            header = f"date {day.isoformat()} {rng.choice(SITES)}\n"
        path = folder / f"s{i:05d}.txt"
        path.write_text(f"{header}{title} ({i})\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
