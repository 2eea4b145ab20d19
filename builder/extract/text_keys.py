"""Text keys: how a place name is normalised, keyed and slugged. `normalise` maps each character to exactly one
character, so an offset into the normalised text is the same offset into the text."""

from __future__ import annotations

import re
import unicodedata

from ..paths import slug as paths_slug




# ─── normalisation ──────────────────────────────────────────────────────────────────────────────────────

APOSTROPHE = "'"
SPACE = " "
# ASCII quote/backtick, acute, modifier letters (ʹ ʻ ʼ ʽ ʾ ʿ ˈ ˊ ˋ), ʔ ʕ, typographic single quotes, primes.
_APOSTROPHES = "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u02c8\u02ca\u02cb\u0294\u0295\u2018\u2019\u201a\u201b\u2032\u2035"
# ASCII hyphen, Unicode hyphens and dashes, minus sign.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Letters NFKD leaves alone but that are plain Latin letters with a stroke or a missing dot.
_SPECIAL = {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ŀ": "l", "ƚ": "l", "ɨ": "i"}


def _fold_char(char: str) -> str:
    """One character → exactly one character (see `normalise`)."""
    if char in _APOSTROPHES:
        return APOSTROPHE
    if char in _DASHES or char.isspace():
        return SPACE
    folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
    if len(folded) == 1:
        if folded in _APOSTROPHES or folded in _DASHES or folded.isspace():
            return _fold_char(folded)  # "\u0374" decomposes to a modifier prime: folding twice gives the same
        return _SPECIAL.get(folded, folded)
    # Nothing left (a lone combining mark) or several characters (a ligature like "ﬁ", "½"): keep the
    # character, lower-cased when that is still one character.
    lower = char.lower()
    return lower if len(lower) == 1 else char


class _FoldTable(dict):
    """`str.translate` table filled on first use of each code point."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def normalise(text: str) -> str:
    """Fold `text` for matching, one character at a time: ``len(normalise(t)) == len(t)``, always.

    The contract: the output has exactly one character for each input character, and each output character
    depends only on the input character at the same position, so ``normalise(a + b) == normalise(a) +
    normalise(b)`` and a match at ``[start:end]`` of ``normalise(text)`` is the text ``text[start:end]``.

    * letters: NFKD-decomposed, combining marks dropped, lower-cased ("Ā" → "a", "Ş" → "s", "İ" → "i"),
      plus ı ł ø đ ð ħ ŧ → i l o d d h t;
    * apostrophe-like characters (' ` ´ ʿ ʾ ʼ ʻ ‘ ’ ′ …) → "'" (`APOSTROPHE`);
    * hyphens, dashes, minus signs and every whitespace character (newline, tab, NBSP …) → " " (`SPACE`);
    * a character that would fold to nothing (a combining mark on its own) or to several characters (a
      ligature) is kept (lower-cased if that is one character), so text in NFD form will not match: give
      NFC text (what `unicodedata.normalize("NFC", …)` returns);
    * everything else (digits, punctuation, other scripts) is lower-cased or left alone.
    """
    return text.translate(_FOLD)


def looks_like_name(span: str) -> bool:
    """Whether a matched span of the *original* text is written like a name: it has a capital letter somewhere
    ("Aleppo", "al-Bab", "rural Damascus", "U.S.", "BEIRUT"). All-lower-case hits ("the villages", "a barrage",
    "seaside", "sulphur mustard") are ordinary words that happen to be some place's name."""
    return any(c.isupper() for c in span)


_SPACES = re.compile(" +")


def name_key(name: str) -> str:
    """The index key for a name: `normalise`, runs of spaces collapsed, spaces/apostrophes trimmed at the ends.

    "Deir ez-Zor", "Deir Ez Zor" and "DEIR EZ‐ZOR" → "deir ez zor"; "Maşyāf" → "masyaf"; "‘Afrīn" → "afrin".
    Unlike `normalise` this is not length-preserving (combining marks without a precomposed letter, as in
    "Naz̧arābād", are dropped); keys are what an Aho-Corasick automaton looks for.
    """
    return _tidy(_COMBINING.sub("", normalise(name)))


# Combining marks that `normalise` has to keep (no precomposed letter: "z̧", "H̱" in geonames names) are dropped
# from keys.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _tidy(folded: str) -> str:
    return _SPACES.sub(SPACE, folded).strip(" '.,;:")


def slug(text: str) -> str:
    """A place's id: "Ālbū Kamāl" → "albu-kamal", "T-4 Airbase" → "t-4-airbase", "Ma'arat" → "maarat" (paths.slug)."""
    return paths_slug(text, drop_apostrophes=True)
