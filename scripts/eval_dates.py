#!/usr/bin/env python3
"""How well does ingest find article dates? An evaluation against the fakes-dev corpus.

Reads ../shared/corpora/fakes-dev (beside the project, NOT part of it and never copied in):
articles/*.txt (raw news text) and labels.csv (file, source, date as M/D/YYYY, location).
This is a developer tool, not part of the test suite; it needs that corpus to be present.

Each file goes through the project's own ingest, exactly as the build reads it
(`builder.ingest.discover` + `builder.ingest.read_article`), and the date found is compared with the
labelled date. The labels are crowd-coded EVENT dates, not publication dates: an article published the
day after the event it reports counts as "±1 day", so exact match underestimates how often the
publication date was found correctly; the ±1/±3 rows are the better guide, and "> 7 days off" is the
count worth reading example by example.

    .venv/bin/python scripts/eval_dates.py [--corpus DIR] [--json out.json] [--misses N] [--far N]

Exit codes: 0 report printed, 2 corpus missing or unreadable.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "fakes-dev"
sys.path.insert(0, str(PROJECT_ROOT))  # use this checkout's builder, even without the venv's editable install

from builder.ingest import discover, read_article  # noqa: E402
from builder.ingest.dates import find_date  # noqa: E402  (only to show WHERE a date was, never to decide one)

WINDOWS = (0, 1, 3, 7)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help=f"folder with articles/ and labels.csv (default: {DEFAULT_CORPUS})")
    ap.add_argument("--json", metavar="OUT", type=Path, help="also write the results as JSON")
    ap.add_argument("--misses", metavar="N", type=int, default=0,
                    help="print the first 200 characters of N undated articles' bodies")
    ap.add_argument("--far", metavar="N", type=int, default=10,
                    help="how many '> 7 days off' examples to print (default 10)")
    args = ap.parse_args(argv)

    corpus = args.corpus.resolve()
    articles_dir, labels_csv = corpus / "articles", corpus / "labels.csv"
    if not articles_dir.is_dir() or not labels_csv.is_file():
        print(f"eval_dates: corpus not found: need {articles_dir}/ and {labels_csv}\n"
              f"(it lives beside the project in ../shared/corpora/fakes-dev; pass --corpus PATH)", file=sys.stderr)
        return 2
    labels = read_labels(labels_csv)
    if labels is None:
        return 2

    inputs, discover_problems = discover(articles_dir, corpus)
    rows = []
    for item in inputs:
        article, problems = read_article(item)
        name = Path(item.relative).name
        label = labels.get(name)
        body = article.body if article else ""
        rows.append({
            "file": name,
            "source": label["source"] if label else None,
            "label": label["date"].isoformat() if label and label["date"] else None,
            "found": article.date if article else None,
            "time": article.time if article else None,
            "title": article.title if article else None,
            "body_start": body[:200],
            "read": article is not None,
            "problems": [f"{p.severity}: {p.message}" for p in problems],
            "delta": delta_days(article.date if article else None, label["date"] if label else None),
            "date_context": date_context(body, article.date if article else None),
        })

    report = summarise(rows, labels, discover_problems)
    print_report(report, rows, args)
    if args.json:
        args.json.write_text(json.dumps({"summary": report, "articles": rows}, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 0


def date_context(body: str, found: str | None) -> str | None:
    """Where the date is: for a dated article, the text around the first date in its first paragraph
    (when that is the date ingest chose); for an undated one, the first date anywhere in the body, if any
    (a date the finder did not look that far for)."""
    first = body.split("\n\n", 1)[0]
    hit = find_date(first) if found else find_date(body)
    if hit is None or (found and hit.date != found):
        return None
    text = first if found else body
    return f"char {hit.start}: …{text[max(0, hit.start - 40):hit.end]!r}"


def read_labels(path: Path) -> dict[str, dict] | None:
    labels = {}
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                try:
                    month, day, year = (int(x) for x in row["date"].strip().split("/"))
                    date = dt.date(year, month, day)
                except (ValueError, AttributeError):
                    date = None
                labels[row["file"].strip()] = {"source": (row.get("source") or "").strip() or "?", "date": date}
    except (OSError, KeyError, csv.Error) as exc:
        print(f"eval_dates: cannot read {path}: {exc!r}", file=sys.stderr)
        return None
    return labels


def delta_days(found: str | None, label: dt.date | None) -> int | None:
    if not found or not label:
        return None
    return (dt.date.fromisoformat(found) - label).days


def summarise(rows: list[dict], labels: dict, discover_problems) -> dict:
    def stats(group: list[dict]) -> dict:
        n = len(group)
        labelled = [r for r in group if r["label"]]
        dated = [r for r in labelled if r["found"]]
        out = {"articles": n, "labelled": len(labelled), "dated": sum(1 for r in group if r["found"]),
               "dated_labelled": len(dated)}
        for w in WINDOWS:
            out[f"within_{w}"] = sum(1 for r in dated if abs(r["delta"]) <= w)
        out["off_more_than_7"] = sum(1 for r in dated if abs(r["delta"]) > 7)
        out["found_after_label"] = Counter(r["delta"] for r in dated if 0 < r["delta"] <= 7)
        out["found_before_label"] = Counter(r["delta"] for r in dated if -7 <= r["delta"] < 0)
        out["found_after_label"] = {str(k): v for k, v in sorted(out["found_after_label"].items())}
        out["found_before_label"] = {str(k): v for k, v in sorted(out["found_before_label"].items())}
        return out

    by_source = defaultdict(list)
    for r in rows:
        by_source[r["source"] or "(not in labels.csv)"].append(r)
    seen = {r["file"] for r in rows}
    return {
        "overall": stats(rows),
        "by_source": {s: stats(g) for s, g in sorted(by_source.items(), key=lambda kv: (-len(kv[1]), kv[0]))},
        "labels_without_file": sorted(set(labels) - seen),
        "unreadable": [r["file"] for r in rows if not r["read"]],
        "discover_problems": [f"{p.severity}: {p.file}: {p.message}" for p in discover_problems],
    }


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   - "


def print_report(report: dict, rows: list[dict], args) -> None:
    o = report["overall"]
    n, lab, dated = o["articles"], o["labelled"], o["dated_labelled"]
    print(f"fakes-dev date evaluation: {n} files read through builder.ingest, {lab} with a labelled date")
    print("NOTE: labels are crowd-coded EVENT dates, not publication dates; exact match underestimates")
    print("      publication-date accuracy (reports usually appear 0-1 days after the event).\n")
    print(f"{'':28}{'count':>7}{'% of all':>10}{'% of dated':>12}")
    print(f"{'dated (coverage)':28}{o['dated']:>7}{pct(o['dated'], n):>10}{'':>12}")
    for w in WINDOWS:
        name = "exact match" if w == 0 else f"within ±{w} day{'s' if w > 1 else ''}"
        print(f"{name:28}{o[f'within_{w}']:>7}{pct(o[f'within_{w}'], lab):>10}{pct(o[f'within_{w}'], dated):>12}")
    print(f"{'dated but > 7 days off':28}{o['off_more_than_7']:>7}{pct(o['off_more_than_7'], lab):>10}{pct(o['off_more_than_7'], dated):>12}")
    print(f"{'undated':28}{n - o['dated']:>7}{pct(n - o['dated'], n):>10}")
    print(f"\nwithin ±7 but not exact: found date − label (days): "
          f"before {o['found_before_label'] or '{}'}  after {o['found_after_label'] or '{}'}")

    print(f"\nper source{'':14}{'n':>4}{'dated':>7}{'exact':>7}{'±1':>7}{'±3':>7}{'±7':>7}{'>7 off':>7}   coverage  exact/dated  ±1/dated")
    for source, s in report["by_source"].items():
        print(f"  {source[:22]:22}{s['articles']:>4}{s['dated']:>7}{s['within_0']:>7}{s['within_1']:>7}"
              f"{s['within_3']:>7}{s['within_7']:>7}{s['off_more_than_7']:>7}   {pct(s['dated'], s['articles']):>8}"
              f"  {pct(s['within_0'], s['dated_labelled']):>11}  {pct(s['within_1'], s['dated_labelled']):>8}")

    far = [r for r in rows if r["delta"] is not None and abs(r["delta"]) > 7]
    if far:
        print(f"\ndated but more than 7 days from the label: {len(far)}"
              + (f" (first {min(args.far, len(far))})" if len(far) > args.far else ""))
        for r in far[: args.far]:
            print(f"  {r['file']}  found {r['found']}  label {r['label']}  ({r['delta']:+d} days, {r['source']})")
            print(f"      {r['body_start'][:150]!r}")
            if r["date_context"]:
                print(f"      date at {r['date_context']}")

    for key, what in (("labels_without_file", "labels.csv rows with no article file"),
                      ("unreadable", "files ingest could not read"), ("discover_problems", "discovery problems")):
        if report[key]:
            print(f"\n{what}: {len(report[key])}: {', '.join(report[key][:10])}")

    undated = [r for r in rows if not r["found"]]
    if undated:
        shapes = Counter(shape(r["body_start"]) for r in undated)
        print(f"\nundated articles by the shape of their first 40 characters (digits→9, month names→Mon, weekdays→Wkd):")
        for s, c in shapes.most_common(15):
            print(f"  {c:>4}  {s!r}")
    later = [r for r in undated if r["date_context"]]
    if later:
        print(f"\nundated, but a date occurs further into the body ({len(later)}):")
        for r in later:
            print(f"  {r['file']} ({r['source']}, label {r['label']}): {r['date_context']}")
    if args.misses:
        print(f"\n{min(args.misses, len(undated))} of {len(undated)} undated articles (first 200 characters of the body):")
        for r in undated[: args.misses]:
            print(f"  {r['file']} ({r['source']}, label {r['label']}):\n      {r['body_start'][:200]!r}")


_MONTHS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.I)
_WEEKDAYS = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?", re.I)


def shape(text: str) -> str:
    """A rough picture of how an article starts, to group the date formats the finder misses."""
    head = _WEEKDAYS.sub("Wkd", _MONTHS.sub("Mon", text[:40]))
    head = re.sub(r"\d", "9", head)
    return re.sub(r"\b(?!Mon\b|Wkd\b)[A-Za-z][\w'-]*", "w", head)


if __name__ == "__main__":
    sys.exit(main())
