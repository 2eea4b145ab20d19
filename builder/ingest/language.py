"""A light language guess from function words; no model needed, and a curator can override it."""

from __future__ import annotations

import re

_FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "on", "was", "with", "said", "by", "as", "it"},
    "fr": {"le", "la", "les", "et", "des", "du", "un", "une", "est", "que", "dans", "pour", "sur", "au"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "mit", "den", "von", "zu", "sich", "auf", "ein"},
    "es": {"el", "la", "los", "las", "y", "de", "que", "en", "un", "por", "con", "para", "una", "del"},
}
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def guess_language(text: str) -> str | None:
    sample = text[:3000]
    letters = len(_LETTER.findall(sample))
    if letters and len(_ARABIC.findall(sample)) > letters / 2:
        return "ar"
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 5:
        return None
    scores = {lang: sum(w in vocab for w in words) / len(words) for lang, vocab in _FUNCTION_WORDS.items()}
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    return lang if score >= 0.08 else None
