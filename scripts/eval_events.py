#!/usr/bin/env python3
"""How well are events extracted? fakes-dev's hand-coded events (events-gold.json), scored as events-gold.md §5 says.

The system's events are each article's own reports, as the build exports them: data/event_reports.csv (one row per
article and event, `article_id`) and data/articles.json (`main_event`, the report id of the article's main event).
By default this runs the project's analyse() over fakes-dev/articles (as eval_extraction.py does) and makes those two
exports in memory with the build's own functions; --site DIR reads them from a built site instead (a site without
event_reports.csv is read from events.csv, one row per incident, as ../shared/tools/events_score.py does).

Scoring (§5; the same comparisons as ../shared/tools/events_score.py, which it must agree with):
  names      compared case-, accent- and hyphen-insensitively, runs of spaces as one (as the reference scorer
             does); admin1 also without "Governorate", "Province", "Muhafazat" and with the usual spellings
             (Damascus Countryside = Rif Dimashq, …)
  main event per gold article with events, the system's main event field by field: event_type, sub_event_type,
             date (exact), admin1, location (the same name up to transliteration), actor1 / actor2 (the gold name
             or one of its `_ok` names; null = empty), fatalities (exact, null = empty). No main event: every
             field wrong. §5 also counts a location "within 10 km" as right; the reference scorer compares names
             only, and the gold has no coordinates: that figure is printed on a line of its own, the gold's place
             geocoded by the project's gazetteer (only in the gold's country and admin1) and the system's point
             taken only when it is the place's own (geo_precision 1).
  all events per article, each system event (in export order) matches the first unmatched gold event of the same
             event_type and admin1 dated within one day (or both undated); micro P/R/F1 over the gold articles.

Errors are put in categories (CATEGORIES below) and counted by field; --misses N lists the first N of each.

    .venv/bin/python scripts/eval_events.py [--site DIR] [--fakes DIR] [--gold FILE] [--misses N]

Exit codes: 0 report printed, 2 corpus or site missing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import io
import json
import math
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
FIELDS = ["event_type", "sub_event_type", "date", "admin1", "location", "actor1", "actor2", "fatalities"]

# Error categories, by what they are about. A main-event field is wrong in exactly one of its field's categories;
# a system event that matches no gold event (fp) and a gold event no system event matches (fn) in one of theirs.
CATEGORIES = {
    "*": ["no main event"],  # every field, when the system has no main event for the article
    "event_type": ["wrong"],
    "sub_event_type": ["wrong"],
    "date": ["empty", "spurious", "a day off", "publication date", "further off"],
    "admin1": ["empty", "spurious", "wrong"],
    "location": ["empty", "a region for a place", "another place in the admin1", "another admin1"],
    "actor1": ["empty", "spurious", "the other party", "wrong"],
    "actor2": ["empty", "spurious", "the other party", "wrong"],
    "fatalities": ["empty", "spurious", "higher", "lower"],
    "fp": ["duplicate", "date off", "other admin1", "other type", "spurious"],
    "fn": ["merged", "date off", "other admin1", "other type", "missed"],
}
# What the system's main event is, in the gold (by the all-events rule): the gold main, another gold event, none.
CHOICES = ["the gold main", "another gold event", "no gold event", "no main event"]

# admin1 spellings (§5 "the usual spellings"), folded
ADMIN1 = {"damascus countryside": "rif dimashq", "rif dimashq": "rif dimashq", "rural damascus": "rif dimashq",
          "deir ezzor": "deir ez zor", "deir ez zor": "deir ez zor", "dayr az zawr": "deir ez zor", "deir el zour": "deir ez zor",
          "hasakah": "al hasakah", "al hasakah": "al hasakah", "hassakeh": "al hasakah", "al hasakeh": "al hasakah",
          "as suwayda": "as suwayda", "sweida": "as suwayda", "suwayda": "as suwayda", "as sweida": "as suwayda",
          "raqqa": "raqqa", "ar raqqah": "raqqa", "raqqah": "raqqa", "ar raqqa": "raqqa", "tartous": "tartus", "tartus": "tartus",
          "lattakia": "latakia", "latakia": "latakia", "dara": "daraa", "daraa": "daraa", "deraa": "daraa", "hamah": "hama",
          "quneitra": "quneitra", "al qunaytirah": "quneitra", "idleb": "idlib", "halab": "aleppo", "hims": "homs"}
_PARTICLES = {"al", "el", "ar", "as", "ad", "ash", "at", "az", "the"}
_PLACE_WORDS = {"city", "town", "village", "province", "governorate", "countryside", "district", "neighbourhood",
                "neighborhood", "area", "rural", "eastern", "western", "northern", "southern"}


# ─── comparisons (§5) ──────────────────────────────────────────────────────────────────────────────────────────


def fold(s) -> str:
    """Case, accents, hyphens, apostrophes and runs of spaces away: 'Hayat Tahrir al-Sham' = 'hayat tahrir al sham'."""
    s = unicodedata.normalize("NFKD", str(s or ""))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    for ch in "-‐–—_'’`.,()":
        s = s.replace(ch, " ")
    return " ".join(s.split())


def admin1_key(s) -> str:
    s = fold(s)
    for w in ("governorate", "province", "muhafazat"):
        s = s.replace(w, " ")
    s = " ".join(s.split())
    return ADMIN1.get(s, s)


def place_key(s) -> str:
    return " ".join(w for w in fold(s).split() if w not in _PARTICLES and w not in _PLACE_WORDS)


def place_like(a, b) -> bool:
    """The same place name up to transliteration (Saraqeb/Saraqib, Hasaka/Hasakah): equal keys, or keys (spaces
    out) of difflib ratio >= 0.8. An empty name is no place."""
    ka, kb = place_key(a), place_key(b)
    if not ka or not kb:
        return False
    return ka == kb or difflib.SequenceMatcher(None, ka.replace(" ", ""), kb.replace(" ", "")).ratio() >= 0.8


def days_apart(a, b) -> int | None:
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)
    except (TypeError, ValueError):
        return None


NEAR_KM = 10  # §5: a location within this distance of the gold's is right


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def distance(g: dict, s: dict | None, locate) -> float | None:
    """Kilometres between the gold event's place (`locate(g)` → (lat, lon) or None) and the system row's own point
    (geo_precision 1); None when either is unknown."""
    if s is None or locate is None or _cell(s, "geo_precision") != "1":
        return None
    where = locate(g)
    try:
        lat, lon = float(_cell(s, "latitude")), float(_cell(s, "longitude"))
    except ValueError:
        return None
    return None if where is None else km(where[0], where[1], lat, lon)


def gazetteer_locator(gazetteer):
    """gold event → (lat, lon) of its `location` as the gazetteer resolves it in the gold's country, or None when
    it does not, or resolves it to a region or to a place outside the gold's admin1 ("Hader" in Quneitra is not
    al-Hadir near Aleppo)."""
    countries: dict[str, str | None] = {}

    def locate(g: dict):
        name, country = g.get("location"), g.get("country") or ""
        if not name:
            return None
        if country not in countries:
            found = gazetteer.resolve(country) if country else None
            countries[country] = found.country if found is not None and found.kind == "country" else None
        iso = countries[country]
        loc = gazetteer.resolve(name, {iso: 1} if iso else None)
        if (loc is None or loc.lat is None or loc.kind in ("country", "region") or loc.country != iso
                or (g.get("admin1") and admin1_key(loc.admin1) != admin1_key(g.get("admin1")))):
            return None
        return loc.lat, loc.lon

    return locate


def _names(g: dict, actor: str) -> set[str]:
    return {fold(x) for x in [g.get(actor), *(g.get(actor + "_ok") or [])] if x}


def _cell(row: dict, name: str) -> str:
    return (row.get(name) or "").strip()


def same(name: str, g: dict, s: dict | None) -> bool:
    """Is the system row `s` right on field `name` of the gold event `g`?"""
    if s is None:
        return False
    if name == "date":
        return (g.get("date") or "") == (s.get("event_date") or "")
    if name == "admin1":
        return admin1_key(g.get("admin1")) == admin1_key(s.get("admin1"))
    if name == "location":
        return place_like(g.get("location"), s.get("location"))
    if name in ("actor1", "actor2"):
        ok = _names(g, name)
        return fold(s.get(name)) in ok if ok else not _cell(s, name)
    if name == "fatalities":
        value = _cell(s, "fatalities")
        return (g.get("fatalities") is None and value == "") or (value.isdigit() and g.get("fatalities") == int(value))
    return fold(g.get(name)) == fold(s.get(name))


def same_event(g: dict, s: dict) -> bool:
    """The all-events rule: the same event_type and admin1, dates within one day (or both undated)."""
    return _type_ok(g, s) and _admin1_ok(g, s) and _date_ok(g, s)


def _type_ok(g, s) -> bool:
    return fold(g.get("event_type")) == fold(s.get("event_type"))


def _admin1_ok(g, s) -> bool:
    return admin1_key(g.get("admin1")) == admin1_key(s.get("admin1"))


def _date_ok(g, s) -> bool:
    d = days_apart(g.get("date"), s.get("event_date"))
    return (d is not None and d <= 1) or (not g.get("date") and not s.get("event_date"))


# ─── error categories ──────────────────────────────────────────────────────────────────────────────────────────


def main_error(name: str, g: dict, s: dict | None, published: str | None = None) -> str | None:
    """The category of the system main event's error on field `name` (None: right)."""
    if same(name, g, s):
        return None
    if s is None:
        return "no main event"
    if name in ("event_type", "sub_event_type"):
        return "wrong"
    if name == "date":
        want, got = g.get("date"), _cell(s, "event_date")
        if not got or not want:
            return "empty" if want else "spurious"
        if days_apart(want, got) == 1:
            return "a day off"
        return "publication date" if got == published else "further off"
    if name == "admin1":
        return "empty" if not _cell(s, "admin1") else "spurious" if not g.get("admin1") else "wrong"
    if name == "location":
        if not _cell(s, "location"):
            return "empty"
        if not _admin1_ok(g, s):
            return "another admin1"
        return "a region for a place" if _cell(s, "geo_precision") == "3" else "another place in the admin1"
    if name in ("actor1", "actor2"):
        got = fold(s.get(name))
        if not got:
            return "empty"
        if not _names(g, name):
            return "spurious"
        return "the other party" if got in _names(g, "actor2" if name == "actor1" else "actor1") else "wrong"
    if name == "fatalities":
        got, want = _cell(s, "fatalities"), g.get("fatalities")
        if not got:
            return "empty"
        if want is None or not got.isdigit():
            return "spurious"
        return "higher" if int(got) > want else "lower"
    raise ValueError(name)


def _near(g: dict, s: dict) -> str | None:
    """Which one key of the all-events rule keeps g and s apart (None: none, or more than one)."""
    t, a, d = _type_ok(g, s), _admin1_ok(g, s), _date_ok(g, s)
    if t and a and not d:
        return "date off"
    if t and d and not a:
        return "other admin1"
    if a and d and not t:
        return "other type"
    return None


def fp_category(s: dict, gold: list[dict], matched: list[dict]) -> str:
    """A system event that matched no gold event: it tells a gold event already matched ("duplicate"), or one
    left unmatched but for one key, or none ("spurious")."""
    if any(same_event(g, s) for g in gold if any(g is m for m in matched)):
        return "duplicate"
    unmatched = [g for g in gold if not any(g is m for m in matched)]
    return next((k for g in unmatched if (k := _near(g, s))), "spurious")


def fn_category(g: dict, system: list[dict], matched: list[dict]) -> str:
    """A gold event no system event matched: a matched system event tells it too ("merged": the system made
    two events one), an unmatched one has it but for one key, or none does ("missed")."""
    if any(same_event(g, s) for s in system if any(s is m for m in matched)):
        return "merged"
    unmatched = [s for s in system if not any(s is m for m in matched)]
    return next((k for s in unmatched if (k := _near(g, s))), "missed")


# ─── scoring ───────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class System:
    """A site's events as the scorer reads them: articles.json's records by original file name, and each
    article's event rows (dicts of CSV cells) by article id, in export order."""

    articles: dict[str, dict]
    rows: dict[str, list[dict]]
    origin: str

    def main(self, article: dict) -> dict | None:
        """The row articles.json's `main_event` names (a report id, or an incident's event_id), else the first
        row flagged main."""
        rows = self.rows.get(article["id"], [])
        want = article.get("main_event")
        if want:
            hit = [r for r in rows if want in (r.get("event_id"), r.get("report_id"))]
            if hit:
                return hit[0]
        return next((r for r in rows if (r.get("main") or "").lower() == "true"), None)


@dataclass
class Error:
    kind: str  # a field of FIELDS, "fp" or "fn"
    category: str
    file: str
    gold: object
    system: object
    detail: str = ""


@dataclass
class Result:
    n_main: int = 0
    right: Counter = field(default_factory=Counter)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[Error] = field(default_factory=list)
    choices: Counter = field(default_factory=Counter)
    n_gold: int = 0
    near: int | None = None  # mains whose location is right by name or within NEAR_KM (None: no locator)

    def accuracy(self, name: str) -> float:
        return self.right[name] / max(self.n_main, 1)

    @property
    def prf(self) -> tuple[float, float, float]:
        p = self.tp / max(self.tp + self.fp, 1)
        r = self.tp / max(self.tp + self.fn, 1)
        return p, r, 2 * p * r / max(p + r, 1e-9)


def _value(name: str, row: dict | None):
    return None if row is None else row.get("event_date" if name == "date" else name)


def _label(row: dict) -> str:
    return " ".join(f"{v}" for v in (row.get("event_date") or row.get("date") or "undated", row.get("sub_event_type"),
                                     row.get("location"), f"[{row.get('admin1') or '-'}]"))


def score(gold: dict, system: System, locate=None) -> Result:
    """events-gold.md §5 over the gold's articles (in file-name order). `locate` (gold event → (lat, lon) or
    None) adds the location figure with §5's "or within 10 km" (Result.near)."""
    res = Result(near=0 if locate is not None else None)
    for file, g in sorted(gold.items()):
        article = system.articles.get(file)
        gevents = list(g.get("events") or [])
        res.n_gold += len(gevents)
        sevents = system.rows.get(article["id"], []) if article else []
        gm = next((e for e in gevents if e.get("main")), None)
        if gm is not None:
            res.n_main += 1
            sm = system.main(article) if article else None
            for name in FIELDS:
                category = main_error(name, gm, sm, g.get("publication_date"))
                apart = distance(gm, sm, locate) if name == "location" else None
                if name == "location" and res.near is not None:
                    res.near += category is None or (apart is not None and apart <= NEAR_KM)
                if category is None:
                    res.right[name] += 1
                else:
                    got = _value(name, sm)
                    if apart is not None:
                        got = f"{got} ({apart:.0f} km)"
                    res.errors.append(Error(name, category, file, gm.get(name), got, gm.get("evidence") or ""))
            res.choices["no main event" if sm is None else "the gold main" if same_event(gm, sm) else
                        "another gold event" if any(same_event(e, sm) for e in gevents) else "no gold event"] += 1
        unmatched, matched_gold, matched_system, fps = list(gevents), [], [], []
        for s in sevents:
            hit = next((ge for ge in unmatched if same_event(ge, s)), None)
            if hit is None:
                fps.append(s)
                continue
            res.tp += 1
            unmatched.remove(hit)
            matched_gold.append(hit)
            matched_system.append(s)
        res.fp += len(fps)
        res.fn += len(unmatched)
        for s in fps:
            res.errors.append(Error("fp", fp_category(s, gevents, matched_gold), file, None, _label(s), s.get("sentence") or ""))
        for ge in unmatched:
            res.errors.append(Error("fn", fn_category(ge, sevents, matched_system), file, _label(ge), None,
                                    ge.get("evidence") or ""))
    return res


# ─── how far each rule can be trusted: the confidences of builder/data/event_confidence.yml ───────────────────

CONFIDENCE_FIELDS = ["event_type", "sub_event_type", "date", "location", "actor1", "actor2", "fatalities"]
SMOOTHING = 2  # a rule measured n times: (right + SMOOTHING × the field's precision) / (n + SMOOTHING)


def row_rules(row: dict) -> dict[str, str]:
    """The rule that made each field of an exported row (its `rule` cell: "field=rule; field=rule; …"), the
    first one given for a field (as Event.why reads it)."""
    out: dict[str, str] = {}
    for part in (row.get("rule") or "").split("; "):
        name, _, rule = part.partition("=")
        out.setdefault(name.strip(), rule.strip())
    return out


def measure_confidence(gold: dict, system: System) -> dict:
    """Each rule's precision on the dev gold, by field: for event_type, how many of the events a trigger made
    match a gold event (§5's all-events rule); for the other fields, of the matched events with a value, how many
    have the matched gold event's value (the main-event comparisons: exact date, same place name, actor or one of
    its _ok names, exact toll). A field's own precision is over all its rules."""
    from builder.aggregate.events import rule_family

    tally: dict[str, dict[str, list[int]]] = {f: {} for f in CONFIDENCE_FIELDS}
    for file, g in sorted(gold.items()):
        article = system.articles.get(file)
        unmatched = list(g.get("events") or [])
        for s in system.rows.get(article["id"], []) if article else []:
            hit = next((ge for ge in unmatched if same_event(ge, s)), None)
            rules = row_rules(s)
            count = tally["event_type"].setdefault(rule_family(rules.get("event_type", "")), [0, 0])
            count[0] += hit is not None
            count[1] += 1
            if hit is None:
                continue
            unmatched.remove(hit)
            for name in CONFIDENCE_FIELDS[1:]:
                if not _cell(s, "event_date" if name == "date" else name):
                    continue
                rule = rules.get(name) or (rules.get("event_type", "") if name == "sub_event_type" else "")
                count = tally[name].setdefault(rule_family(rule), [0, 0])
                count[0] += same(name, hit, s)
                count[1] += 1
    out = {}
    for name, by_rule in tally.items():
        right, n = sum(c[0] for c in by_rule.values()), sum(c[1] for c in by_rule.values())
        overall = right / n if n else 0.0
        out[name] = {"precision": round(overall, 2), "right": right, "n": n, "rules": {
            family: {"precision": round((r + SMOOTHING * overall) / (k + SMOOTHING), 2), "right": r, "n": k}
            for family, (r, k) in sorted(by_rule.items())}}
    return out


def write_confidence(measured: dict, path: Path, origin: str) -> None:
    import yaml

    header = (f"# Event fields: the measured precision of each rule that makes them, for the confidence each event and\n"
              f"# incident carries (Event.confidence, Incident.confidence; events.csv and event_reports.csv columns\n"
              f"# confidence_<field>). Written by scripts/eval_events.py --confidence on {origin}; do not edit by hand.\n"
              f"# precision: right / n on the dev gold; a rule's own is smoothed towards its field's\n"
              f"# ((right + {SMOOTHING} x field precision) / (n + {SMOOTHING})): a rule seen twice is not trusted as one seen fifty times.\n"
              f"# A rule not listed gets its field's precision.\n")
    path.write_text(header + yaml.safe_dump({"fields": measured}, sort_keys=True, allow_unicode=True, width=120),
                    encoding="utf-8")


# ─── the system's events: a built site, or the exports made in memory ─────────────────────────────────────────


def _by_file(articles: list[dict]) -> dict[str, dict]:
    return {Path(a.get("original") or "").name: a for a in articles}


def _rows_by_article(rows, key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        for aid in (r.get(key) or "").split() if key == "article_ids" else [r.get(key) or ""]:
            out.setdefault(aid, []).append(r)
    return out


def read_site(site: Path) -> System:
    """A built site's data/: event_reports.csv (each article's own reports) when it has one, else events.csv."""
    data = site / "data"
    articles = _by_file(json.loads((data / "articles.json").read_text(encoding="utf-8")))
    reports = data / "event_reports.csv"
    if reports.exists():
        with reports.open(newline="", encoding="utf-8") as fh:
            return System(articles, _rows_by_article(csv.DictReader(fh), "article_id"), f"{reports}")
    with (data / "events.csv").open(newline="", encoding="utf-8") as fh:
        return System(articles, _rows_by_article(csv.DictReader(fh), "article_ids"), f"{data / 'events.csv'}")


def from_index(index) -> System:
    """The exports the build would write for `index` (builder/render/exports.py), read as a site's are."""
    from builder.render.exports import articles_json, event_reports_csv

    articles = _by_file(json.loads(json.dumps(articles_json(index))))
    rows = csv.DictReader(io.StringIO(event_reports_csv(index), newline=""))
    return System(articles, _rows_by_article(rows, "article_id"), "analyse() + event_reports_csv() in memory")


# ─── the report ────────────────────────────────────────────────────────────────────────────────────────────────


def _short(text, n: int = 150) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def report(res: Result, misses: int, out=sys.stdout) -> None:
    p, r, f1 = res.prf
    print(f"main events: {res.n_main}", file=out)
    print("  " + ", ".join(f"{f} {res.accuracy(f):.2f}" for f in FIELDS), file=out)
    print("  " + ", ".join(f"{f} {res.right[f]}/{res.n_main}" for f in FIELDS), file=out)
    if res.near is not None:
        print(f"  location, right by name or within {NEAR_KM} km (§5; the gold's place by the gazetteer): "
              f"{res.near}/{res.n_main} {res.near / max(res.n_main, 1):.2f}", file=out)
    print("  the system's main event is " + ", ".join(f"{c} {res.choices[c]}" for c in CHOICES), file=out)
    print(f"all events: P {p:.2f} R {r:.2f} F1 {f1:.2f} (tp {res.tp}, fp {res.fp}, fn {res.fn}; gold {res.n_gold})",
          file=out)
    by_kind: dict[str, list[Error]] = {}
    for e in res.errors:
        by_kind.setdefault(e.kind, []).append(e)
    print("errors by field and category:", file=out)
    for kind in [*FIELDS, "fp", "fn"]:
        errs = by_kind.get(kind, [])
        counts = Counter(e.category for e in errs)
        print(f"  {kind:15} {len(errs):3}: " + (", ".join(f"{c} {n}" for c, n in counts.most_common()) or "-"), file=out)
    if misses <= 0:
        return
    for kind in [*FIELDS, "fp", "fn"]:
        errs = by_kind.get(kind, [])
        if not errs:
            continue
        print(f"\n{kind} errors ({len(errs)}; first {min(misses, len(errs))}):", file=out)
        for e in errs[:misses]:
            print(f"  {e.file}  [{e.category}]  gold {e.gold!r} / system {e.system!r}", file=out)
            if e.detail:
                print(f"      {_short(e.detail)}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="score this built site's data/ instead of running analyse()")
    ap.add_argument("--fakes", type=Path, default=CORPORA / "fakes-dev", help="the fakes-dev corpus")
    ap.add_argument("--gold", type=Path, help="the event gold (default: <fakes>/events-gold.json)")
    ap.add_argument("--misses", metavar="N", type=int, default=20, help="how many errors of each field to list")
    ap.add_argument("--project-cache", action="store_true", help="use <project>/.cache as analyse()'s cache_dir")
    ap.add_argument("--confidence", metavar="FILE", type=Path,
                    help="also write each rule's measured precision there (builder/data/event_confidence.yml)")
    args = ap.parse_args(argv)
    args.warm = False
    fakes = args.fakes.resolve()
    gold_path = (args.gold or fakes / "events-gold.json").resolve()
    if not gold_path.is_file():
        print(f"eval_events: gold not found: {gold_path}", file=sys.stderr)
        return 2
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    if args.site:
        if not (args.site / "data" / "articles.json").is_file():
            print(f"eval_events: not a built site: {args.site} (no data/articles.json)", file=sys.stderr)
            return 2
        system = read_site(args.site)
        from builder.extract.gazetteer import load_gazetteer

        gazetteer = load_gazetteer(PROJECT_ROOT / ".cache")
    else:
        if not (fakes / "articles").is_dir():
            print(f"eval_events: corpus not found: need {fakes}/articles/", file=sys.stderr)
            return 2
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from eval_extraction import run_pipeline

        index, _, gazetteer, runs = run_pipeline(fakes / "articles", args)
        system = from_index(index)
        print(f"analyse() over {fakes / 'articles'}: {runs[0]['seconds']:.1f}s")
    print(f"eval_events: {gold_path} ({len(gold)} articles) against {system.origin}")
    report(score(gold, system, gazetteer_locator(gazetteer)), args.misses)
    if args.confidence:
        write_confidence(measure_confidence(gold, system), args.confidence,
                         f"{gold_path.parent.name} ({len(gold)} articles), {dt.date.today().isoformat()}")
        print(f"rule precisions written to {args.confidence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
