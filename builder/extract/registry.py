"""The curated entity registry (entities.yml): canonical names, types, aliases, and names to ignore."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from slugify import slugify

from ..models import Entity
from ..reserved import RESERVED

TYPES = ("person", "organisation", "facility", "other")


class RegistryError(ValueError):
    """The registry file is malformed; the message names the file and line."""


@dataclass
class Registry:
    entities: list[Entity] = field(default_factory=list)
    ignore: set[str] = field(default_factory=set)  # lower-cased
    digest: str = ""  # sha256 of the file, for build caches

    def by_alias(self) -> dict[str, Entity]:
        """Every surface form (name and aliases) → its entity."""
        forms: dict[str, Entity] = {}
        for entity in self.entities:
            for form in (entity.name, *entity.aliases):
                forms.setdefault(form, entity)
        return forms


def entity_id(name: str) -> str:
    slug = slugify(name, max_length=80, word_boundary=True) or "entity-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return slug + "--entity" if slug in RESERVED else slug  # "By INDEX" must not replace entities/index (A–Z)


def load(path: Path | None) -> Registry:
    if path is None or not path.exists():
        return Registry()
    text = path.read_text("utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RegistryError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: expected a mapping with 'entities:' and 'ignore:'")
    lines = _entry_lines(text)
    registry = Registry(ignore={str(n).lower() for n in data.get("ignore") or []}, digest=hashlib.sha256(text.encode()).hexdigest())
    seen: dict[str, str] = {}
    for number, entry in enumerate(data.get("entities") or []):
        where = f"{path}:{lines[number] if number < len(lines) else '?'}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise RegistryError(f"{where}: each entity needs a 'name'")
        kind = entry.get("type", "other")
        if kind not in TYPES:
            raise RegistryError(f"{where}: type {kind!r} for {entry['name']!r} is not one of {', '.join(TYPES)}")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise RegistryError(f"{where}: 'aliases' of {entry['name']!r} must be a list of names")
        entity = Entity(id=entity_id(entry["name"]), name=entry["name"].strip(), type=kind,
                        aliases=[a.strip() for a in aliases if a.strip()],
                        description=entry.get("description"), wikidata=entry.get("wikidata"))
        for form in (entity.name, *entity.aliases):
            if form.lower() in seen and seen[form.lower()] != entity.id:
                raise RegistryError(f"{where}: alias {form!r} is already used by {seen[form.lower()]!r}")
            seen[form.lower()] = entity.id
        registry.entities.append(entity)
    return registry


def _entry_lines(text: str) -> list[int]:
    """Line numbers of each `- name:` entry, so errors can point at the line."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if line.lstrip().startswith("- name:")]
