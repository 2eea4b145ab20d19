"""data/entities.ftm.json: the archive in the FollowTheMoney format (JSON lines), for OCCRP Aleph (`ftm` and
`alephclient write-entities` read it) and other FtM tools.

Written by the published schema (https://followthemoney.tech/explorer/) rather than with the
`followthemoney` package (MIT, but it brings seventeen runtime dependencies: SQLAlchemy, rdflib, pydantic,
networkx, openpyxl, …, for what is a few dicts per record here). Each line is one entity:
{"id", "schema", "properties": {name: [text, ...]}}, every property value a list of strings.

- Article (a Document): title, author, publisher, publishedAt, sourceUrl, summary, bodyText, fileName,
  peopleMentioned / companiesMentioned / locationMentioned.
- Person, Organization, LegalEntity (facilities and other names): name, alias, description, wikidataId.
- Address for each place: full, latitude, longitude, country.
- Mention (document → resolved entity, with the name as the article wrote it), one per article, entity and
  spelling.
- Documentation (document ↔ entity, with a role): bylines and photo credits ("author", "photo"), and places
  named in the article ("place named"), since a Mention resolves only to a legal entity.

Ids are a kind and a SHA-1 of the archive's own id (FtM ids allow letters, digits, '.' and '-'), so they
stay the same across rebuilds."""

from __future__ import annotations

import hashlib

from ..aggregate import Index
from ..markup.escape import site_json

SCHEMA_OF_TYPE = {"person": "Person", "organisation": "Organization"}  # facility, other → LegalEntity


def ftm_id(kind: str, key: str) -> str:
    return f"{kind}-{hashlib.sha1(f'{kind}:{key}'.encode()).hexdigest()}"


def _entity(id_: str, schema: str, **properties) -> dict:
    props = {}
    for name, values in properties.items():
        values = [values] if isinstance(values, str) else list(values or [])
        values = [str(v) for v in values if v not in (None, "")]
        if values:
            props[name] = values
    return {"id": id_, "schema": schema, "properties": props}


def ftm_records(index: Index) -> list[dict]:
    records = []
    schema_of = {eid: SCHEMA_OF_TYPE.get(s.record.type, "LegalEntity") for eid, s in index.entities.items()}
    for eid, s in index.entities.items():
        records.append(_entity(ftm_id("entity", eid), schema_of[eid], name=s.name,
                               alias=[x for x in s.record.aliases if x != s.name], description=s.record.description,
                               wikidataId=s.record.wikidata))
    for lid, place in index.locations.items():
        loc = place.record
        records.append(_entity(ftm_id("place", lid), "Address", full=place.name,
                               latitude=None if loc.lat is None else f"{loc.lat:.5f}",
                               longitude=None if loc.lon is None else f"{loc.lon:.5f}",
                               country=loc.country.lower() if loc.country else None))
    roles: dict[str, list[tuple[str, str]]] = {}
    for eid, s in index.entities.items():
        for article_id, role in s.credits:
            roles.setdefault(article_id, []).append((eid, role))
    for a in index.articles:
        entity_ids, location_ids = index.subjects_by_article.get(a.id, ([], []))
        doc = ftm_id("article", a.id)
        named = lambda schema: [index.entities[e].name for e in entity_ids if schema_of[e] == schema]  # noqa: E731
        records.append(_entity(doc, "Article", title=a.title, author=a.authors, publisher=a.source,
                               publishedAt=a.date, sourceUrl=a.source_url, summary=a.subtitle, bodyText=a.body,
                               fileName=a.original, peopleMentioned=named("Person"),
                               companiesMentioned=named("Organization"),
                               locationMentioned=[index.locations[x].name for x in location_ids]))
        spellings = sorted({(m.target_id, m.text) for m in index.mentions_by_article.get(a.id, [])
                            if m.kind == "entity" and m.target_id in index.entities})
        for eid, text in spellings:
            records.append(_entity(ftm_id("mention", f"{a.id}|{eid}|{text}"), "Mention", document=doc,
                                   resolved=ftm_id("entity", eid), name=text, detectedSchema=schema_of[eid]))
        for eid, role in roles.get(a.id, []):
            records.append(_entity(ftm_id("credit", f"{a.id}|{eid}|{role}"), "Documentation", document=doc,
                                   entity=ftm_id("entity", eid), role=role))
        for lid in location_ids:
            records.append(_entity(ftm_id("placed", f"{a.id}|{lid}"), "Documentation", document=doc,
                                   entity=ftm_id("place", lid), role="place named"))
    return records


def ftm_lines(index: Index) -> str:
    return "".join(site_json(r, separators=(",", ":")) + "\n" for r in ftm_records(index))
