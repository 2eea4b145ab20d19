"""The search box's name index (data/names.json): every entity and place page's names, folded, for "Best match".

Pagefind ranks by words in the text, so a query naming a page ("Aleppo", "ISIS") can list that page far down
(issue 19). The search box (builder/site/assets/pagefind-ui/archive-search.js) fetches this file on the first
keystroke, folds the query the same way (`fold` here and `fold` there are one algorithm: change both, and the
test vectors in tests/test_names_index.py), and shows the pages whose name or alias the query equals, or
is a whole-word prefix of, above Pagefind's results: exact before prefix, then most mentioned first.

Folding, in order:
  1. Unicode NFKD, combining marks dropped (é → e, ā → a), lower case;
  2. apostrophes and ayn/hamza signs (' ’ ‘ ʼ ʻ ʿ ʾ ` ´) dropped: "Qur'an" → "quran";
  3. anything else that is not a letter or digit (hyphens, dots, spaces) separates words;
  4. the Arabic article as a word of its own ("al", "el"), as "al-Assad" or "Al Qaeda" write it, is dropped
     (unless it is the only word);
  5. in each word, a few transliteration equivalences: sch → sh, kh → k, ou → u, oo → u, ee → i, then any
     doubled letter written once ("Assad" = "Asad", "Hezbollah" = "Hezbolah").
Words are joined by one space.

The search box reads data/names/<cc>.json, the pages with a key starting with the query's first two characters
(`name_shards`): at 2,000 articles the whole names.json was 603 KB of a first search's 815 KB. data/names.json
keeps the whole index for other readers.

Format, compact: {"v": 1, "pages": [[url, type, mentions, [name, alias, ...], [key, ...]], ...]} where `url` is
relative to the site root, `type` the entity type or place kind, and `keys[i]` the folded `names[i]` ("" when
it folds to the same key as an earlier name of the page). Pages are in the Index's order, names the page's
name then its aliases in the registry's order: a rebuild writes the same bytes.
"""

from __future__ import annotations

import re
import unicodedata

from ..aggregate import Index
from ..models import Entity
from ..markup.escape import site_json

VERSION = 1
APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u02bf\u02be`\u00b4"
ARTICLES = frozenset({"al", "el"})
EQUIVALENCES = (("sch", "sh"), ("kh", "k"), ("ou", "u"), ("oo", "u"), ("ee", "i"))
_DOUBLE = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """A name as search compares it (see the module's docstring; archive-search.js has the same function)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M")).lower()
    text = "".join(c for c in text if c not in APOSTROPHES)
    text = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in text)
    words = text.split()
    kept = [w for w in words if w not in ARTICLES] or words
    return " ".join(_word(w) for w in kept)


def _word(word: str) -> str:
    for a, b in EQUIVALENCES:
        word = word.replace(a, b)
    return _DOUBLE.sub(r"\1", word)


def name_index(index: Index) -> dict:
    pages = []
    for subjects in (index.entities, index.locations):
        for s in subjects.values():
            names: list[str] = []
            keys: list[str] = []
            seen: set[str] = set()
            for name in [s.name, *s.record.aliases]:
                if not name or name in names:
                    continue
                key = fold(name)
                names.append(name)
                keys.append(key if key and key not in seen else "")
                seen.add(key)
            pages.append([s.url, s.record.type if isinstance(s.record, Entity) else s.record.kind, len(s.mentions), names, keys])
    return {"v": VERSION, "pages": pages}


def shard_of(key: str) -> str:
    """The name-index shard a folded key is in: its first two characters, each a letter or digit or "_" for
    anything else (a one-character key ends in "_"). The search box fetches only the shard of the query's first two
    characters (archive-search.js `shardOf`: the same rule); a query of one character fetches the shard its
    one-character keys are in."""
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in (key + "__")[:2])


def name_shards(index: Index) -> dict[str, bytes]:
    """data/names/<shard>.json: names.json's pages split by the first two characters of each key, so a first search
    fetches one small file, not every name of the archive (a page with keys in several shards is in each). Same
    format as names.json; a page's rows keep all its names and keys."""
    shards: dict[str, list] = {}
    for page in name_index(index)["pages"]:
        for shard in dict.fromkeys(shard_of(key) for key in page[4] if key):
            shards.setdefault(shard, []).append(page)
    return {shard: (f'{{"v":{VERSION},"pages":[\n'
                    + ",\n".join(site_json(page, separators=(",", ":")) for page in pages) + "\n]}\n").encode()
            for shard, pages in sorted(shards.items())}


def names_json(index: Index) -> bytes:
    """data/names.json: one page a line (diff-friendly), in the Index's order."""
    data = name_index(index)
    body = ",\n".join(site_json(page, separators=(",", ":")) for page in data["pages"])
    return f'{{"v":{data["v"]},"pages":[\n{body}\n]}}\n'.encode()
