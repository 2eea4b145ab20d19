"""Page precision: is each entity or location page the site publishes a true claim? (issue 19, measurement)

A page is judged on the hand-annotated articles it claims: every entity page (persons, organisations,
facilities) and location page with a mention of, or a credit in, one of the gold articles. It is **right**
when, in at least one of those articles, one of its mentions matches a gold name of its own type by the rule
`ner-gold.md` §6 gives for mentions: the whole case-folded surface, exactly, no partial credit. Types map as in
builder/quality.py: person → PER, organisation → ORG, facility → LOC, location page → LOC. A credit (byline,
photo credit) claims the credited name as PER where the file writes it, as quality.predict scores bylines.

Not judged (counted and listed apart, never in a ratio):
  - entity pages of type "other": the gold has no MISC, so it can neither confirm nor refute them;
  - location pages whose only claims in the gold articles are demonyms ("Iranian" → Iran): a demonym is no
    name in the guideline (§3), and quality.predict makes no pair of it either;
  - pages whose only claim is a credit the file does not write.

The gold sees surfaces, not referents: a page is right when its name is a gold name of its type, even if the
gazetteer put it in the wrong country ("Salma" → Salmās, Iran) or it duplicates another page
("Syrian Coalition" and "Syrian National Coalition"); possible duplicates are listed apart.

Each page is classified by its evidence, archive-wide (all articles, not only the gold ones): registry,
byline, gazetteer, ≥2 mentions, ≥2 articles, a title or cue word, model only, … — a page can be in several
classes — and by the rule family of the one mention a page rests on, if it rests on one. Every ratio is
printed with its counts and a 95% Wilson interval; the "site" column counts the pages of that class on the
whole site, judged or not, so "dropping this class loses ≈ site × precision right pages" can be read off.

Sampling: the judged pages are those touching the gold articles, so a page named in k articles is judged with
chance ≈ 1-(1-g/N)^k (g gold articles of N): widely named pages are over-represented. The overall precision is
also given re-weighted by 1/chance, an estimate for the whole site. Gates in the "what if" table were chosen
after reading these very errors: their gains are optimistic until measured on other gold.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

TYPE_OF_ENTITY = {"person": "PER", "organisation": "ORG", "facility": "LOC"}
TYPE_NAME = {"PER": "person", "ORG": "organisation", "LOC": "place", None: "other"}
MODEL_RULES = ("model:", "model-headline:")
_MODEL_TYPE = {"PERSON": "person", "ORG": "organisation", "FAC": "place", "GPE": "place", "LOC": "place"}  # as extract/ maps them
# The classes, in print order; every one is printed, empty or not, so an absent kind of evidence shows.
CLASSES = ("registry (entities.yml)", "byline / credit", "gazetteer place", "place the gazetteer lacks",
           "acronym / translation defined", "title or cue word", "first name", "≥2 mentions", "≥3 mentions",
           "≥2 articles", "model only", "model only, ≥2 mentions", "model only, ≥2 articles", "model only, 1 mention", "model, headlines only", "model types disagree")
BASIS = ("registry (entities.yml)", "byline / credit", "gazetteer place", "acronym / translation defined",
         "title or cue word", "≥2 articles", "≥3 mentions", "≥2 mentions")
_CAPITALISED = re.compile(r"[A-Z][\w'-]*")


@dataclass
class Page:
    subject_id: str
    kind: str  # entity | location
    name: str
    type: str | None  # PER | ORG | LOC; None: an entity of type "other"
    origin: str  # registry | discovered | byline (entities); gazetteer | unmapped (locations)
    rules: Counter  # every mention's rule, archive-wide
    mentions: int  # archive-wide
    articles: int  # archive-wide, credits included
    credits: int
    claims: dict[str, set[str]]  # gold file → case-folded surfaces the page claims there (demonyms left out)
    in_gold: bool = False  # claims one of the gold articles (by a mention, a demonym or a credit)
    unjudged: str = ""  # why the gold cannot judge it: "type other", "demonym only", "credit not written"
    correct: bool | None = None  # None: not judged
    matched: list[tuple[str, str]] = field(default_factory=list)  # (file, surface) that made it right
    cause: str = ""  # for a wrong page: why, guessed from the gold (see _cause)
    classes: list[str] = field(default_factory=list)
    single: str | None = None  # rule family of the one mention a page rests on
    touches_capitalised: bool = False  # its one mention has a capitalised word right before or after it
    lower_case: bool = False  # a mention has a lower-case content word ("the Russian defence ministry")
    sentence_initial_word: bool = False  # one word, capitalised in every mention only by starting a sentence
    labels: Counter = field(default_factory=Counter)  # the model's labels over its mentions
    weight: float = 1.0  # 1 / the chance a page like it touches the gold articles


def judge_pages(index, inputs, gold: dict) -> list[Page]:
    """Every page of the site; those claiming a gold article judged. Evidence classes for all."""
    from builder.extract.provenance import rule_family
    from builder.extract.registry import entity_id

    file_of = {a.id: Path(a.original).name for a in index.articles}
    path_of = {item.display: item.path for item in inputs}
    article_of = {a.id: a for a in index.articles}
    gold_sets = {f: {(t, s.casefold()) for t, s in pairs} for f, pairs in gold.items()}
    gold_types = {f: {s.casefold(): t for t, s in pairs} for f, pairs in gold.items()}
    share = sum(f in gold for f in file_of.values()) / max(1, len(file_of))
    texts: dict[str, str] = {}

    def text_of(article_id: str) -> str:
        if article_id not in texts:
            texts[article_id] = path_of[article_of[article_id].original].read_text("utf-8", errors="replace")
        return texts[article_id]

    pages = []
    for kind, subjects in (("entity", index.entities), ("location", index.locations)):
        for s in subjects.values():
            claims: dict[str, set[str]] = defaultdict(set)
            demonyms: set[str] = set()
            unwritten: set[str] = set()
            for m in s.mentions:
                f = file_of.get(m.article_id)
                if f not in gold:
                    continue
                if rule_family(m.rule) == "demonym":
                    demonyms.add(f)
                    continue
                claims[f].add(m.text.casefold())
            for article_id, _role in s.credits:
                f = file_of.get(article_id)
                if f not in gold:
                    continue
                a = article_of[article_id]
                credited = [*a.authors, *a.contributors, *(a.image_credit.split("/")[:1] if a.image_credit else [])]
                names = {s.record.name.lower(), *(x.lower() for x in getattr(s.record, "aliases", []))}
                written = [n for n in (n.strip() for n in credited)
                           if n and (entity_id(n) == s.id or n.lower() in names) and n in text_of(article_id)]
                if written:
                    claims[f].update(n.casefold() for n in written)
                else:
                    unwritten.add(f)  # credited in the metadata only: quality.predict scores no pair either
            if kind == "entity":
                t = TYPE_OF_ENTITY.get(s.record.type)
                origin = s.record.origin
            else:
                t = "LOC"
                origin = "unmapped" if s.id.startswith("unmapped-") else "gazetteer"
            page = Page(s.id, kind, s.name, t, origin, Counter(m.rule for m in s.mentions), len(s.mentions),
                        len(s.article_ids), len(s.credits), dict(claims), in_gold=bool(claims or demonyms or unwritten))
            page.weight = 1 / (1 - (1 - share) ** max(1, page.articles)) if share else 1.0
            if page.in_gold:
                page.unjudged = ("type other" if t is None else "" if claims else
                                 "demonym only" if demonyms else "credit not written")
                if not page.unjudged:
                    page.matched = sorted((f, x) for f, xs in claims.items() for x in xs if (t, x) in gold_sets[f])
                    page.correct = bool(page.matched)
                    if not page.correct:
                        page.cause = _cause(page, gold_types)
            page.classes, page.single = _evidence(page, rule_family)
            page.labels = Counter(m.rule.split(":", 1)[1] for m in s.mentions if m.rule.startswith(MODEL_RULES))
            if page.single and s.mentions:
                m = s.mentions[0]
                page.touches_capitalised = _touches_capitalised(article_of[m.article_id].body, m.start, m.end)
            if s.mentions:
                page.lower_case = any(_has_lower_content_word(article_of[m.article_id].body[m.start:m.end]) for m in s.mentions)
                page.sentence_initial_word = " " not in s.name and not s.name.isupper() and all(m.start == m.sentence_start for m in s.mentions)
            pages.append(page)
    return pages


# Not a piece of the name when right before it: a determiner opening the sentence, a title ("Lieutenant Nawras
# Hassan"), a possessive (the corpus drops apostrophes: "TRT Worlds Nafisa Latic", "Russias Foreign Ministry").
_NOT_NAME_BEFORE = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their"}
_CONNECTORS = {"of", "for", "and", "the", "de", "du", "da", "del", "la", "le", "von", "van", "der", "bin", "ibn", "al",
               "el", "on", "in", "at", "to", "y"}


_FUNCTION_WORDS = {"in", "on", "at", "by", "from", "for", "with", "after", "before", "during", "near", "as", "but", "and",
                   "while", "when", "since", "to", "of", "into", "under", "over", "between", "among", "against", "if"}
_ADJECTIVE_COMPOUND = re.compile(r"-(based|backed|led|held|run|linked|affiliated|controlled|born|owned)$")


def _common_words() -> frozenset[str]:
    from builder.extract.runner import common_words
    return common_words()


def _touches_capitalised(body: str, start: int, end: int) -> bool:
    """A capitalised word right before or after a span, in its line and sentence ("Fadel [Abdul Ghani]",
    "Burj [Rouss Qsaa]"): the span is likely a piece of a longer name, or a cut from a run of names."""
    from builder.extract.discovery import PERSON_TITLES

    before = re.search(r"(^|[.!?:\"]\s+|\s)(\S+)[ \t]+$", body[max(0, start - 60):start])
    after = re.match(r"[ \t]+(\S+)", body[end:end + 60])
    w = before.group(2) if before else ""
    opens_sentence = bool(before) and (before.group(1) == "" or not before.group(1).isspace())
    left = (_CAPITALISED.fullmatch(w) and w.lower() not in _NOT_NAME_BEFORE and w.lower().rstrip(".") not in PERSON_TITLES
            and not (w.endswith("s") and len(w) > 3) and not _ADJECTIVE_COMPOUND.search(w)
            and not (opens_sentence and (w.lower() in _common_words() or w.lower() in _FUNCTION_WORDS)))
    v = after.group(1) if after else ""
    right = _CAPITALISED.fullmatch(v) and v.lower() not in _common_words() and v.lower() not in _FUNCTION_WORDS
    return bool(left or right)


def _has_lower_content_word(text: str) -> bool:
    """'Russian defence ministry': a description, not a name (connectors and Arabic articles aside: 'al-Watan')."""
    return any(w[:1].islower() and w.lower() not in _CONNECTORS and not re.match(r"(al|el|ad|ar|as|ash|at|az|an)-", w)
               for w in text.split())


def _evidence(p: Page, rule_family) -> tuple[list[str], str | None]:
    """The kinds of evidence a page stands on (overlapping), and the family of its one mention if it has one."""
    rules = list(p.rules)
    families = {rule_family(r) for r in rules}
    c = []
    if p.origin == "registry" or "registry" in families:
        c.append("registry (entities.yml)")
    if p.credits:
        c.append("byline / credit")
    if p.kind == "location":
        c.append("gazetteer place" if p.origin == "gazetteer" else "place the gazetteer lacks")
    if any(r.startswith(("acronym-of:", "bracketed-alias-of:")) for r in rules):
        c.append("acronym / translation defined")
    if any(r.startswith(("title:", "cue:")) for r in rules):
        c.append("title or cue word")
    if any(r.startswith("first-name:") for r in rules):
        c.append("first name")
    if p.mentions >= 2:
        c.append("≥2 mentions")
    if p.mentions >= 3:
        c.append("≥3 mentions")
    if p.articles >= 2:
        c.append("≥2 articles")
    if rules and all(r.startswith(MODEL_RULES) for r in rules):
        c.append("model only")
        if p.mentions >= 2:
            c.append("model only, ≥2 mentions")
        if p.articles >= 2:
            c.append("model only, ≥2 articles")
        if p.mentions == 1 and not p.credits:
            c.append("model only, 1 mention")
        if all(r.startswith("model-headline:") for r in rules):
            c.append("model, headlines only")
        if len({_MODEL_TYPE.get(r.split(":", 1)[1].split("+")[0], r) for r in rules}) > 1:
            c.append("model types disagree")
    single = None
    if p.articles == 1 and p.mentions + p.credits == 1:
        single = "byline / credit" if p.credits else _single_family(rules[0], rule_family)
    return c, single


def _single_family(rule: str, rule_family) -> str:
    if rule.startswith("model-headline:"):
        return "model, in a headline"
    if rule.startswith("model:"):
        return "model"
    return rule_family(rule)


def basis(p: Page) -> str:
    """One reason per page, strongest first: a partition, so the rows add up to the total."""
    for cls in BASIS:
        if cls in p.classes:
            return cls
    if p.single:
        return f"1 mention: {p.single}"
    return "other (1 article, 1 mention, not model)"


def _cause(p: Page, gold_types: dict) -> str:
    """Why a wrong page is wrong, guessed from the gold of the files it claims."""
    causes = []
    for f, surfaces in p.claims.items():
        gold_names = gold_types[f]
        for x in surfaces:
            if x in gold_names:
                causes.append(f"typed {TYPE_NAME[p.type]}, gold {gold_names[x]}")
            elif any(g != x and re.search(rf"(?<!\w){re.escape(g)}(?!\w)", x) for g in gold_names):
                causes.append("glued run (holds a gold name)")
            elif any(re.search(rf"(?<!\w){re.escape(x)}(?!\w)", g) for g in gold_names):
                causes.append("fragment of a gold name")
            else:
                causes.append("not a gold name")
    order = ("typed", "glued", "fragment", "not")
    return min(causes, key=lambda c: order.index(next(o for o in order if c.startswith(o)))) if causes else "no surface in the file"


# What-if gates: a page the gate refuses loses its page (its mentions would stay candidates for the curator).
# Measured here only; nothing in builder/ applies them.
def _is_first_name(word: str) -> bool:
    from builder.extract.discovery import is_first_name
    return is_first_name(word)


def _model_single(p: Page) -> bool:
    return p.single is not None and p.single.startswith("model")


GATES = {
    "A  1 model mention, any type": _model_single,
    "A1 1 model mention, person page": lambda p: _model_single(p) and p.type == "PER",
    "A2 1 model mention, organisation page": lambda p: _model_single(p) and p.type == "ORG",
    "A3 1 model mention, place page": lambda p: _model_single(p) and p.type == "LOC",
    "B  model only, organisation page (any count)": lambda p: "model only" in p.classes and p.type == "ORG",
    "L1 1 model mention, person, no known given name": lambda p: _model_single(p) and p.type == "PER" and not _is_first_name(p.name.split()[0]),
    "L2 1 model mention, next to a capitalised word": lambda p: _model_single(p) and p.touches_capitalised,
    "L3 model only, written in lower case somewhere": lambda p: "model only" in p.classes and p.lower_case,
    "L4 model only, one word, always sentence-initial": lambda p: "model only" in p.classes and p.sentence_initial_word,
    "L5 model only, types disagree, organisation page": lambda p: "model types disagree" in p.classes and p.type == "ORG",
}
_L = [g for g in GATES if g.startswith("L")]
GATES["L  = L1-L5"] = lambda p: any(GATES[g](p) for g in _L)
GATES["L + A2 (1 model mention, organisation)"] = lambda p: any(GATES[g](p) for g in [*_L, "A2 1 model mention, organisation page"])
GATES["L + A (1 model mention, any type)"] = lambda p: any(GATES[g](p) for g in [*_L, "A  1 model mention, any type"])
GATES["L + A + B"] = lambda p: any(GATES[g](p) for g in [*_L, "A  1 model mention, any type", "B  model only, organisation page (any count)"])


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, centre - half), min(1.0, centre + half)


def _ratio(k: int, n: int) -> str:
    if not n:
        return f"{'—':>5} {0:>3}/{0:<3} {'':<11}"
    lo, hi = wilson(k, n)
    return f"{k / n:>5.2f} {k:>3}/{n:<3} [{lo:.2f}–{hi:.2f}]"


def _count(pages: list[Page], keys_of) -> dict[str, dict]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for p in pages:
        for k in keys_of(p):
            counts[k]["site"] += 1
            if p.correct is not None:
                counts[k]["pages"] += 1
                counts[k]["correct"] += p.correct
                counts[k][f"{p.type}_pages"] += 1
                counts[k][f"{p.type}_correct"] += p.correct
    return {k: dict(c) for k, c in counts.items()}


def summarise(pages: list[Page]) -> dict:
    judged = [p for p in pages if p.correct is not None]
    weighted = sum(p.weight for p in judged)
    out = {"site_pages": len(pages), "pages": sum(p.in_gold for p in pages), "judged": len(judged),
           "correct": sum(p.correct for p in judged),
           "site_estimate": round(sum(p.weight * p.correct for p in judged) / weighted, 4) if weighted else None,
           "unjudged": dict(Counter(p.unjudged for p in pages if p.unjudged)), "by_type": {}}
    for t in ("PER", "ORG", "LOC"):
        ps = [p for p in judged if p.type == t]
        out["by_type"][TYPE_NAME[t]] = {"pages": len(ps), "correct": sum(p.correct for p in ps),
                                        "site": sum(p.type == t for p in pages)}
    by_class = _count(pages, lambda p: p.classes)
    out["by_class"] = {k: by_class.get(k, {}) for k in CLASSES}
    out["by_single"] = dict(sorted(_count(pages, lambda p: [p.single] if p.single else []).items(), key=lambda kv: -kv[1]["site"]))
    out["by_basis"] = dict(sorted(_count(pages, lambda p: [basis(p)]).items(), key=lambda kv: -kv[1]["site"]))
    gates = {}
    for name, refuses in GATES.items():
        dropped = [p for p in judged if refuses(p)]
        kept = [p for p in judged if not refuses(p)]
        w_kept = sum(p.weight for p in kept)
        w_dropped = sum(p.weight for p in dropped)
        site_dropped = sum(refuses(p) for p in pages)
        # ratio estimate: the site's dropped pages × the (re-weighted) share of right ones among the judged dropped
        right_share = sum(p.weight * p.correct for p in dropped) / w_dropped if w_dropped else 0.0
        gates[name] = {"dropped": len(dropped), "dropped_right": sum(p.correct for p in dropped),
                       "kept": len(kept), "kept_right": sum(p.correct for p in kept),
                       "site_dropped": site_dropped, "site_right_lost": round(site_dropped * right_share),
                       "site_wrong_gone": round(site_dropped * (1 - right_share)) if w_dropped else 0,
                       "site_estimate": round(sum(p.weight * p.correct for p in kept) / w_kept, 4) if w_kept else None}
    out["gates"] = gates
    return out


def possible_duplicates(pages: list[Page]) -> list[tuple[Page, Page, str]]:
    """Right pages of one type that may name the same thing: one's words inside the other's, or an acronym of it,
    in a gold article they share. The gold scores both right; a reader sees two pages."""
    right = [p for p in pages if p.correct]
    found = []
    for i, a in enumerate(right):
        for b in right[i + 1:]:
            if a.type != b.type or a.kind != b.kind or not set(a.claims) & set(b.claims):
                continue
            short, long = sorted((a, b), key=lambda p: len(p.name))
            sw, lw = short.name.lower().split(), long.name.lower().split()
            initials = "".join(w[0] for w in lw if w not in ("of", "for", "the", "and"))
            if short.name.isupper() and short.name.lower() == initials:
                found.append((short, long, "acronym"))
            elif a.kind == "entity" and set(sw) < set(lw):
                found.append((short, long, "words inside"))
    return found


def print_pages(pages: list[Page], n: int, gold_articles: int) -> dict:
    s = summarise(pages)
    judged = [p for p in pages if p.correct is not None]
    left = ", ".join(f"{k}: {v}" for k, v in s["unjudged"].items()) or "none"
    print(f"\nPAGE PRECISION: the site has {s['site_pages']} entity and location pages; {s['pages']} claim one of the"
          f" {gold_articles} hand-annotated articles; {s['judged']} are judged (the gold cannot judge {left})")
    print("  a page is right when one of its mentions in those articles is a gold name of its type (ner-gold.md §6)")
    print("  columns: precision, right/judged, [95% Wilson interval]; site: pages of the class on the whole site")
    print(f"  {'all':<14} {_ratio(s['correct'], s['judged'])}   site {s['site_pages']}")
    for t, c in s["by_type"].items():
        print(f"  {t:<14} {_ratio(c['correct'], c['pages'])}   site {c['site']}")
    print(f"  re-weighted for the whole site (a page in k articles is judged with chance 1-(1-g/N)^k): {s['site_estimate']}")

    def table(title: str, rows: dict) -> None:
        print(f"\n{title}")
        print(f"  {'':<46}{'site':>5}  {'all':<25} {'person':<25} {'organisation':<25} place")
        for k, c in rows.items():
            cells = [_ratio(c.get(f"{t}_correct", 0), c.get(f"{t}_pages", 0)) for t in ("PER", "ORG", "LOC")]
            print(f"  {k:<46}{c.get('site', 0):>5}  {_ratio(c.get('correct', 0), c.get('pages', 0))} " + " ".join(cells))

    table("precision by kind of evidence (archive-wide; a page can be in several classes):", s["by_class"])
    table("pages resting on a single mention (1 article, 1 mention or credit), by rule family:", s["by_single"])
    table("by strongest evidence (each page once; " + " > ".join(BASIS) + " > 1 mention):", s["by_basis"])

    print("\nwhat if a gate refused these pages (measured, not applied; L gates were chosen after reading these errors,"
          " so their gains are optimistic). Judged: pages dropped, of them right, precision of the pages kept."
          " Site: pages dropped; right and wrong pages among them ≈ (re-weighted estimate); precision after ≈")
    print(f"  {'gate':<50} {'dropped':>7} {'right':>5}  {'judged precision after':<25} {'site: dropped':>13} {'right':>6} {'wrong':>6} {'after':>6}")
    print(f"  {'(none)':<50} {0:>7} {0:>5}  {_ratio(s['correct'], s['judged'])} {0:>13} {0:>6} {0:>6} {s['site_estimate'] or 0:>6.3f}")
    for name, g in s["gates"].items():
        crude = "  (crude: < 20 judged pages dropped)" if g["dropped"] < 20 else ""
        print(f"  {name:<50} {g['dropped']:>7} {g['dropped_right']:>5}  {_ratio(g['kept_right'], g['kept'])} {g['site_dropped']:>13}"
              f" {g['site_right_lost']:>6} {g['site_wrong_gone']:>6} {g['site_estimate'] or 0:>6.3f}{crude}")

    wrong = [p for p in judged if not p.correct]
    causes = Counter(p.cause for p in wrong)
    print(f"\nwrong pages: {len(wrong)}; causes guessed from the gold: " + ", ".join(f"{c} {k}" for k, c in causes.most_common()))
    if n:
        print(f"first {min(n, len(wrong))} (name, type, mentions/articles archive-wide, strongest evidence, cause, rules, surfaces in gold files):")
        for p in sorted(wrong, key=lambda p: (p.cause, p.type or "", p.name.lower()))[:n]:
            rules = ", ".join(f"{r}×{k}" if k > 1 else r for r, k in p.rules.most_common(3)) + (" …" if len(p.rules) > 3 else "")
            if p.credits:
                rules = (rules + ", " if rules else "") + f"credit×{p.credits}"
            surfaces = sorted({x for xs in p.claims.values() for x in xs})
            print(f"  {p.name!r:<32} {TYPE_NAME[p.type]:<12} {p.mentions:>3}m {p.articles:>3}a  {basis(p):<26}"
                  f" {p.cause:<29} {rules}  {surfaces[:3]}")
    dups = possible_duplicates(pages)
    print(f"\npossible duplicates among right pages (both scored right by the gold): {len(dups)}")
    for short, long, why in dups[:n]:
        print(f"  {short.name!r} ~ {long.name!r} ({TYPE_NAME[short.type]}, {why})")
    unjudged = [p for p in pages if p.unjudged]
    if n and unjudged:
        print(f"\nnot judged ({len(unjudged)}), first {min(n, len(unjudged))}:")
        for p in unjudged[:n]:
            print(f"  {p.name!r:<32} {p.unjudged:<18} {p.mentions:>3}m {p.articles:>3}a  {', '.join(list(p.rules)[:3])}")
    return s
