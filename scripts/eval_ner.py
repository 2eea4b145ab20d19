#!/usr/bin/env python3
"""How well does extraction find people, organisations and places? Scored against hand-annotated gold.

Reads a corpus folder beside the project (default ../shared/corpora/fakes-dev, NOT part of the project):
`articles/*.txt` and `ner-gold.json` ({file name: [[TYPE, surface], …]}, TYPE one of PER, ORG, LOC; the
guideline and scoring are in `ner-gold.md` there). Every article of the folder goes through the project's own
pipeline, exactly as `archive check` runs it (archive-wide resolution included), and each gold file is scored
per article, micro-averaged, on (type, surface.casefold()) pairs, as `ner-gold.md` §6 defines.

What the archive says about an article becomes its predicted pairs:
  entity mentions      person → PER, organisation → ORG, facility → LOC (named facilities are places in the
                       guideline), other → not scored
  location mentions    LOC, except mentions made by a demonym ("Iranian" counts toward Iran, but is no name)
  bylines              the article's authors and contributors → PER, its source → ORG, when written in the file

Then page precision (issue 19, "a page is a claim"; scripts/page_precision.py): of the entity and location
pages that claim one of the gold articles, the share whose mention there is a gold name of the page's type,
overall, by type and by kind of evidence (registry, several mentions or articles, title or cue word, model only,
byline, gazetteer, a single mention by rule family), each ratio with its counts and a 95% interval, beside the
number of such pages on the whole site; a what-if table of gates (measured only, nothing applied); the wrong pages
with their rules and a cause guessed from the gold (first N, --errors).

    .venv/bin/python scripts/eval_ner.py [--corpus DIR] [--errors N] [--json out.json]

Exit codes: 0 report printed, 2 corpus missing or unreadable.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "fakes-dev"
sys.path.insert(0, str(PROJECT_ROOT))

from builder.quality import TYPES, predict, print_errors, score  # noqa: E402
from page_precision import judge_pages, print_pages  # noqa: E402  (scripts/, beside this file)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"folder with articles/ and ner-gold.json (default: {DEFAULT_CORPUS})")
    ap.add_argument("--errors", type=int, default=25, metavar="N", help="print N examples of each error category (default 25)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write predictions and scores as JSON")
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve()
    gold_path = corpus / "ner-gold.json"
    if not (corpus / "articles").is_dir() or not gold_path.is_file():
        print(f"eval_ner: corpus not found: need {corpus}/articles/ and {gold_path}\n"
              "(it lives beside the project in ../shared/corpora/fakes-dev; pass --corpus PATH)", file=sys.stderr)
        return 2
    gold = json.loads(gold_path.read_text("utf-8"))
    print(f"eval_ner: reading {corpus} (outside the project: articles/ and ner-gold.json)")
    started = time.perf_counter()
    predicted, sources, analysis = predict_keeping_index(corpus / "articles", PROJECT_ROOT / "entities.yml", PROJECT_ROOT / ".cache" / "eval")
    seconds = time.perf_counter() - started
    report = score(gold, predicted)
    report["by_rule"] = precision_by_rule(gold, predicted, sources)
    print_report(report, gold, predicted, sources, args.errors, seconds, len(predicted))
    pages = judge_pages(analysis.index, analysis.inputs, gold)
    report["pages"] = print_pages(pages, args.errors, len(gold))
    if args.json:
        args.json.write_text(json.dumps({"scores": report["scores"], "by_rule": report["by_rule"], "pages": report["pages"],
                                         "wrong_pages": [_page_row(p) for p in pages if p.correct is False],
                                         "predicted": {f: sorted(p) for f, p in predicted.items() if f in gold}},
                                        indent=1, ensure_ascii=False) + "\n")
    return 0


def predict_keeping_index(articles_dir: Path, registry: Path, cache_dir: Path):
    """builder.quality.predict, unchanged, plus the Analysis it ran (its Index is what the site's pages are
    made from): the pipeline runs once for both the mention scores and the page judgement."""
    import builder.pipeline as pipeline

    kept = []
    analyse = pipeline.analyse

    def analyse_and_keep(*args, **kwargs):
        kept.append(analyse(*args, **kwargs))
        return kept[-1]

    pipeline.analyse = analyse_and_keep  # predict imports it from the module when called
    try:
        predicted, why = predict(articles_dir, registry, cache_dir)
    finally:
        pipeline.analyse = analyse
    if len(kept) != 1:
        raise RuntimeError("builder.quality.predict no longer runs builder.pipeline.analyse once: update predict_keeping_index")
    return predicted, why, kept[0]


def _page_row(p) -> dict:
    return {"name": p.name, "type": p.type, "kind": p.kind, "id": p.subject_id, "mentions": p.mentions, "articles": p.articles,
            "credits": p.credits, "rules": dict(p.rules), "classes": p.classes, "single": p.single, "cause": p.cause,
            "claims": {f: sorted(x) for f, x in p.claims.items()}}


def precision_by_rule(gold: dict, predicted: dict, why: dict) -> dict[str, dict]:
    """How often a pair predicted by each rule family is right: the confidences in builder/data/rule_confidence.yml."""
    from builder.extract.provenance import rule_family

    counts: dict[str, Counter] = defaultdict(Counter)
    for f, pairs in gold.items():
        g = {(t, s.casefold()) for t, s in pairs}
        for t, s in {(t, s.casefold()) for t, s in predicted.get(f, set())}:
            family = rule_family(why.get(f, {}).get((t, s), ""))
            counts[family]["pred"] += 1
            counts[family]["tp"] += (t, s) in g
    return {family: {"precision": round(c["tp"] / c["pred"], 3), **c} for family, c in sorted(counts.items())}


def print_report(report: dict, gold: dict, predicted: dict, why: dict, n: int, seconds: float, articles: int) -> None:
    print(f"NER on {len(gold)} hand-annotated articles (pipeline over {articles} articles in {seconds:.1f}s)")
    print(f"{'type':<5} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>5} {'pred':>5} {'gold':>5}")
    for t in (*TYPES, "all"):
        s = report["scores"][t]
        print(f"{t:<5} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}   {s['tp']:>5} {s['pred']:>5} {s['gold']:>5}")
    print("\nprecision by rule (pairs predicted, right):")
    for family, c in report["by_rule"].items():
        print(f"  {family:<12} {c['precision']:>6.3f}  {c['pred']:>4} {c['tp']:>4}")
    print_errors(report, why, n, prefix=6)

if __name__ == "__main__":
    sys.exit(main())
