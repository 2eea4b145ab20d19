"""Aggregate: Articles (and, later, Mentions) → one Index that every page is rendered from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..models import Article, Problem


@dataclass
class Index:
    articles: list[Article]  # newest first; undated ones last, by title
    problems: list[Problem]
    inputs: int  # files found under articles/
    by_year_month: dict[str, dict[str, list[Article]]] = field(default_factory=dict)  # "2020" → "05" → articles
    undated: list[Article] = field(default_factory=list)
    by_source: dict[str, list[Article]] = field(default_factory=dict)  # sorted by source name; "" = unknown

    @property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


def newest_first(articles: list[Article]) -> list[Article]:
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date, a.time or "", a.id), reverse=True)
    undated = sorted((a for a in articles if not a.date), key=lambda a: (a.title.lower(), a.id))
    return dated + undated


def build_index(articles: list[Article], problems: list[Problem], inputs: int) -> Index:
    ordered = newest_first(articles)
    timeline: dict[str, dict[str, list[Article]]] = defaultdict(lambda: defaultdict(list))
    sources: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        if article.date:
            timeline[article.date[:4]][article.date[5:7]].append(article)
        sources[article.source or ""].append(article)
    return Index(
        articles=ordered,
        problems=sorted(problems),
        inputs=inputs,
        by_year_month={y: dict(months) for y, months in timeline.items()},
        undated=[a for a in ordered if not a.date],
        by_source=dict(sorted(sources.items(), key=lambda kv: (kv[0] == "", kv[0].lower()))),
    )
