"""schema.org JSON-LD for article, entity and location pages: data for search engines and citation tools.

The block is written after sanitising (the sanitiser drops every <script>), as a data block that no
browser runs: `json_ld_script` escapes <, > and & inside the JSON, so no text can end the element early.
URLs are relative to the site root (the build does not know where the site will be served)."""

from __future__ import annotations

import json

from ..aggregate import Subject
from ..models import Article

_ENTITY_TYPES = {"person": "Person", "organisation": "Organization"}


def json_ld_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def subject_type(s: Subject) -> str:
    if s.kind == "location":
        return "Country" if s.record.kind == "country" else "Place"
    return _ENTITY_TYPES.get(s.record.type, "Thing")


def _brief(s: Subject) -> dict:
    return {"@type": subject_type(s), "name": s.name, "url": s.url}


def article_ld(a: Article, entities: list[Subject], locations: list[Subject]) -> dict:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title, "url": a.url}
    if a.subtitle:
        data["description"] = a.subtitle
    if a.date:
        data["datePublished"] = a.date + (f"T{a.time}" if a.time else "")
    if a.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in a.authors]
    if a.source:
        data["publisher"] = {"@type": "Organization", "name": a.source}
    if a.source_url:
        data["isBasedOn"] = a.source_url
    if a.language:
        data["inLanguage"] = a.language
    data["wordCount"] = a.word_count
    if entities:
        data["mentions"] = [_brief(s) for s in entities]
    if locations:
        data["contentLocation"] = [_brief(s) for s in locations]
    return data


def subject_ld(s: Subject) -> dict:
    data = {"@context": "https://schema.org", "@type": subject_type(s), "name": s.name, "url": s.url}
    aliases = [x for x in s.record.aliases if x != s.name]
    if aliases:
        data["alternateName"] = aliases
    if getattr(s.record, "description", None):
        data["description"] = s.record.description
    if getattr(s.record, "wikidata", None):
        data["sameAs"] = f"https://www.wikidata.org/wiki/{s.record.wikidata}"
    if s.kind == "location":
        if s.record.lat is not None:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": s.record.lat, "longitude": s.record.lon}
        if s.record.country and s.record.kind != "country":
            data["containedInPlace"] = {"@type": "Country", "identifier": s.record.country}
    return data
