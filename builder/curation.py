"""Curation edits to the registry (entities.yml): merge a name into an entity, ignore a name, set a type.

Each edit is a function from the file's text to its new text and a one-line account of the change, so the
commands are easy to test and the CLI only reads, writes and validates. ruamel.yaml's round trip keeps the
comments, key order, quoting and flow-style alias lists, so a change shows in `git diff` as the few lines
it touches. Every value an edit writes is a string that any YAML reader reads back as that string: a word that
YAML 1.1 (PyYAML, which loads the registry) or YAML 1.2 would read as something else ("No", "on", "12:30",
"null", "~", "0x10", "1e3") is written double-quoted (see `_string`).
"""

from __future__ import annotations

import difflib
import io
import re

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from .extract.registry import TYPES


class CurationError(ValueError):
    """The edit is refused (the message says why); the file is left as it was."""


DEFAULT_INDENT = (2, 4, 2)  # mapping, sequence, offset: "entities:\n  - name: …", as the registry is written
_STR = "tag:yaml.org,2002:str"
# How readers resolve a plain (unquoted) scalar: PyYAML's YAML 1.1 (bool yes/no/on/off, sexagesimal 12:30, …)
# and ruamel's YAML 1.1 and 1.2 (1e3 is a float, 0o17 an int). A value any of them reads as no string is quoted.
_PYYAML_RESOLVER = pyyaml.resolver.Resolver()
_RUAMEL_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))


# Left plain only when it is plainly a name: starts with a letter or digit, and holds nothing that is syntax
# somewhere in YAML (":", "#", ",", brackets, "?", quotes at the start, …); anything else is quoted rather than
# trusting every emitter and reader to agree ("? x" in a flow list is a mapping key to a reader).
_PLAIN = re.compile(r"[^\W_](?:[\w .'’()/&+-]*[\w.'’()])?")


def _string(value: str) -> str:
    """`value`, double-quoted unless every YAML reader reads it plain as this very string."""
    value = str(value)
    plain_is_string = (
        _PLAIN.fullmatch(value) is not None
        and str(_PYYAML_RESOLVER.resolve(pyyaml.nodes.ScalarNode, value, (True, False))) == _STR
        and all(str(r.resolve(ScalarNode, value, (True, False))) == _STR for r in _RUAMEL_RESOLVERS)
    )
    return value if plain_is_string else DoubleQuotedScalarString(value)


def _yaml(indent: tuple[int, int, int] = DEFAULT_INDENT) -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never re-wrap a long alias list or description
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _indent_of(text: str) -> tuple[int, int, int]:
    """The file's own list indentation ("- name" under "entities:" at 2 or at 0), so a dump keeps it."""
    if not text.strip():
        return DEFAULT_INDENT
    try:
        _, sequence, offset = load_yaml_guess_indent(text)
    except Exception:  # noqa: BLE001 - _load reports the parse error
        return DEFAULT_INDENT
    if sequence is None or offset is None:
        return DEFAULT_INDENT
    return (max(2, sequence - offset), max(sequence, offset + 2), offset)


def _load(text: str) -> CommentedMap:
    data = _yaml().load(text) if text.strip() else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise CurationError("the registry is not a mapping with 'entities:' and 'ignore:'")
    entries = data.get("entities")
    if entries is not None and (not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries)):
        raise CurationError("'entities:' must be a list of entries with a 'name'")
    return data


def _entries(data: CommentedMap) -> CommentedSeq:
    if data.get("entities") is None:
        data["entities"] = CommentedSeq()
    return data["entities"]


def _dump(data: CommentedMap, indent: tuple[int, int, int] = DEFAULT_INDENT) -> str:
    out = io.StringIO()
    _yaml(indent).dump(data, out)
    return out.getvalue()


def _edited(text: str, data: CommentedMap) -> str:
    """The edited document, as close to `text` as possible.

    ruamel re-emits the whole document, normalising what it does not keep (spacing inside `[ A,B ]`, the
    indentation of a block list, …). When the untouched file does not come back byte for byte, the lines the
    edit did not change are taken from the original instead (a diff of the normalised original against the
    edited document), so the change stays a few lines; if that merge does not load as the same data, the
    normalised document is used as it is.
    """
    indent = _indent_of(text)
    new = _dump(data, indent)
    if not text.strip():
        return new
    normalised = _dump(_load(text), indent)
    if normalised == text:
        return new
    merged = _merge_lines(text, normalised, new)
    try:
        same = pyyaml.safe_load(merged) == pyyaml.safe_load(new)
    except pyyaml.YAMLError:
        same = False
    return merged if same else new


def _merge_lines(original: str, normalised: str, new: str) -> str:
    orig, norm, edited = (t.splitlines(keepends=True) for t in (original, normalised, new))
    # each normalised line → the original lines it stands for
    source: list[list[str]] = [[] for _ in norm]
    leading: list[str] = []  # original lines dropped before the first normalised line
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, orig, norm, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(j2 - j1):
                source[j1 + k].append(orig[i1 + k])
        elif tag == "replace":
            source[j1].extend(orig[i1:i2])
        elif tag == "delete":
            (source[j1 - 1] if j1 else leading).extend(orig[i1:i2])
    out = list(leading)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, norm, edited, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i1, i2):
                out.extend(source[k])
        else:
            out.extend(edited[j1:j2])
    merged = "".join(out)
    return merged if not merged or merged.endswith("\n") or not original.endswith("\n") else merged + "\n"


def _forms(entry) -> list[str]:
    aliases = entry.get("aliases") or []
    return [str(entry.get("name", "")), *(str(a) for a in aliases if isinstance(a, str))]


def find(entries, name: str):
    """The entry whose name or one of whose aliases is `name` (case-insensitive), else None."""
    key = name.strip().casefold()
    for entry in entries:
        if any(form.strip().casefold() == key for form in _forms(entry)):
            return entry
    return None


def _flow_list(items) -> CommentedSeq:
    seq = CommentedSeq(_string(i) for i in items)
    seq.fa.set_flow_style()  # "aliases: [A, B]", as the registry writes them
    return seq


def _append_entry(entries: CommentedSeq, entry: CommentedMap) -> None:
    """Append at the end of the list; the blank line and comments that followed the old last entry follow the new one."""
    if entries:
        last = entries[-1]
        key = list(last.keys())[-1] if isinstance(last, CommentedMap) and last else None
        value = last[key] if key is not None else None
        if isinstance(value, (CommentedSeq, CommentedMap)) and value:
            tail = _trailing(value)  # a flow or block list / mapping closing the entry
            if tail is not None:
                owner, index = tail
                token = owner.ca.items.pop(index, None)
                if token is not None:
                    entry.ca.items[list(entry.keys())[-1]] = token
        elif key is not None and key in last.ca.items:
            entry.ca.items[list(entry.keys())[-1]] = last.ca.items.pop(key)
    entries.append(entry)


def _trailing(node):
    """Where a comment after the last scalar of a nested node is kept: (container, key/index)."""
    if isinstance(node, CommentedSeq):
        index = len(node) - 1
        if index in node.ca.items:
            return node, index
    elif isinstance(node, CommentedMap):
        key = list(node.keys())[-1]
        if key in node.ca.items:
            return node, key
    return None


def _add_alias(entry: CommentedMap, alias: str) -> None:
    aliases = entry.get("aliases")
    if aliases is None:
        entry.insert(_position_after(entry, ("name", "type")), "aliases", _flow_list([alias]))
    elif isinstance(aliases, list):
        if alias.casefold() not in {str(a).casefold() for a in aliases}:
            aliases.append(_string(alias))
    else:
        raise CurationError(f"'aliases' of {entry.get('name')!r} is not a list")


def _position_after(entry: CommentedMap, keys) -> int:
    names = list(entry.keys())
    return max((names.index(k) + 1 for k in keys if k in names), default=len(names))


def _new_entry(name: str, kind: str, aliases: list[str] | None = None) -> CommentedMap:
    entry = CommentedMap()
    entry["name"] = _string(name)
    entry["type"] = _string(kind)
    if aliases:
        entry["aliases"] = _flow_list(aliases)
    return entry


def _check_type(kind: str) -> None:
    if kind not in TYPES:
        raise CurationError(f"type {kind!r} is not one of {', '.join(TYPES)}")


def _clean(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise CurationError(f"{what} is empty")
    return name


def merge(text: str, alias: str, target: str, kind: str | None = None) -> tuple[str, str]:
    """Make `alias` a name of entity `target`.

    `target` in the registry (by name or alias): `alias` is appended to its aliases. Not in the registry:
    a new entry `{name: target, type: kind or other, aliases: [alias]}`. When `alias` is itself an entry's
    name, that entry is folded into `target` (its name and aliases become target's aliases, the entry goes);
    when `target` is new, the entry is renamed instead, keeping its description, wikidata and type (unless
    `kind` is given). Refused when `alias` already names another entity, or is `target`.
    """
    alias, target = _clean(alias, "the name to merge"), _clean(target, "the entity to merge into")
    if kind is not None:
        _check_type(kind)
    if alias.casefold() == target.casefold():
        raise CurationError(f"cannot merge {alias!r} into itself")
    data = _load(text)
    entries = _entries(data)
    into, source = find(entries, target), find(entries, alias)
    if source is not None and source is into:
        return text, f"{alias!r} is already a name of {into['name']!r}; nothing changed"
    if source is not None and str(source["name"]).strip().casefold() != alias.casefold():
        raise CurationError(f"{alias!r} is already an alias of {source['name']!r}; "
                            f"merge {source['name']!r} into {target!r} instead, or remove the alias first")
    if source is not None:  # fold a whole entry into the target
        forms = _forms(source)
        if into is None:
            source["name"] = _string(target)
            if kind is not None:
                if "type" in source:
                    source["type"] = _string(kind)
                else:
                    source.insert(1, "type", _string(kind))
            for form in forms:
                _add_alias(source, form)
            _order_name_first(source, forms[0])
            return _edited(text, data), (f"merged entry {forms[0]!r} into new entity {target!r} "
                                 f"(renamed; aliases: {', '.join(forms)})")
        for form in forms:
            _add_alias(into, form)
        entries.remove(source)
        dropped = [str(key) for key in source if key not in ("name", "type", "aliases")]
        note = f" (its {', '.join(dropped)} dropped)" if dropped else ""
        return _edited(text, data), (f"merged entry {forms[0]!r} into {into['name']!r}: "
                                     f"added aliases {', '.join(forms)}; removed the entry {forms[0]!r}{note}")
    if into is not None:
        _add_alias(into, alias)
        return _edited(text, data), f"added {alias!r} to the aliases of {into['name']!r}"
    _append_entry(entries, _new_entry(target, kind or "other", [alias]))
    return _edited(text, data), f"added entity {target!r} (type {kind or 'other'}) with alias {alias!r}"


def _order_name_first(entry: CommentedMap, old_name: str) -> None:
    """After a rename the old name may sit in aliases already; keep one copy only."""
    aliases = entry.get("aliases")
    if isinstance(aliases, list):
        seen, keep = set(), []
        for a in aliases:
            if str(a).casefold() not in seen and str(a).casefold() != str(entry["name"]).casefold():
                seen.add(str(a).casefold())
                keep.append(a)
        if len(keep) != len(aliases):
            aliases[:] = keep


def ignore(text: str, name: str) -> tuple[str, str]:
    """Add `name` to `ignore:` (made when missing); a name already there (in any case) is left alone."""
    name = _clean(name, "the name to ignore")
    data = _load(text)
    listed = data.get("ignore")
    if listed is None:
        data["ignore"] = CommentedSeq([_string(name)])
        return _edited(text, data), f"ignored {name!r} (new ignore: list)"
    if not isinstance(listed, list):
        raise CurationError("'ignore:' must be a list of names")
    if name.casefold() in {str(n).casefold() for n in listed}:
        return text, f"{name!r} is already ignored; nothing changed"
    listed.append(_string(name))
    entry = find(data.get("entities") or [], name)
    note = f" (note: it is also a name of entity {entry['name']!r})" if entry is not None else ""
    return _edited(text, data), f"ignored {name!r}{note}"


def set_type(text: str, name: str, kind: str) -> tuple[str, str]:
    """Set the type of the entry named `name` (or having it as an alias); a new entry `{name, type}` when none has."""
    name = _clean(name, "the entity name")
    _check_type(kind)
    data = _load(text)
    entry = find(_entries(data), name)
    if entry is None:
        _append_entry(_entries(data), _new_entry(name, kind))
        return _edited(text, data), f"added entity {name!r} (type {kind})"
    old = entry.get("type", "other")
    if old == kind and "type" in entry:
        return text, f"{entry['name']!r} is already of type {kind}; nothing changed"
    if "type" in entry:
        entry["type"] = _string(kind)
    else:
        entry.insert(_position_after(entry, ("name",)), "type", _string(kind))
    return _edited(text, data), f"set the type of {entry['name']!r} to {kind} (was {old})"
