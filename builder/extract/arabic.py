"""Arabic article and spelling variants of an index key ("Deir ez-Zor" ↔ "Deir al-Zor" ↔ "Deir Ezzor")."""

from __future__ import annotations

import itertools


from .place_limits import MIN_STRIPPED_LENGTH
from .text_keys import APOSTROPHE, SPACE


# ─── Arabic article and spelling variants ───────────────────────────────────────────────────────────────

# The article as transliterations write it; the assimilated forms before "sun letters" (ad-Dana, ar-Raqqa,
# as-Suwayda, ash-Shaykh, at-Tall, az-Zabadani, an-Nabk, ath-Thawra, adh-Dhahab) and their e- forms.
ARTICLES = frozenset(
    "al el il ul ad ar as ash at ath az an adh ed er es esh et eth ez en edh".split()
)
_SUN = "tdrzsln"


def _article_forms(following: str) -> list[str]:
    """Ways the article is written before `following`: al, el and, before a sun letter, ar/er, ash/esh …"""
    forms = ["al", "el"]
    if following and following[0] in _SUN:
        consonant = following[:2] if following[:2] in ("sh", "th", "dh") else following[0]
        forms += ["a" + consonant, "e" + consonant]
    return forms


def arabic_variants(key: str) -> set[str]:
    """Spelling variants of an index key from an Arabic name (the key itself not included).

    * every article (up to two per name) in every common spelling: "deir ez zor" → "deir al zor", "deir el zor",
      "deir az zor";
    * an article inside the name also joined to its word: "deir ezzor", "deir azzor";
    * a leading article dropped, when what is left has at least `MIN_STRIPPED_LENGTH` characters:
      "al bukamal" → "bukamal", "ar raqqah" → "raqqah" (but "al bab" ↛ "bab");
    * a final "-ah" also as "-a": "raqqah" → "raqqa", "al hasakah" → "al hasaka".
    """
    bases = {key}
    if len(key) > 5 and key.endswith("ah") and key[-3] not in " 'a":
        bases.add(key[:-1])
    out: set[str] = set()
    for base in bases:
        tokens = base.split(SPACE)
        positions = [i for i, t in enumerate(tokens[:-1]) if t in ARTICLES][:2]
        choices: list[list[tuple[str, ...]]] = []
        for i in positions:
            following = tokens[i + 1]
            forms = _article_forms(following)
            options: list[tuple[str, ...]] = [(form, following) for form in forms]
            if tokens[i] not in forms:
                options.append((tokens[i], following))
            if i > 0:
                options += [(form + following,) for form in forms[2:]]  # deir ezzor
            else:
                rest = SPACE.join(tokens[1:])
                if len(rest.replace(APOSTROPHE, "")) >= MIN_STRIPPED_LENGTH:
                    options.append((following,))  # the article dropped
            choices.append(options)
        for combo in itertools.product(*choices):
            words = list(tokens)
            for i, replacement in sorted(zip(positions, combo), reverse=True):
                words[i:i + 2] = replacement
            if words:
                out.add(SPACE.join(words))
    out.discard(key)
    return out


def without_articles(key: str) -> str:
    """Every article word dropped, wherever it stands: 'deir al zor' → 'deir zor' (to compare names)."""
    return " ".join(w for w in key.replace("-", " ").split() if w not in ("al", "el", "an", "ar", "as", "ash", "ad", "at", "az"))
