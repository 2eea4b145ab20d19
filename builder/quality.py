"""NER quality against hand-annotated gold (CoNLL-style PER / ORG / LOC pairs per article).

The scoring is the one `../shared/corpora/fakes-dev/ner-gold.md` §6 defines: per article, the set of
(type, surface.casefold()) pairs, micro-averaged. Used by `scripts/eval_ner.py` (`make eval`) and by the
fixture test in tests/ (which needs no corpus).

What the archive says about an article becomes its predicted pairs:
  entity mentions      person → PER, organisation → ORG, facility → LOC (named facilities are places in the
                       guideline), other → not scored
  location mentions    LOC, except mentions made by a demonym ("Iranian" counts toward Iran, but is no name)
  bylines              the article's authors and contributors → PER, its source → ORG, when written in the file
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from .extract.provenance import rule_family

TYPES = ("PER", "ORG", "LOC")
ENTITY_TYPE = {"person": "PER", "organisation": "ORG", "facility": "LOC"}


def predict(articles_dir: Path, registry: Path | None, cache_dir: Path | None, model: str | None = None,
            with_other_names: bool = False) -> tuple[dict[str, set[tuple[str, str]]], dict[str, dict]]:
    """file name → predicted (TYPE, surface) pairs, and → {(TYPE, surface): rule} to explain each prediction.
    The whole folder goes through the pipeline as `archive check` runs it, archive-wide resolution included.
    `with_other_names`: the names listed on an article without a page count too (what the extractor found,
    rather than what the site gives a page)."""
    from .pipeline import Settings, analyse

    with tempfile.TemporaryDirectory(prefix="eval-ner-") as tmp_name:
        tmp = Path(tmp_name)
        settings = Settings(project_root=tmp, articles_dir=articles_dir, docs_dir=tmp / "docs",
                            registry=registry, cache_dir=cache_dir, model=model)
        analysis = analyse(settings)
        index, inputs = analysis.index, analysis.inputs
    path_of = {item.display: item.path for item in inputs}
    predicted: dict[str, set[tuple[str, str]]] = defaultdict(set)
    why: dict[str, dict] = defaultdict(dict)
    for article in index.articles:
        name = Path(article.original).name
        pairs = predicted[name]
        others = index.other_names_by_article.get(article.id, []) if with_other_names else []
        for m in [*index.mentions_by_article.get(article.id, []), *others]:
            if m.kind == "name":
                kind = {**ENTITY_TYPE, "place": "LOC"}.get(m.target_id)
                if kind:
                    pairs.add((kind, m.text))
                    why[name].setdefault((kind, m.text.casefold()), m.rule)
                continue
            if m.kind == "location":
                if rule_family(m.rule) == "demonym":
                    continue
                kind = "LOC"
            else:
                kind = ENTITY_TYPE.get(index.entities[m.target_id].record.type) if m.target_id in index.entities else None
                if kind is None:
                    continue
            pairs.add((kind, m.text))
            why[name].setdefault((kind, m.text.casefold()), m.rule)
        text = path_of[article.original].read_text("utf-8", errors="replace")  # credited names count where written
        for person in [*article.authors, *article.contributors]:
            if person in text:
                pairs.add(("PER", person))
                why[name].setdefault(("PER", person.casefold()), "byline")
        if article.source and article.source in text:
            pairs.add(("ORG", article.source))
            why[name].setdefault(("ORG", article.source.casefold()), "source")
    return dict(predicted), dict(why)


def score(gold: dict, predicted: dict) -> dict:
    counts: dict[str, Counter[str]] = {t: Counter() for t in (*TYPES, "all")}
    errors: dict[str, list] = {"missed": [], "spurious": [], "wrong type": []}
    for f, pairs in gold.items():
        g = {(t, s.casefold()) for t, s in pairs}
        p = {(t, s.casefold()) for t, s in predicted.get(f, set()) if t in TYPES}
        for t in TYPES:
            gt, pt = {x for x in g if x[0] == t}, {x for x in p if x[0] == t}
            counts[t]["tp"] += len(gt & pt)
            counts[t]["gold"] += len(gt)
            counts[t]["pred"] += len(pt)
        counts["all"]["tp"] += len(g & p)
        counts["all"]["gold"] += len(g)
        counts["all"]["pred"] += len(p)
        p_surfaces = {s: t for t, s in p}
        g_surfaces = {s: t for t, s in g}
        for t, s in sorted(g - p):
            if s in p_surfaces:
                errors["wrong type"].append((f, s, t, p_surfaces[s]))
            else:
                errors["missed"].append((f, s, t))
        for t, s in sorted(p - g):
            if s not in g_surfaces:
                errors["spurious"].append((f, s, t))
    scores = {}
    for t, c in counts.items():
        precision = c["tp"] / c["pred"] if c["pred"] else 0.0
        recall = c["tp"] / c["gold"] if c["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[t] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), **c}
    return {"scores": scores, "errors": errors}


def print_errors(report: dict, why: dict, n: int, prefix: int = 0) -> None:
    """The error counts of a `score` report, then the first `n` errors of each category with the rule behind each
    prediction (`why`, as `predict` gives it); `prefix` characters of each file name are left out."""
    errors = report["errors"]
    print(f"\nerrors: {len(errors['missed'])} missed, {len(errors['spurious'])} spurious, {len(errors['wrong type'])} wrong type")
    if not n:
        return
    for category, rows in errors.items():
        print(f"\n{category} ({len(rows)}), first {min(n, len(rows))}:")
        for row in rows[:n]:
            f, s = row[0], row[1]
            rule = why.get(f, {}).get((row[3], s) if category == "wrong type" else (row[2], s), "")
            print(f"  {f[prefix:-4]}  {' → '.join(row[2:])}  {s!r}  {rule}")
