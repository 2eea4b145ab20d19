"""The curated entity registry (entities.yml): canonical names, types, aliases, and names to ignore."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..paths import slug
from ..models import Entity
from ..reserved import RESERVED

TYPES = ("person", "organisation", "facility", "other")


class RegistryError(ValueError):
    """The registry file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Registry:
    entities: list[Entity] = field(default_factory=list)
    ignore: frozenset[str] = frozenset()  # lower-cased
    digest: str = ""  # sha256 of the file, for build caches

    def by_alias(self) -> dict[str, Entity]:
        """Every surface form (name and aliases) → its entity."""
        forms: dict[str, Entity] = {}
        for entity in self.entities:
            for form in (entity.name, *entity.aliases):
                forms.setdefault(form, entity)
        return forms


def entity_id(name: str) -> str:
    made = slug(name, max_length=80) or "entity-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return made + "--entity" if made in RESERVED else made  # "By INDEX" must not replace entities/index (A–Z)


def load(path: Path | None) -> Registry:
    """The registry at `path` (none: an empty one). A file that does not parse, or a field of the wrong type,
    raises RegistryError naming the file, the line and the field, e.g. "entities.yml:12: entity 'Hezbollah':
    field 'aliases' must be a list of strings, not int", never a bare error from a later stage."""
    if path is None or not path.exists():
        return Registry()
    text = path.read_text("utf-8")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()  # the node tree, for the line of every field
        data = loader.construct_document(root) if root is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RegistryError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RegistryError(f"{path}:{_line(root)}: expected a mapping with 'entities:' and 'ignore:', not {_kind(data)}")
    fields = _fields(root)
    entities, entities_node = data.get("entities"), fields.get("entities")
    if entities is not None and not isinstance(entities, list):
        raise RegistryError(f"{path}:{_line(entities_node)}: field 'entities' must be a list of entities, not {_kind(entities)}")
    ignore = data.get("ignore")
    _check_strings(path, "field 'ignore'", ignore, fields.get("ignore"), root)
    found: list[Entity] = []
    seen: dict[str, str] = {}
    entry_nodes = entities_node.value if isinstance(entities_node, yaml.SequenceNode) else []
    for number, entry in enumerate(entities or []):
        node = entry_nodes[number] if number < len(entry_nodes) else entities_node
        if not isinstance(entry, dict):
            raise RegistryError(f"{path}:{_line(node)}: entity {number + 1} must be a mapping of fields "
                                f"(name, type, aliases, …), not {_kind(entry)}")
        entry_fields = _fields(node)
        name = entry.get("name")
        if not isinstance(name, str):
            what = f"field 'name' must be a string, not {_kind(name)}" if "name" in entry else "has no field 'name'"
            raise RegistryError(f"{path}:{_line(entry_fields.get('name', node))}: entity {number + 1}: {what}"
                                f"{_quote_hint(entry_fields.get('name'))}")
        if not name.strip():
            raise RegistryError(f"{path}:{_line(entry_fields.get('name', node))}: entity {number + 1}: field 'name' is empty")
        label = f"entity {name.strip()!r}"
        for key in ("type", "description", "wikidata"):
            value = entry.get(key)
            if (value is not None and not isinstance(value, str)) or (key == "type" and key in entry and value is None):
                raise RegistryError(f"{path}:{_line(entry_fields.get(key, node))}: {label}: field {key!r} must be a string, "
                                    f"not {_kind(value)}{_quote_hint(entry_fields.get(key))}")
        kind = entry.get("type", "other")
        if kind not in TYPES:
            raise RegistryError(f"{path}:{_line(entry_fields.get('type', node))}: {label}: field 'type' must be one of "
                                f"{', '.join(TYPES)}, not {kind!r}")
        aliases = entry.get("aliases")
        _check_strings(path, f"{label}: field 'aliases'", aliases, entry_fields.get("aliases"), node)
        entity = Entity(id=entity_id(name), name=name.strip(), type=kind,
                        aliases=[a.strip() for a in aliases or [] if a.strip()],
                        description=entry.get("description"), wikidata=entry.get("wikidata"))
        for form in (entity.name, *entity.aliases):
            if form.lower() in seen and seen[form.lower()] != entity.id:
                raise RegistryError(f"{path}:{_line(node)}: alias {form!r} is already used by {seen[form.lower()]!r}")
            seen[form.lower()] = entity.id
        found.append(entity)
    return Registry(found, frozenset(n.lower() for n in ignore or []), hashlib.sha256(text.encode()).hexdigest())


class _Loader(yaml.SafeLoader):
    """yaml.safe_load's loader, as before: the registry reads as it always did (YAML 1.1: an unquoted No is False,
    which is no name: the error says to quote it). Its nodes give each field's line."""


def _fields(node) -> dict[str, yaml.Node]:
    """A mapping node's value nodes by key (the node of `aliases: 5` is the 5, on its line)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _line(node) -> int | str:
    return node.start_mark.line + 1 if node is not None else "?"


def _kind(value) -> str:
    return "null" if value is None else type(value).__name__


def _quote_hint(node) -> str:
    """An unquoted word YAML reads as no string ("No", "12:30", "2015"): say how to keep it a name."""
    if isinstance(node, yaml.ScalarNode) and not node.style and node.value:
        return f' (write it in quotes to keep it text: "{node.value}")'
    return ""


def _check_strings(path: Path, what: str, value, node, parent) -> None:
    """`value` must be absent, null or a list of strings; else a RegistryError at the line of the bad item."""
    if value is None:
        return
    if not isinstance(value, list):
        raise RegistryError(f"{path}:{_line(node if node is not None else parent)}: {what} must be a list of strings, "
                            f"not {_kind(value)}")
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            item_node = items[i] if i < len(items) else node
            raise RegistryError(f"{path}:{_line(item_node)}: {what} must be a list of strings, not a list holding "
                                f"{_kind(item)}{_quote_hint(item_node)}")
