#!/usr/bin/env python3
"""How well does event extraction find each article's main event? An evaluation on fakes-dev.

labels.csv gives, per article, the crowd's date and governorate of the event it reports. For each labelled article
this runs the project's real pipeline (`analyse()`, as eval_extraction.py does, whose helpers it reuses) and takes
the article's main event (`main: true`):

  date   the main event's date equals the labelled date (articles without a main event, or whose main event has
         no date, count as misses). The publication date alone is reported beside it, as the baseline.
  place  the main event's place lies in the labelled governorate, by eval_extraction's levels: strict (region or
         admin1 or the governorate's name), +rif (the label damascus also accepts Rif Dimashq) and +coords (a place
         without admin1, e.g. a neighbourhood, whose nearest governorate centroid is the label's: approximate).

Prints both figures, then up to --misses misses of each (article, expected, got, the rule and the sentence).

    .venv/bin/python scripts/eval_events.py [--fakes DIR] [--misses N] [--project-cache]

Exit codes: 0 report printed, 2 corpus missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_extraction import (CORPORA, LABEL_ADMIN1, Governorates, judge, pct, read_labels, run_pipeline,  # noqa: E402
                             short)


def label_date(text: str) -> str | None:
    """'4/7/2017' (month/day/year) → '2017-04-07'."""
    try:
        month, day, year = (int(x) for x in text.strip().split("/"))
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def read_dates(path: Path) -> dict[str, str | None]:
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        return {row["file"].strip(): label_date(row.get("date") or "") for row in csv.DictReader(fh)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fakes", type=Path, default=CORPORA / "fakes-dev", help="the fakes-dev corpus")
    ap.add_argument("--misses", metavar="N", type=int, default=20, help="how many misses of each kind to print")
    ap.add_argument("--project-cache", action="store_true", help="use <project>/.cache as analyse()'s cache_dir")
    args = ap.parse_args(argv)
    args.warm = False
    fakes = args.fakes.resolve()
    if not ((fakes / "articles").is_dir() and (fakes / "labels.csv").is_file()):
        print(f"eval_events: corpus not found: need {fakes}/articles/ and {fakes}/labels.csv", file=sys.stderr)
        return 2
    places, dates = read_labels(fakes / "labels.csv"), read_dates(fakes / "labels.csv")
    index, _, gazetteer, runs = run_pipeline(fakes / "articles", args)
    gov = Governorates(gazetteer)
    n = date_ok = pub_ok = near_ok = 0
    place_ok = Counter()
    no_event = 0
    date_misses, place_misses = [], []
    rules = Counter()
    miss_kinds = Counter()
    moved = Counter()
    reachable = 0  # the label is the publication date or the date of one of the article's events: a ceiling
    for article in index.articles:
        file = Path(article.original).name
        if file not in dates:
            continue
        n += 1
        expected_date, expected_place = dates[file], places.get(file)
        main = next((e for e in index.events.get(article.id, ()) if e.main), None)
        pub_ok += article.date == expected_date
        reachable += expected_date in {article.date, *(e.date for e in index.events.get(article.id, ()))}
        if main is not None and main.date != article.date:
            moved["event" if main.date == expected_date else "pub" if article.date == expected_date else "neither"] += 1
        if main is None:
            no_event += 1
            date_misses.append((file, expected_date, None, "no event", article.title))
            place_misses.append((file, expected_place, None, "no event", article.title))
            continue
        why = main.why("date")
        rules[(why.rule.split(" ")[0] if why else "none")] += 1
        if main.date and expected_date and abs((dt.date.fromisoformat(main.date) - dt.date.fromisoformat(expected_date)).days) <= 1:
            near_ok += 1
        if main.date == expected_date:
            date_ok += 1
        else:
            miss_kinds["the label is the publication date" if article.date == expected_date else
                       "within 1 day of the label" if main.date and expected_date and abs(
                           (dt.date.fromisoformat(main.date) - dt.date.fromisoformat(expected_date)).days) <= 1 else
                       "further off"] += 1
            date_misses.append((file, expected_date, f"{main.date} (published {article.date})",
                                why.rule if why else "no date", why.sentence if why else main.sentence))
        target = LABEL_ADMIN1.get(expected_place or "")
        loc = index.locations.get(main.location_id).record if main.location_id in index.locations else None
        if (loc is None or loc.lat is None) and main.admin1:  # a village the gazetteer lacks: its governorate
            loc = next((r for r in gov.region.values() if r.name == main.admin1), loc)
        located = [(loc, *gov.of(loc))] if loc is not None and loc.country == "SY" and loc.kind != "country" else []
        verdict = judge(target, located) if target else {"strict": None, "rif": None, "coords": None}
        for level in ("strict", "rif", "coords"):
            place_ok[level] += verdict[level] is not None
        if verdict["coords"] is None:
            where = main.why("location")
            place_misses.append((file, expected_place, main.location, where.rule if where else "no place",
                                 where.sentence if where else main.sentence))
    print(f"eval_events on {fakes} ({n} labelled articles; analyse() {runs[0]['seconds']:.1f}s)")
    print(f"  main event found:                      {n - no_event}/{n} {pct(n - no_event, n)}")
    print(f"  main event date = labelled date:       {date_ok}/{n} {pct(date_ok, n)}"
          f"   (publication date alone: {pub_ok}/{n} {pct(pub_ok, n)}; within a day: {near_ok}/{n} {pct(near_ok, n)})")
    print(f"  main event place in the governorate:   {place_ok['strict']}/{n} {pct(place_ok['strict'], n)} strict,"
          f" {place_ok['rif']}/{n} {pct(place_ok['rif'], n)} with Rif Dimashq for damascus,"
          f" {place_ok['coords']}/{n} {pct(place_ok['coords'], n)} with the nearest governorate centroid")
    print(f"  ceiling: the label is the publication date or the date of one of the article's events: "
          f"{reachable}/{n} {pct(reachable, n)} (no choice of main event can score more)")
    print("  date misses: " + ", ".join(f"{k} {v}" for k, v in miss_kinds.most_common()))
    print(f"  where the main event's date differs from the publication date, the label is the publication date "
          f"{moved['pub']} times, the event's {moved['event']} times, neither {moved['neither']} times")
    print("  date rules of the main events: " + ", ".join(f"{r} {c}" for r, c in rules.most_common()))
    for title, misses in (("date", date_misses), ("place", place_misses)):
        print(f"\n{title} misses ({len(misses)}; first {min(args.misses, len(misses))}):")
        for file, expected, got, rule, sentence in misses[: args.misses]:
            print(f"  {file}  expected {expected}  got {got}  [{rule}]\n      {short(sentence, 160)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
