#!/usr/bin/env python3
"""A reviewer's sample of a built site: N random entity pages and M random incidents, each with the evidence
its page rests on (the sentences naming the entity; each report of the incident with its sentence and the rule
of every field), to judge by reading whether you would cite it. Reads only SITE/data/ (entities.json,
mentions.csv, sentences.csv, events.csv, event_reports.csv).

    .venv/bin/python scripts/sample_pages.py SITE [--entities 20] [--incidents 10] [--seed 1] [--quotes 3]

Write the verdicts down (right / wrong and why) and count them: `make eval` measures page precision on the
gold articles; this sample is what a reader meets on the rest of the site.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--entities", type=int, default=20, metavar="N")
    ap.add_argument("--incidents", type=int, default=10, metavar="M")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quotes", type=int, default=3, help="sentences shown per entity (default 3)")
    args = ap.parse_args(argv)
    data = args.site / "data"
    if not (data / "entities.json").is_file():
        print(f"sample_pages: no {data / 'entities.json'}: build the site first", file=sys.stderr)
        return 2
    csv.field_size_limit(10**8)
    sentences = {(r["article_id"], r["sentence_id"]): r["sentence"] for r in csv.DictReader(open(data / "sentences.csv", encoding="utf-8"))}
    by_entity: dict[str, list[dict]] = defaultdict(list)
    for row in csv.DictReader(open(data / "mentions.csv", encoding="utf-8")):
        if row["kind"] == "entity":
            by_entity[row["target_id"]].append(row)
    entities = json.loads((data / "entities.json").read_text("utf-8"))
    pick = random.Random(args.seed)
    print(f"{len(entities)} entity pages; {min(args.entities, len(entities))} at random (seed {args.seed})")
    for number, e in enumerate(pick.sample(entities, min(args.entities, len(entities))), 1):
        print(f"\nE{number}. {e['name']}  [{e['type']}, {e['origin']}; {e['mentions']} mentions in {len(e['articles'])} articles]  {e['url']}")
        for m in by_entity.get(e["id"], [])[:args.quotes]:
            print(f"    {m['text']!r} ({m['rule']}): {sentences.get((m['article_id'], m['sentence_id']), '')[:240]}")
    reports: dict[str, list[dict]] = defaultdict(list)
    for row in csv.DictReader(open(data / "event_reports.csv", encoding="utf-8")):
        reports[row["event_id"]].append(row)
    incidents = list(csv.DictReader(open(data / "events.csv", encoding="utf-8")))
    print(f"\n{len(incidents)} incidents; {min(args.incidents, len(incidents))} at random")
    for number, i in enumerate(pick.sample(incidents, min(args.incidents, len(incidents))), 1):
        print(f"\nI{number}. {i['event_date']} {i['sub_event_type']} in {i['location']} ({i['admin1']}): "
              f"{i['actor1'] or '?'} vs {i['actor2'] or '?'}, {i['fatalities'] or 'no'} killed  [{i['event_id']}]")
        for r in reports[i["event_id"]]:
            print(f"    report {r['report_id']}: {r['event_date']} {r['location']} {r['actor1'] or '?'}/{r['actor2'] or '?'} "
                  f"{r['fatalities'] or '-'}: {r['sentence'][:240]}")
            print(f"      rules: {r['rule'][:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
