"""A small in-memory archive for the reader-experience tests: articles, mentions and subjects, no files."""

from __future__ import annotations

import hashlib

from builder.aggregate import Index, build_index
from builder.models import Article, Entity, Location, Mention

ENTITIES = {
    "hezbollah": Entity("hezbollah", "Hezbollah", "organisation", aliases=["Hizbullah"]),
    "iran": Entity("iran", "Quds Force", "organisation"),
    "jane-doe": Entity("jane-doe", "Jane Doe", "person"),
}
LOCATIONS = {"aleppo": Location("aleppo", "Aleppo", 36.2, 37.16, "SY"), "homs": Location("homs", "Homs", 34.73, 36.72, "SY")}


def make_article(i: int, body: str, date: str | None = None, source: str | None = "Daily Wire", **fields) -> Article:
    return Article(id=f"a{i:03d}", title=f"Story number {i}", body=body, original=f"a{i:03d}.txt",
                   sha256=hashlib.sha256(body.encode()).hexdigest(), kind="text", date=date, source=source, **fields)


def mentions_in(article: Article, names: dict[str, tuple[str, str]]) -> list[Mention]:
    """Every occurrence of each name (text → (kind, target id)) in the article's body, one sentence per line
    of `. `-separated text, paragraph 0."""
    found = []
    for text, (kind, target) in names.items():
        at = article.body.find(text)
        while at >= 0:
            start = article.body.rfind(". ", 0, at)
            start = 0 if start < 0 else start + 2
            end = article.body.find(".", at)
            found.append(Mention(article.id, kind, target, at, at + len(text), text, article.body[start:end + 1], 0,
                                 "alias", sentence_start=start))
            at = article.body.find(text, at + 1)
    return found


NAMES = {"Hezbollah": ("entity", "hezbollah"), "Quds Force": ("entity", "iran"), "Aleppo": ("location", "aleppo"),
         "Homs": ("location", "homs")}


def busy_archive(n: int = 230) -> Index:
    """`n` dated articles naming Hezbollah (five sentences each), every third the Quds Force, every other
    Aleppo; a few undated, with Homs."""
    articles, mentions = [], []
    for i in range(n):
        parts = ["Hezbollah fighters moved at dawn.", "Residents saw Hezbollah convoys.", "Hezbollah denied it.",
                 "A Hezbollah official spoke.", "Hezbollah left later."]
        if i % 3 == 0:
            parts.append("The Quds Force sent advisers.")
        if i % 2 == 0:
            parts.append("They reached Aleppo.")
        date = None if i >= n - 3 else f"{2015 + i % 4}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        if date is None:
            parts.append("Homs was quiet.")
        a = make_article(i, " ".join(parts), date, source=("Daily Wire" if i % 2 else "Gazette"),
                         authors=["Jane Doe"] if i % 5 == 0 else [], source_url=f"https://news.example/{i}" if i % 7 == 0 else None)
        articles.append(a)
        mentions += mentions_in(a, NAMES)
    credits = {"jane-doe": [(a.id, "author") for a in articles if a.authors]}
    return build_index(articles, [], inputs=n, mentions=mentions, entities=ENTITIES, locations=LOCATIONS, credits=credits)
