"""schema.org JSON-LD and Open Graph for article, entity and location pages: data for search engines,
citation tools and link previews.

The block is written after sanitising (the sanitiser drops every <script>), as a data block that no
browser runs: `json_ld_script` escapes <, > and & inside the JSON, so no text can end the element early
(and U+2028 / U+2029, as all the site's JSON: escape.site_json).
URLs are relative to the site root (the build does not know where the site will be served)."""

from __future__ import annotations

from ..aggregate import AnySubject, Subject
from ..models import Article, Entity, Location
from ..markup.escape import site_json

_ENTITY_TYPES = {"person": "Person", "organisation": "Organization"}


def json_ld_script(data: dict[str, object]) -> str:
    text = site_json(data, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def subject_type(s: AnySubject) -> str:
    if isinstance(s.record, Location):
        return "Country" if s.record.kind == "country" else "Place"
    return _ENTITY_TYPES.get(s.record.type, "Thing")


def _brief(s: AnySubject) -> dict[str, str]:
    return {"@type": subject_type(s), "name": s.name, "url": s.url}


def article_ld(a: Article, entities: list[Subject[Entity]], locations: list[Subject[Location]]) -> dict[str, object]:
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title, "url": a.url}
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


def subject_ld(s: AnySubject) -> dict[str, object]:
    data: dict[str, object] = {"@context": "https://schema.org", "@type": subject_type(s), "name": s.name, "url": s.url}
    aliases = [x for x in s.record.aliases if x != s.name]
    if aliases:
        data["alternateName"] = aliases
    record = s.record
    if isinstance(record, Entity):
        if record.description:
            data["description"] = record.description
        if record.wikidata:
            data["sameAs"] = f"https://www.wikidata.org/wiki/{record.wikidata}"
    else:
        if record.lat is not None:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": record.lat, "longitude": record.lon}
        if record.country and record.kind != "country":
            data["containedInPlace"] = {"@type": "Country", "identifier": record.country}
    return data


OG_DESCRIPTION = 200  # characters


def _cut(text: str, limit: int = OG_DESCRIPTION) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def article_og(a: Article) -> tuple[tuple[str, str], ...]:
    """Open Graph for an article page: its title, the dek or the start of the body, its date and source."""
    description = a.subtitle or (a.paragraphs[0] if a.paragraphs else "")
    tags = [("og:type", "article"), ("og:title", a.title), ("og:description", _cut(description))]
    if a.date:
        tags.append(("article:published_time", a.date))
    tags += [("article:author", name) for name in a.authors]
    if a.source:
        tags.append(("article:publisher", a.source))
    return tuple((p, c) for p, c in tags if c)


def subject_og(s: AnySubject) -> tuple[tuple[str, str], ...]:
    kind = s.record.type if isinstance(s.record, Entity) else s.record.kind
    n, m = len(s.article_ids), len(s.mentions)
    description = f"{kind.capitalize()} named in {n} article{'s' if n != 1 else ''} of the archive ({m} mention{'s' if m != 1 else ''})"
    if s.first_seen:
        description += f", {s.first_seen} to {s.last_seen}" if s.last_seen != s.first_seen else f", {s.first_seen}"
    return (("og:type", "profile" if kind == "person" else "website"), ("og:title", s.name), ("og:description", description + "."))
