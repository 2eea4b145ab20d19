#!/usr/bin/env python3
"""How well does extraction do on general news? CoNLL-2003 (English, Reuters 1996), scored like eval_ner.

The data is NOT part of the project and is not shipped with it: it lives beside the checkout, in ../conll
(/work/conll here), as CoNLL-2003's `train` and `testa` (dev) splits, either as `eng.train` / `eng.testa` or
as `train.txt` / `valid.txt` (the four-column "token POS chunk NER" files several public GitHub repositories
carry, e.g. the history of davidsbatista/NER-datasets, CONLL2003/). Only train (to tune on) and testa (to
measure on) are read; testb is the held-out measure and this script refuses to read it.

Each -DOCSTART- document becomes one article: a `.txt` file with a YAML front matter title ("CoNLL-2003
testa document 12"), so that the whole document is the article's body, and then one paragraph per CoNLL
sentence, detokenised simply (no space before , . ; : ! ? ) % 's n't and closing quotes, none after ( $ and
opening quotes). CoNLL's first sentence is the (usually ALL-CAPS) headline and its second the dateline
("LONDON 1996-08-30"): they stay as written, as the first two paragraphs.

The articles go through the project's own pipeline exactly as scripts/eval_ner.py runs it
(builder.quality.predict: archive-wide resolution over the documents read, pages as the site would make them),
and are scored as eval_ner scores (builder.quality.score): per document, the set of (TYPE, surface.casefold())
pairs, micro-averaged. Gold is the set of the document's PER / ORG / LOC spans (BIO, IOB1 or IOB2), detokenised
the same way; MISC is not scored. Printed: P/R/F1 overall and by type, for

  hybrid      what the site states (eval_ner's measure: names with a page);
  extractor   the same with the names listed on an article without a page ("other names") counted too;
  model alone spaCy's model over the same article text, PERSON → PER, ORG → ORG, GPE/LOC/FAC → LOC;

then the precision of each rule family (builder.quality.rule_family of each prediction's rule) and the error
lists (first N of each category, --errors).

    .venv/bin/python scripts/eval_conll.py [--conll DIR] [--split train|testa] [--limit N] [--errors N]

The converted articles and the build cache go to /work/tmp/conll-cache (--cache), not to the project's .cache.
Exit codes: 0 report printed, 2 data folder or split missing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONLL = PROJECT_ROOT.parent / "conll"
DEFAULT_CACHE = Path("/work/tmp/conll-cache")
sys.path.insert(0, str(PROJECT_ROOT))

from builder.quality import TYPES, predict, print_errors, rule_family, score  # noqa: E402

SPLIT_FILES = {"train": ("eng.train", "train.txt"), "testa": ("eng.testa", "valid.txt", "dev.txt")}
SCORED = {"PER", "ORG", "LOC"}
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'S", "n't", "N'T", "'re", "'ve", "'ll",
                   "'d", "'m", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "$"}
MODEL_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


@dataclass
class Document:
    sentences: list[list[tuple[str, str]]]  # [(token, NER tag)]

    def text(self) -> str:
        return "\n\n".join(detokenise([t for t, _ in s]) for s in self.sentences)

    def gold(self) -> set[tuple[str, str]]:
        return {(kind, detokenise(tokens)) for s in self.sentences for kind, tokens in spans(s) if kind in SCORED}


def read_conll(lines) -> list[Document]:
    """CoNLL-2003 lines ("token POS chunk NER", blank lines between sentences) → its -DOCSTART- documents."""
    docs: list[Document] = []
    sentence: list[tuple[str, str]] = []

    def close_sentence():
        nonlocal sentence
        if sentence:
            if not docs:
                docs.append(Document([]))
            docs[-1].sentences.append(sentence)
            sentence = []

    for line in lines:
        parts = line.split()
        if not parts:
            close_sentence()
            continue
        if parts[0] == "-DOCSTART-":
            close_sentence()
            docs.append(Document([]))
            continue
        sentence.append((parts[0], parts[-1]))
    close_sentence()
    return [d for d in docs if d.sentences]


def spans(sentence: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(TYPE, tokens) of each entity: B-X starts one, I-X continues one of type X or starts one (IOB1)."""
    found: list[tuple[str, list[str]]] = []
    current: str | None = None
    for token, tag in sentence:
        prefix, _, kind = tag.partition("-")
        if prefix == "B" or (prefix == "I" and kind != current):
            found.append((kind, [token]))
            current = kind
        elif prefix == "I":
            found[-1][1].append(token)
        else:
            current = None
    return found


def detokenise(tokens: list[str]) -> str:
    """Tokens → text: no space before closing punctuation and clitics, none after opening brackets; straight
    double quotes alternate, opening then closing."""
    out: list[str] = []
    glue_next = False
    quote_open = False
    for token in tokens:
        if token == '"':
            out.append((" " if out and not glue_next and not quote_open else "") + token)
            glue_next = not quote_open  # an opening quote sticks to the next token
            quote_open = not quote_open
            continue
        space = bool(out) and not glue_next and token not in NO_SPACE_BEFORE
        out.append((" " if space else "") + token)
        glue_next = token in NO_SPACE_AFTER
    return "".join(out)


def find_split(folder: Path, split: str) -> Path | None:
    if split not in SPLIT_FILES:
        return None
    for name in SPLIT_FILES[split]:
        if (folder / name).is_file():
            return folder / name
    return None


def write_articles(docs: list[Document], folder: Path, split: str) -> dict[str, set[tuple[str, str]]]:
    """One front-matter .txt per document (the whole document is the body); returns file name → gold pairs."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    gold = {}
    for n, doc in enumerate(docs, 1):
        name = f"doc-{n:04d}.txt"
        (folder / name).write_text(f"---\ntitle: CoNLL-2003 {split} document {n}\n---\n{doc.text()}\n", "utf-8")
        gold[name] = doc.gold()
    return gold


def model_alone(articles_dir: Path, files: list[str]) -> dict[str, set[tuple[str, str]]]:
    """spaCy's model over each article's text, through the project's model wrapper (same paragraphs)."""
    from builder.extract import model as ner_model

    name, warning = ner_model.resolve_name(None)
    if name is None:
        print(f"eval_conll: {warning}; no model-alone baseline", file=sys.stderr)
        return {}
    nlp = ner_model.load(name)
    predicted = {}
    for f in files:
        text = (articles_dir / f).read_text("utf-8").split("---\n", 2)[2]
        found, _ = nlp.spans(text)
        predicted[f] = {(MODEL_LABELS[s.label], text[s.start:s.end]) for s in found if s.label in MODEL_LABELS}
    return predicted


def precision_by_rule(gold: dict, predicted: dict, why: dict) -> dict[str, dict]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for f, pairs in gold.items():
        g = {(t, s.casefold()) for t, s in pairs}
        for t, s in {(t, s.casefold()) for t, s in predicted.get(f, set()) if t in TYPES}:
            family = rule_family(why.get(f, {}).get((t, s), ""))
            counts[family]["pred"] += 1
            counts[family]["tp"] += (t, s) in g
    return {family: {"precision": round(c["tp"] / c["pred"], 3), **c} for family, c in sorted(counts.items())}


def print_scores(label: str, report: dict) -> None:
    print(f"\n{label}")
    print(f"  {'type':<5} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>5} {'pred':>5} {'gold':>5}")
    for t in (*TYPES, "all"):
        s = report["scores"][t]
        print(f"  {t:<5} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}   {s['tp']:>5} {s['pred']:>5} {s['gold']:>5}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--conll", type=Path, default=DEFAULT_CONLL,
                    help=f"folder with CoNLL-2003 train and testa, outside the project (default: {DEFAULT_CONLL})")
    ap.add_argument("--split", choices=("train", "testa"), default="testa")
    ap.add_argument("--limit", type=int, metavar="N", help="only the first N documents")
    ap.add_argument("--errors", type=int, default=25, metavar="N", help="print N examples of each error category")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"articles and build cache (default: {DEFAULT_CACHE})")
    ap.add_argument("--no-baseline", action="store_true", help="skip the model-alone baseline")
    args = ap.parse_args(argv)
    path = find_split(args.conll.resolve(), args.split)
    if path is None:
        print(f"eval_conll: no CoNLL-2003 {args.split} split in {args.conll} (looked for {', '.join(SPLIT_FILES[args.split])}).\n"
              "The data lives outside the project, in ../conll beside the checkout (or pass --conll DIR): get CoNLL-2003's "
              "train and testa splits (eng.train/eng.testa, or train.txt/valid.txt) from a public repository, e.g. the "
              "history of github.com/davidsbatista/NER-datasets (CONLL2003/). Never put testb there.", file=sys.stderr)
        return 2
    with path.open(encoding="utf-8") as lines:
        docs = read_conll(lines)
    if args.limit:
        docs = docs[:args.limit]
    tag = f"{args.split}-{len(docs)}"
    articles_dir = args.cache / f"articles-{tag}"
    gold = write_articles(docs, articles_dir, args.split)
    print(f"eval_conll: {len(docs)} documents of {path} (outside the project) → {articles_dir}")
    started = time.perf_counter()
    registry = PROJECT_ROOT / "entities.yml"
    build_cache = args.cache / "build"
    predicted, why = predict(articles_dir, registry, build_cache)
    seconds = time.perf_counter() - started
    with_others, why_others = predict(articles_dir, registry, build_cache, with_other_names=True)
    report = score(gold, predicted)
    print(f"pipeline over {len(docs)} documents in {seconds:.1f}s; gold: {sum(map(len, gold.values()))} PER/ORG/LOC pairs")
    print_scores("hybrid (names with a page: eval_ner's measure)", report)
    print_scores("extractor (other names counted too)", score(gold, with_others))
    if not args.no_baseline:
        print_scores("model alone (spaCy, same text)", score(gold, model_alone(articles_dir, sorted(gold))))
    print("\nprecision by rule family, hybrid (pairs predicted, right):")
    for family, c in precision_by_rule(gold, predicted, why).items():
        print(f"  {family:<12} {c['precision']:>6.3f}  {c['pred']:>5} {c['tp']:>5}")
    print("\nprecision by rule family, extractor (other names counted too):")
    for family, c in precision_by_rule(gold, with_others, why_others).items():
        print(f"  {family:<12} {c['precision']:>6.3f}  {c['pred']:>5} {c['tp']:>5}")
    if args.errors:
        print_errors(report, why, args.errors, prefix=4)
    return 0


if __name__ == "__main__":
    sys.exit(main())
