"""A light language guess from function words; no model needed, and a curator can override it."""

from __future__ import annotations

import re
from importlib import resources

import yaml

# The function words each language guess counts: data/text_words.yml.
FUNCTION_WORDS = {lang: frozenset(words) for lang, words in yaml.safe_load(
    resources.files("builder").joinpath("data/text_words.yml").read_text("utf-8"))["function_words"].items()}
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
    scores = {lang: sum(w in vocab for w in words) / len(words) for lang, vocab in FUNCTION_WORDS.items()}
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    return lang if score >= 0.08 else None
