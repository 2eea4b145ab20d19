"""Sentence spans in an article body, so every mention can quote the sentence it stands in."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from importlib import resources

import yaml

# A full stop after these is not a sentence end ("Gen. Soleimani", "the U.S. military"): data/text_words.yml.
ABBREVIATIONS = frozenset(yaml.safe_load(
    resources.files("builder").joinpath("data/text_words.yml").read_text("utf-8"))["abbreviations"])
# Possessive quantifiers and the look-behind: a match starts only at the first of a run of stops and never
# backtracks into it (40,000 dots once took 15 s).
_END = re.compile(r"""(?<![.!?])[.!?]++["')\]]*+(?=\s++["'(\[]?[A-Z0-9])|\n\n""")
_LEAD = re.compile(r"""[ \n"'(]*""")


@dataclass(frozen=True)
class Sentences:
    body: str
    starts: list[int]  # sorted start offsets; sentence i spans starts[i] .. starts[i+1]
    paragraph_starts: list[int]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.body)
        return self.starts[i], end

    def text_at(self, offset: int) -> tuple[str, int]:
        """The sentence around `offset`, stripped, and the offset where that text starts."""
        start, end = self.sentence_at(offset)
        raw = self.body[start:end]
        lead = len(raw) - len(raw.lstrip())
        return raw.strip(), start + lead

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def is_sentence_start(self, offset: int) -> bool:
        start, _ = self.sentence_at(offset)  # a match, not a slice: a sentence may be megabytes long
        lead = _LEAD.match(self.body, start, offset)
        return lead is not None and lead.end() == offset


def split(body: str) -> Sentences:
    starts = [0]
    for m in _END.finditer(body):
        word = re.search(r"([\w.]+)\W*$", body[max(0, m.start() - 12): m.start() + 1])
        if m.group().startswith(".") and word and word.group(1).lower().rstrip(".") in ABBREVIATIONS:
            continue
        if m.group().startswith(".") and word and re.fullmatch(r"[A-Z]", word.group(1).rstrip(".")):
            continue  # an initial: "Donald J. Trump"
        nxt = m.end()
        while nxt < len(body) and body[nxt].isspace():
            nxt += 1
        if nxt < len(body) and nxt > starts[-1]:
            starts.append(nxt)
    paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\n", body)]
    return Sentences(body, starts, paragraph_starts)
