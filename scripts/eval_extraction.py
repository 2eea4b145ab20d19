#!/usr/bin/env python3
"""How well does extraction find places and names? An evaluation on the fakes-dev and BBC corpora.

Reads ../shared/corpora/fakes-dev and ../shared/corpora/bbc (beside the project, NOT part of it and never
copied in). This is a developer tool, not part of the test suite; it needs those corpora to be present.

Both corpora go through the project's real pipeline, exactly as `archive check` runs it:
`builder.pipeline.analyse(Settings(project_root=<tmp>, articles_dir=<corpus>/…, docs_dir=<tmp>/docs,
registry=<project>/entities.yml, cache_dir=…))`; cache_dir: see the note on caches below.

1. fakes-dev (articles/*.txt, labels.csv: file, source, date, location): is the labelled Syrian governorate
   among the article's locations ("by name or by coordinates inside it")? Three cumulative levels:

   strict     a location is (a) the governorate itself (the curated `kind: region` entry in
              builder/data/places.yml), or (b) a place `Gazetteer.region_of()` puts in it (geonames admin1),
              or (c) a Syrian location whose name or alias is the governorate's name ("Aleppo" the city for
              the label aleppo; "Latakia" for lattakia). The label "damascus" means Damascus Governorate only,
              i.e. the city (admin1 13).
   +rif       as strict, but the label "damascus" also accepts Rif Dimashq Governorate (admin1 08: "Damascus
              countryside", Douma, Eastern Ghouta's towns …): the coders' "damascus" plausibly covers the
              suburbs, and the pipeline (rightly) keeps them apart.
   +coords    as +rif, plus (d): any Syrian point location (places without admin1: curated facilities,
              neighbourhoods, regions such as Eastern Ghouta or the Golan Heights) whose NEAREST GOVERNORATE
              CENTROID (the approximate centroids in places.yml) is the label's. There are no governorate
              polygons in the project, so this is NOT "coordinates inside the governorate": it is a rough
              approximation near borders, and is reported as a separate, lenient number.

   Each article is mapped back to its label by the file name of `Article.original`. The report gives the
   share overall and per governorate, which rule produced each hit, and up to --misses misses with the
   Syrian locations that were found and the start of the body.

2. bbc ({business,entertainment,politics,sport,tech}/NNN.txt): the --limit most frequent DISCOVERED entities
   (origin "discovered", ranked by mentions) with type, articles, mentions, the rule(s) that produced them
   and an example sentence (the mention in [[ ]]), then the --limit top candidates (`Index.candidates`:
   discovered names that did not become entities), and how many there are of each and how long analyse() took.
   Each row carries heuristic flags, a transparent pre-classification for a human reader to check, NOT a
   verdict and NOT "the junk number". "!" marks flags that usually mean junk:
     !common-word        one word, a tier A/B word of builder/data/common_words.txt (load_common_words())
     !contraction        "I've", "I'll"
     !acronym-plural     "PCs", "DVDs": a common noun
     !connector-edge     starts or ends with of/for/and/the/…
     !function-word      "Subs Not Used", "Me ITV1": a pronoun, negation or auxiliary inside
     !title-left         a person title left at the start
     !first-name-only    one word that is a given name (first_names.txt), not an acronym
     !fragment-of:X      the leading words of a longer discovered name X that is at least as frequent
     !place:…            a gazetteer place name typed as a person
     !person-with-acronym / !person-with-connector   "FA Cup" [person], "Doug Williams of BT" [person]
     !first-name-rule-on:W  typed by the first-name rule on an all-caps word, a pronoun or a big place ("UK", "London")
     !usually-written:T×n   most mentions are written T, which is not the name nor its surname: another
                         name merged in ("Cynthia Ozick" written "US")
     !sentence-start-only   every mention opens a sentence and the first word is a common word
   Notes (no "!"): leading-common (first word a common word: "Mark Oaten" is fine), part-of:X (leading part
   of a longer but rarer name), place:… for non-persons, sentence-start-only, demonym-inside, tier-P-word, digits.

analyse() writes a build cache into its cache_dir keeping only the last build's entries, so by default it gets a
private temporary cache dir with a copy of the project's gazetteer pickle (same gazetteer, project .cache left
alone; timings are a cold build). --project-cache passes <project>/.cache itself; --warm times a second run.

    .venv/bin/python scripts/eval_extraction.py [--corpus DIR] [--fakes DIR] [--bbc DIR] [--only fakes|bbc]
                                                [--limit N] [--misses N] [--json out.json] [--warm] [--project-cache]

Exit codes: 0 report printed, 2 a corpus missing or unreadable.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import math
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(PROJECT_ROOT))  # use this checkout's builder, even without the venv's editable install

from builder.extract.discovery import CONNECTORS, NEVER_NAMES, PERSON_TITLES, is_first_name  # noqa: E402
from builder.extract.gazetteer import PLACES_PATH, Gazetteer, arabic_variants, load_common_words, name_key  # noqa: E402
from builder.pipeline import Settings, analyse  # noqa: E402

# labels.csv location → the geonames admin1 code of the Syrian governorate (as in places.yml `admin1:`).
LABEL_ADMIN1 = {
    "aleppo": "09", "damascus": "13", "daraa": "06", "deir ezzor": "07", "hama": "10", "hasakeh": "01",
    "homs": "11", "idlib": "12", "lattakia": "02", "quneitra": "03", "raqqa": "04",
    # not in the labels seen so far, accepted if they appear
    "suwayda": "05", "sweida": "05", "tartus": "14", "tartous": "14", "rif dimashq": "08",
}
RIF_DIMASHQ = "08"
LENIENT_EXTRA = {"13": {RIF_DIMASHQ}}  # +rif: the label damascus also accepts Rif Dimashq
LEVELS = ("strict", "rif", "coords")
LEVEL_NAMES = {"strict": "strict (a/b/c)", "rif": "+ Rif Dimashq for damascus", "coords": "+ nearest centroid (d)"}
GOVERNORATE_SUFFIXES = (" governorate", " province")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPORA,
                    help=f"folder holding fakes-dev/ and bbc/ (default: {CORPORA})")
    ap.add_argument("--fakes", type=Path, help="the fakes-dev corpus (default: <corpus>/fakes-dev)")
    ap.add_argument("--bbc", type=Path, help="the BBC corpus (default: <corpus>/bbc)")
    ap.add_argument("--only", choices=("fakes", "bbc"), help="run one part only")
    ap.add_argument("--limit", metavar="N", type=int, default=100,
                    help="how many discovered entities and candidates to list (default 100)")
    ap.add_argument("--misses", metavar="N", type=int, default=15,
                    help="how many fakes-dev misses to print (default 15)")
    ap.add_argument("--project-cache", action="store_true",
                    help="use <project>/.cache as analyse()'s cache_dir (replaces the project's build cache!)")
    ap.add_argument("--warm", action="store_true", help="run analyse() twice and report the warm timings too")
    ap.add_argument("--json", metavar="OUT", type=Path, help="also write the results as JSON")
    args = ap.parse_args(argv)
    builder_digest()

    fakes = (args.fakes or args.corpus / "fakes-dev").resolve()
    bbc = (args.bbc or args.corpus / "bbc").resolve()
    missing = []
    if args.only != "bbc" and not ((fakes / "articles").is_dir() and (fakes / "labels.csv").is_file()):
        missing.append(f"{fakes}/articles/ and {fakes}/labels.csv")
    if args.only != "fakes" and not (bbc.is_dir() and any(bbc.glob("*/*.txt"))):
        missing.append(f"{bbc}/<category>/*.txt")
    if missing:
        print(f"eval_extraction: corpus not found: need {' and '.join(missing)}\n"
              f"(they live beside the project in ../shared/corpora; pass --corpus, --fakes or --bbc, "
              f"or --only to run one part)", file=sys.stderr)
        return 2

    out: dict = {"builder_digest": builder_digest()}
    if args.only != "bbc":
        labels = read_labels(fakes / "labels.csv")
        if labels is None:
            return 2
        out["fakes"] = eval_locations(fakes, labels, args)
    if args.only != "fakes":
        if out:
            print("\n" + "=" * 100 + "\n")
        out["bbc"] = eval_discovery(bbc, args)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 0


def run_pipeline(articles_dir: Path, args):
    """The project's own analyse() over `articles_dir`, in a throw-away project root.

    analyse() keeps a build cache in cache_dir (.cache/build-cache.pickle) holding only the entries of the
    LAST build, so pointing it at the project's .cache would evict the project's own entries (and make every
    later build of the archive cold). By default the cache dir is therefore a private temporary copy: the
    project's gazetteer pickle is copied in (so the gazetteer is the same and loads warm), the build cache
    starts empty, and the reported timings are those of a cold build. --project-cache uses <project>/.cache
    itself, as `archive check` would; --warm runs analyse() a second time on the same cache and reports both.
    """
    with tempfile.TemporaryDirectory(prefix="eval-extraction-") as tmp:
        tmp = Path(tmp)
        if args.project_cache:
            cache_dir = PROJECT_ROOT / ".cache"
        else:
            cache_dir = tmp / "cache"
            cache_dir.mkdir()
            for pickle_file in (PROJECT_ROOT / ".cache").glob("gazetteer-*.json"):
                shutil.copy2(pickle_file, cache_dir / pickle_file.name)
        settings = Settings(project_root=tmp, articles_dir=articles_dir, docs_dir=tmp / "docs",
                            registry=PROJECT_ROOT / "entities.yml", cache_dir=cache_dir)
        runs = []
        for _ in range(2 if args.warm else 1):
            started = time.perf_counter()
            analysis = analyse(settings)
            index, inputs, timings, gazetteer = analysis.index, analysis.inputs, analysis.timings, analysis.gazetteer
            runs.append({"seconds": time.perf_counter() - started, "timings": timings,
                         "gazetteer": "from cache" if gazetteer.from_cache else "built",
                         "gazetteer_seconds": gazetteer.load_seconds})
    return index, inputs, gazetteer, runs


@functools.cache
def builder_digest() -> str:
    """A short digest of builder/'s code and data, to tell which version of the pipeline a report came from
    (other people may be editing it while this runs). Computed once, when main() starts, right after the
    imports: the modules in memory are what ran, whatever the files say later."""
    digest = hashlib.sha256()
    root = PROJECT_ROOT / "builder"
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yml", ".txt", ".j2"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def print_runs(runs: list[dict], args) -> None:
    print(f"builder/ code digest {builder_digest()} (sha256 over builder/**/*.py|yml|txt|j2)")
    where = "<project>/.cache" if args.project_cache else "a private temporary cache dir (gazetteer pickle copied in)"
    for n, run in enumerate(runs):
        label = ("cold" if not args.project_cache else "first") if n == 0 else "warm (second run, same cache)"
        print(f"analyse() {label}: {run['seconds']:.2f}s = " + ", ".join(f"{k} {v:.2f}s" for k, v in run["timings"].items())
              + f"; gazetteer {run['gazetteer']} in {run['gazetteer_seconds']:.2f}s; cache_dir: {where}")


def read_labels(path: Path) -> dict[str, str] | None:
    labels = {}
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                labels[row["file"].strip()] = " ".join((row.get("location") or "").lower().split())
    except (OSError, KeyError, csv.Error) as exc:
        print(f"eval_extraction: cannot read {path}: {exc!r}", file=sys.stderr)
        return None
    return labels


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ─── 1. fakes-dev: labelled governorate among the locations ───────────────────────────────────────────────


class Governorates:
    """The Syrian governorates as places.yml curates them: region Location, name keys, centroid, by admin1."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        places = yaml.safe_load(PLACES_PATH.read_text(encoding="utf-8"))
        self.region: dict[str, object] = {}  # admin1 → region Location
        self.keys: dict[str, set[str]] = {}  # admin1 → name keys of the governorate's name ("aleppo", "latakia")
        for entry in places.get("places") or []:
            if entry.get("kind") != "region" or entry.get("country") != "SY" or not entry.get("admin1"):
                continue
            admin1 = str(entry["admin1"])
            region = next((loc for loc in gazetteer.candidates(entry["name"])
                           if loc.kind == "region" and loc.country == "SY"), None)
            if region is None:
                raise SystemExit(f"eval_extraction: places.yml region {entry['name']!r} not in the gazetteer")
            self.region[admin1] = region
            keys = set()
            for name in [entry["name"], *(entry.get("aliases") or [])]:
                key = name_key(name)
                for suffix in GOVERNORATE_SUFFIXES:  # "Aleppo province" → "aleppo"; not "rural …", "… countryside"
                    if key.endswith(suffix):
                        keys.add(key[: -len(suffix)].strip())
            keys |= {v for k in list(keys) for v in arabic_variants(k)}
            self.keys[admin1] = keys
        for label, admin1 in LABEL_ADMIN1.items():
            if admin1 in self.keys:
                self.keys[admin1].add(name_key(label))
        self.by_region_id = {loc.id: admin1 for admin1, loc in self.region.items()}

    def of(self, location) -> tuple[set[str], set[str], str | None]:
        """→ (admin1 codes by region/admin1 (a, b), admin1 codes by name (c), admin1 of the nearest centroid (d))."""
        if location.country != "SY":
            return set(), set(), None
        by_region = set()
        if location.id in self.by_region_id:
            by_region.add(self.by_region_id[location.id])
        region = self.gazetteer.region_of(location.id)
        if region is not None and region.id in self.by_region_id:
            by_region.add(self.by_region_id[region.id])
        by_name = set()
        if location.kind != "country":
            names = {name_key(location.name), *(name_key(a) for a in location.aliases)}
            by_name = {admin1 for admin1, keys in self.keys.items() if names & keys}
        nearest = None
        if location.kind != "country" and location.lat is not None:
            nearest = min(self.region, key=lambda a: _km(location.lat, location.lon, self.region[a].lat, self.region[a].lon))
        return by_region, by_name, nearest


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def judge(target: str, located: list[tuple]) -> dict[str, str | None]:
    """For one article: per level, the first rule that accepts the label's governorate `target`, else None.
    `located` = [(Location, by_region, by_name, nearest)] for the article's Syrian locations."""
    accept = {"strict": {target}, "rif": {target} | LENIENT_EXTRA.get(target, set())}
    accept["coords"] = accept["rif"]
    verdict: dict[str, str | None] = {}
    for level in LEVELS:
        ok = accept[level]
        # the strongest rule over all the article's locations: a/b, then c, then (lenient only) d
        hit = next((f"{'a' if loc.kind == 'region' else 'b'}:{loc.name}" for loc, r, _, _ in located if r & ok), None)
        hit = hit or next((f"c:{loc.name}" for loc, _, n, _ in located if n & ok), None)
        if level == "coords":
            hit = hit or next((f"d:{loc.name}" for loc, _, _, near in located if near in ok), None)
        verdict[level] = hit
    return verdict


def eval_locations(corpus: Path, labels: dict[str, str], args) -> dict:
    index, inputs, gazetteer, runs = run_pipeline(corpus / "articles", args)
    gov = Governorates(gazetteer)
    names = {a: gov.region[a].name for a in gov.region}
    rows = []
    unknown_labels = Counter()
    for article in index.articles:
        file = Path(article.original).name
        label = labels.get(file)
        if label is None:
            continue
        target = LABEL_ADMIN1.get(label)
        if target is None:
            unknown_labels[label] += 1
            continue
        _, location_ids = index.subjects_by_article.get(article.id, ([], []))
        located = []
        for lid in location_ids:
            loc = index.locations[lid].record
            if loc.country == "SY" and loc.kind != "country":
                located.append((loc, *gov.of(loc)))
        # the first Syrian place in body order, for a stricter "is the label the article's main place" view
        first = next((m.target_id for m in index.mentions_by_article.get(article.id, [])
                      if m.kind == "location" and any(loc.id == m.target_id for loc, *_ in located)), None)
        first_located = [x for x in located if x[0].id == first]
        rows.append({
            "file": file, "label": label, "admin1": target, "id": article.id,
            "verdict": judge(target, located),
            "first_place": first_located[0][0].name if first_located else None,
            "first_place_hit": judge(target, first_located)["strict"] is not None if first_located else False,
            "syrian_locations": [{"id": loc.id, "name": loc.name, "kind": loc.kind,
                                  "governorate": sorted(names[a] for a in by_region | by_name),
                                  "nearest_centroid": names.get(nearest)} for loc, by_region, by_name, nearest in located],
            "other_locations": [index.locations[lid].name for lid in location_ids
                                if index.locations[lid].record.country != "SY" or index.locations[lid].record.kind == "country"],
            "body_start": article.body[:200],
        })
    published = {Path(a.original).name for a in index.articles}
    not_published = sorted(f for f in labels if labels[f] in LABEL_ADMIN1 and f not in published)

    summary = {"articles_published": len(index.articles), "labelled": len(rows), "analyse_runs": runs,
               "not_published_labelled_files": not_published,
               "unknown_labels": dict(unknown_labels), "overall": {}, "by_governorate": {}, "hit_rules": {}}
    n = len(rows)
    for level in LEVELS:
        summary["overall"][level] = sum(1 for r in rows if r["verdict"][level])
        summary["hit_rules"][level] = dict(Counter(r["verdict"][level][0] for r in rows if r["verdict"][level]))
    summary["overall"]["first_place_strict"] = sum(1 for r in rows if r["first_place_hit"])
    summary["overall"]["no_syrian_location"] = sum(1 for r in rows if not r["syrian_locations"])
    by_label = defaultdict(list)
    for r in rows:
        by_label[r["label"]].append(r)
    for label, group in sorted(by_label.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        summary["by_governorate"][label] = {"articles": len(group), **{lv: sum(1 for r in group if r["verdict"][lv]) for lv in LEVELS},
                                            "first_place_strict": sum(1 for r in group if r["first_place_hit"]),
                                            "no_syrian_location": sum(1 for r in group if not r["syrian_locations"])}

    print(f"fakes-dev location evaluation: {len(index.articles)} articles published by the pipeline, {n} with a "
          f"governorate label ({corpus})")
    print_runs(runs, args)
    print("Is the labelled governorate among the article's locations?  (a) the governorate region itself, "
          "(b) region_of(place),\n(c) a Syrian place named like the governorate, (d) nearest governorate "
          "centroid: an APPROXIMATION, no polygons.\n")
    print(f"{'':34}{'hits':>6}{'share':>8}   hits by rule")
    for level in LEVELS:
        rules = ", ".join(f"{k}:{v}" for k, v in sorted(summary["hit_rules"][level].items()))
        print(f"{LEVEL_NAMES[level]:34}{summary['overall'][level]:>6}{pct(summary['overall'][level], n):>8}   {rules}")
    print(f"{'first Syrian place is it (strict)':34}{summary['overall']['first_place_strict']:>6}"
          f"{pct(summary['overall']['first_place_strict'], n):>8}   (stricter: the first-mentioned Syrian place)")
    print(f"{'no Syrian location found at all':34}{summary['overall']['no_syrian_location']:>6}"
          f"{pct(summary['overall']['no_syrian_location'], n):>8}")

    print(f"\nper governorate{'':7}{'n':>5}{'strict':>14}{'+rif':>14}{'+coords':>14}{'first':>14}{'no SY loc':>11}")
    for label, s in summary["by_governorate"].items():
        cells = "".join(f"{s[k]:>5} {pct(s[k], s['articles']):>8}" for k in (*LEVELS, "first_place_strict"))
        print(f"  {label:20}{s['articles']:>5}{cells}{s['no_syrian_location']:>11}")
    if not_published:
        print(f"\nlabelled files the pipeline did not publish: {len(not_published)}: {', '.join(not_published[:10])}")
    if unknown_labels:
        print(f"\nlabels that are no governorate (left out): {dict(unknown_labels)}")

    misses = [r for r in rows if not r["verdict"]["coords"]]
    strict_only_misses = [r for r in rows if not r["verdict"]["strict"] and r["verdict"]["coords"]]
    print(f"\nmisses even at the most lenient level: {len(misses)}"
          + (f" (first {min(args.misses, len(misses))})" if len(misses) > args.misses else ""))
    for r in misses[: args.misses]:
        print_miss(r)
    if strict_only_misses:
        print(f"\nstrict misses rescued by +rif / +coords: {len(strict_only_misses)}"
              + (f" (first {min(args.misses, len(strict_only_misses))})" if len(strict_only_misses) > args.misses else ""))
        for r in strict_only_misses[: args.misses]:
            print(f"  {r['file']}  label {r['label']}: +rif {r['verdict']['rif'] or '-'}; +coords {r['verdict']['coords']}")
    return {"summary": summary, "articles": rows}


def print_miss(r: dict) -> None:
    places = "; ".join(f"{p['name']} [{p['kind']}, {', '.join(p['governorate']) or 'no governorate'}, "
                       f"nearest centroid {p['nearest_centroid'] or '-'}]" for p in r["syrian_locations"]) or "none"
    print(f"  {r['file']}  label {r['label']}")
    print(f"      Syrian locations: {places}")
    if r["other_locations"]:
        print(f"      other locations: {', '.join(r['other_locations'][:12])}")
    print(f"      {r['body_start'][:200]!r}")


# ─── 2. bbc: discovered entities and candidates ───────────────────────────────────────────────────────────


FUNCTION_WORDS = {"i", "me", "my", "we", "us", "you", "he", "she", "it", "they", "not", "but", "if", "so", "yet", "no",
                  "yes", "is", "are", "was", "be", "do", "does", "did", "can", "will", "would", "should"}
CONTRACTION = re.compile(r"^(?:I|You|We|They|He|She|It|That|There|What|Who)'(?:m|ve|ll|d|re|s)$")
ACRONYM_PLURAL = re.compile(r"^[A-Z]{2,}s$")


class Flagger:
    """Transparent heuristics; flags starting with '!' usually mean junk, the others are notes."""

    def __init__(self, gazetteer: Gazetteer, counts: dict[str, int]) -> None:
        tiers = load_common_words()
        self.common = tiers["A"] | tiers["B"]
        self.proper = tiers["P"]
        self.gazetteer = gazetteer
        self.counts = counts  # discovered name (entity or candidate) → mentions
        self.by_first_words: dict[str, list[str]] = defaultdict(list)  # "liberal" → ["Liberal Democrats"]
        for name in sorted(counts, key=lambda n: -counts[n]):
            words = name.split()
            for n in range(1, len(words)):
                self.by_first_words[" ".join(words[:n]).lower()].append(name)

    def flags(self, name: str, kind: str | None = None, at_start: tuple[int, int] | None = None,
              texts: Counter | None = None, rules: Counter | None = None) -> list[str]:
        words = name.split()
        lower = [w.lower().strip(".,'’") for w in words]
        plain = [w for w, orig in zip(lower, words) if not (len(orig) > 1 and orig.isupper())]  # "US" is no "us"
        out = []
        acronym = name.isupper()
        if len(words) == 1 and lower[0] in self.common and not acronym:
            out.append("!common-word")
        if CONTRACTION.match(name):
            out.append("!contraction")
        if ACRONYM_PLURAL.match(name):
            out.append("!acronym-plural")
        if lower[0] in CONNECTORS or lower[-1] in CONNECTORS:
            out.append("!connector-edge")
        if len(words) > 1 and plain[:1] == lower[:1] and lower[0] not in CONNECTORS and (
                lower[0] in self.common or lower[0] in NEVER_NAMES or lower[0] in FUNCTION_WORDS):
            out.append(f"leading-common:{words[0]}")  # a note: "Mark Oaten", "Jack McConnell" are names
        if any(w in FUNCTION_WORDS for w in plain):
            out.append("!function-word")
        if lower[0] in PERSON_TITLES:
            out.append(f"!title-left:{words[0]}")
        if len(words) == 1 and not acronym and is_first_name(words[0]) and lower[0] not in self.common:
            out.append("!first-name-only")
        longer = [n for n in self.by_first_words.get(name.lower(), []) if n.lower() != name.lower()]
        if longer:
            more = longer[0] if self.counts.get(longer[0], 0) >= self.counts.get(name, 0) else None
            out.append(f"!fragment-of:{more}" if more else f"part-of:{longer[0]}")
        places = self.gazetteer.candidates(name)
        if places:
            out.append(f"{'!' if kind == 'person' else ''}place:{places[0].name} ({places[0].country or '-'}, {places[0].kind})")
        if kind == "person" and any(len(w) >= 2 and w.isupper() for w in words):
            out.append("!person-with-acronym")
        if kind == "person" and any(w in ("of", "for", "and", "the") for w in words):
            out.append("!person-with-connector")
        for rule in rules or ():
            if rule.startswith("first-name:"):
                first = rule.split(":", 1)[1]
                big_place = any(p.kind == "country" or p.population >= 100_000 for p in self.gazetteer.candidates(first))
                if first.isupper() or first.lower() in FUNCTION_WORDS or big_place:
                    out.append(f"!first-name-rule-on:{first}")
        if texts:
            text, n = texts.most_common(1)[0]
            key, whole = name_key(text), name_key(name)
            own_part = key == name_key(words[-1]) or (whole.startswith(key) and not text.isupper())  # Blunkett, Yugansk
            if key != whole and (text.isupper() or not own_part) and n * 2 > sum(texts.values()) \
                    and not _spells_initials(text, words):
                out.append(f"!usually-written:{text}×{n}")  # mostly mentions of another name merged in
        if at_start and at_start[0] == at_start[1]:
            out.append("!sentence-start-only" if lower[0] in self.common else "sentence-start-only")
        if any(self.gazetteer.demonym(w) for w in words):
            out.append("demonym-inside")
        if len(words) == 1 and lower[0] in self.proper:
            out.append("tier-P-word")
        if any(any(c.isdigit() for c in w) for w in words):
            out.append("digits")
        return out


def _spells_initials(acronym: str, words: list[str]) -> bool:
    """'UKIP' ← 'UK Independence Party', 'SEC' ← 'US Securities Exchange Commission': the acronym's letters in
    order among the words' initials (all letters of an all-caps word), and not simply one of the words
    ('DS' ← 'Mario Kart DS' is a merge, not an acronym)."""
    if not acronym.isupper() or acronym in words:
        return False
    initials = iter("".join(w if w.isupper() else w[:1] for w in words).upper())
    return all(letter in initials for letter in acronym if letter.isalpha())


def eval_discovery(corpus: Path, args) -> dict:
    index, inputs, gazetteer, runs = run_pipeline(corpus, args)
    discovered = [s for s in index.entities.values() if s.record.origin == "discovered"]
    discovered.sort(key=lambda s: (-len(s.mentions), -len(s.article_ids), s.name.lower()))
    candidates = list(index.candidates)  # (name, articles, mentions, example), most mentions first
    counts = {c[0]: c[2] for c in candidates} | {s.name: len(s.mentions) for s in discovered}
    flagger = Flagger(gazetteer, counts)

    print(f"bbc discovery evaluation: {index.inputs} files found, {len(index.articles)} articles published ({corpus})")
    print_runs(runs, args)
    origins = Counter(s.record.origin for s in index.entities.values())
    types = Counter(s.record.type for s in discovered)
    print(f"entities with a page: {len(index.entities)} ({', '.join(f'{k} {v}' for k, v in origins.most_common())}); "
          f"discovered by type: {', '.join(f'{k} {v}' for k, v in types.most_common())}")
    print(f"distinct discovered entities: {len(discovered)}; candidates (discovered, not entities): {len(candidates)}")
    print("flags: '!' = usually junk (heuristic pre-classification for a human to check, not a verdict); others are notes")

    rows = []
    print(f"\ntop {min(args.limit, len(discovered))} discovered entities by mentions "
          f"(# name [type] articles/mentions rules | flags | example):")
    for rank, s in enumerate(discovered[: args.limit], 1):
        rules = Counter(m.rule for m in s.mentions)
        at_start = (sum(1 for m in s.mentions if m.start == m.sentence_start), len(s.mentions))
        texts = Counter(m.text for m in s.mentions)
        flags = flagger.flags(s.name, s.record.type, at_start, texts, rules)
        m = s.mentions[0]
        offset = m.start - m.sentence_start
        example = m.sentence[:offset] + "[[" + m.sentence[offset: offset + len(m.text)] + "]]" + m.sentence[offset + len(m.text):]
        rule_text = ", ".join(f"{r}×{c}" for r, c in rules.most_common(3)) + (f", +{len(rules) - 3} more" if len(rules) > 3 else "")
        print(f"{rank:>3}. {s.name} [{s.record.type}] {len(s.article_ids)}/{len(s.mentions)}  {rule_text}"
              + (f"  | {' '.join(flags)}" if flags else ""))
        print(f"       {short(example, 220)}")
        rows.append({"rank": rank, "name": s.name, "id": s.id, "type": s.record.type, "articles": len(s.article_ids),
                     "mentions": len(s.mentions), "rules": dict(rules), "aliases": s.record.aliases,
                     "written": dict(texts.most_common(5)),
                     "sentence_start_mentions": at_start[0], "flags": flags, "example": example,
                     "example_article": index.by_id[m.article_id].original})
    flagged = sum(1 for r in rows if any(f.startswith("!") for f in r["flags"]))
    print(f"\nheuristically flagged '!' among the top {len(rows)} discovered entities: {flagged}")

    cand_rows = []
    print(f"\ntop {min(args.limit, len(candidates))} candidates by mentions (# name articles/mentions | flags | example):")
    for rank, (name, n_articles, n_mentions, example) in enumerate(candidates[: args.limit], 1):
        flags = flagger.flags(name)
        print(f"{rank:>3}. {name} {n_articles}/{n_mentions}" + (f"  | {' '.join(flags)}" if flags else ""))
        print(f"       {short(example, 220)}")
        cand_rows.append({"rank": rank, "name": name, "articles": n_articles, "mentions": n_mentions,
                          "flags": flags, "example": example})
    cand_flagged = sum(1 for r in cand_rows if any(f.startswith("!") for f in r["flags"]))
    print(f"\nheuristically flagged '!' among the top {len(cand_rows)} candidates: {cand_flagged}")
    flag_counts = Counter(f.split(":")[0] for r in rows for f in r["flags"])
    print(f"flags among the top discovered entities: {dict(flag_counts.most_common())}")

    return {"summary": {"files": index.inputs, "articles": len(index.articles), "analyse_runs": runs,
                        "discovered_entities": len(discovered),
                        "candidates": len(candidates), "discovered_by_type": dict(types),
                        "top_flagged": flagged, "top_candidates_flagged": cand_flagged},
            "discovered": rows, "candidates": cand_rows}


if __name__ == "__main__":
    sys.exit(main())
