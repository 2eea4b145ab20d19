"""Archive-wide entity resolution: discovered candidates → Entities, and their Mentions.

Decisions that need the whole archive live here:
- an acronym or bracketed translation defined once ("… Center (CERS)") names the same entity everywhere;
- a lone surname ("Gantz") joins the one person whose name ends with it, first in its own article,
  then across the archive ("Soleimani" → "Qassem Soleimani");
- a discovered name becomes an entity when a rule typed it (title, cue word, first name, acronym)
  or it appears in at least `min_articles` articles; the rest stay candidates for the curator.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from dataclasses import dataclass, field, replace

from ..extract import ArticleExtraction, Found
from ..extract.discovery import ORG_CUES, PERSON_TITLES, is_given_name
from ..extract.gazetteer import load_common_words
from ..extract.names import rules as names_rules
from . import variants
from ..extract.registry import Registry, entity_id
from ..models import Article, Entity, Location, Mention

# A discovered name gets a page with one of these rules behind it, or when it appears in `min_articles`
# articles or MIN_MENTIONS times (a first name alone is not enough: passing names stay candidates).
STRONG_RULES = ("title:", "cue:", "acronym-of:", "bracketed-alias-of:", "team:")
PERSON_CREDIT_SPLIT = "/"
PLACE_PREFIX = "unmapped-"  # ids of places without coordinates: never a gazetteer id
MIN_MENTIONS = 3  # …or named this often: the subject of a story, not a passing name
MODEL_RULES = ("model:", "model-headline:")
# A name only the model found, once, is a page only as a place (mostly villages the gazetteer lacks): measured on
# the fakes-dev gold (scripts/page_precision.py), one-mention model persons were right 8 times in 17 and
# organisations 11 in 19, against 23 in 24 for model persons named twice. The rest stay "other names", but for two
# kinds of corroboration (issue 19 item 6, measured on CoNLL-2003 train and fakes-dev): a person whose full name
# starts with a known given name (_given_name_first), an organisation whose head word is a cue word (_institution_head).
ONE_MENTION_KINDS = ("place",)


@dataclass
class Resolution:
    entities: dict[str, Entity]
    mentions: list[Mention]  # registry, location and resolved discovered mentions
    credits: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # entity id → [(article id, role)]
    candidates: list[tuple[str, int, int, str]] = field(default_factory=list)  # name, articles, mentions, example
    places: dict[str, Location] = field(default_factory=dict)  # places the gazetteer lacks, without coordinates
    other_names: list[Mention] = field(default_factory=list)  # kind "name": names whose evidence earns no page


def resolve(articles: list[Article], extractions: list[ArticleExtraction], registry: Registry,
            is_person_name, min_articles: int = 2, common_words: frozenset[str] = frozenset()) -> Resolution:
    entities: dict[str, Entity] = {e.id: e for e in registry.entities}
    bodies = {a.id: a.body for a in articles}
    by_form = {form.lower(): e.id for form, e in registry.by_alias().items()}
    ignore = registry.ignore
    mentions = [m for x in extractions for m in x.mentions]

    # 1. Acronyms and bracketed aliases: "CERS" → "Scientific Studies and Research Center". Archive-wide only
    #    when every definition agrees and the long form is no person ("Cynthia Ozick (US)" defines nothing).
    definitions: dict[str, set[str]] = defaultdict(set)
    local: dict[tuple[str, str], str] = {}
    for x in extractions:
        for f in x.found:
            if f.candidate.alias_of and f.candidate.type != "person":
                definitions[f.candidate.text.lower()].add(f.candidate.alias_of)
                local[(x.article_id, f.candidate.text.lower())] = f.candidate.alias_of
    alias_to_long = {alias: next(iter(longs)) for alias, longs in definitions.items()
                     if len(longs) == 1 and _acronym_fits(alias, next(iter(longs)))}

    def canonical(text: str, article_id: str) -> str:
        long = local.get((article_id, text.lower())) or alias_to_long.get(text.lower())
        return long if long and long.lower() not in alias_to_long else text

    # 2. Group every discovered mention under a canonical surface form, possessives cut ("Assads" → "Assad"
    #    when "Assad" is written somewhere in the archive or the registry knows it).
    known_forms = {f.candidate.text.lower() for x in extractions for f in x.found} | set(by_form)
    known_forms |= {m.text.lower() for m in mentions}
    groups: dict[str, list[tuple[str, Found]]] = defaultdict(list)
    persons_by_part: dict[str, set[str]] = defaultdict(set)
    for x in extractions:
        for f in x.found:
            f = _without_possessive(f, known_forms)
            name = canonical(f.candidate.text, x.article_id)
            groups[name.lower()].append((x.article_id, f))
            if f.candidate.type == "person" and " " in name:
                for part in _trailing_parts(name):
                    persons_by_part[part].add(name.lower())
    for e in registry.entities:
        if e.type == "person" and " " in e.name:
            for part in _trailing_parts(e.name):
                persons_by_part[part].add(e.name.lower())

    # 3. Name parts join a full name ("Gantz", "Abdel Rahman" → "Rami Abdel Rahman"): within the article first,
    #    then archive-wide if unambiguous.
    names_in_article: dict[str, set[str]] = defaultdict(set)
    for key, items in groups.items():
        for article_id, _ in items:
            names_in_article[article_id].add(key)
    for m in mentions:
        if m.kind == "entity":
            names_in_article[m.article_id].add(entities[m.target_id].name.lower())
    for key in [k for k in groups if k in persons_by_part and not _is_acronym(k, groups[k])]:
        merged_items = []
        person = _may_be_person(groups[key])  # archive-wide only when the name is a person's; in its article always
        for article_id, f in groups[key]:
            full = persons_by_part.get(key, set())
            in_article = full & names_in_article[article_id]
            target = next(iter(in_article)) if len(in_article) == 1 else _dominant(full, groups) if person else None
            if target and target != key:
                groups.setdefault(target, []).append((article_id, f))
            else:
                merged_items.append((article_id, f))
        groups[key] = merged_items

    # 3b. Transliteration and spelling variants join the registry entry or the commoner spelling of the same kind
    #     ("Rami Abdurrahman" → "Rami Abdulrahman", "Jaysh al-Islam" → "Jaish al-Islam", "al-Fouaa" → "al-Foua").
    for key, target in variants.spelling_variants(groups, _vote, by_form, registry).items():
        groups[target].extend(groups[key])
        groups[key] = []

    # 3c. A run the model glued from names the archive knows is split into them ("al-Hamadaniyeh al-Ramouseh",
    #     "Staffan de Mistura Southern Front"): each part joins its own name.
    _split_glued(groups, by_form)

    # 4. Decide which groups become entities.
    resolved: list[Mention] = []
    other_names: list[Mention] = []
    candidates = []
    places: dict[str, Location] = {}
    for key, items in sorted(groups.items()):
        if not items or key in ignore:
            continue
        registry_id = by_form.get(key)
        articles_with = {a for a, _ in items}
        names = Counter(f.candidate.text for _, f in items if f.candidate.text.lower() == key) or Counter(f.candidate.text for _, f in items)
        name = _display_name(key, names, items)
        types = _vote(items)
        typed = typed_by_form(name, items)
        if typed:
            types[typed] += 1000  # the name's own words or the words around it outrank the model's label
        model_only = all(f.candidate.rule.startswith(MODEL_RULES) for _, f in items)
        strong = (typed in ("organisation", "facility")  # a head word types it, as a cue word does ("Jaish …", "… Mosque")
                  # a full name led by a known given name, found by the rules where the model saw nothing, passes
                  # the one-mention person gate (_given_name_first) too
                  or all(f.candidate.rule.startswith("first-name:") for _, f in items) and _given_name_first(name, items)
                  or any(f.candidate.rule.startswith(STRONG_RULES) for _, f in items)
                  or any(f.candidate.rule.startswith("model:") for _, f in items)
                  and _model_name_stands(name, types, common_words - _place_names_written(name, types, items),
                                         _fragment_of_longer(key, articles_with, names_in_article))
                  and not (model_only and _model_claim_too_weak(name, items, types, bodies)))
        if model_only and registry_id is None and _not_a_name(name, items, bodies):
            strong, items_count_as_evidence = False, False
        else:
            items_count_as_evidence = True
        common = (" " not in name and name.lower() in common_words  # "Fighters", "Gunmen" at sentence starts
                  and not _place_names_written(name, types, items))
        counted = items_count_as_evidence and (len(articles_with) >= min_articles or len(items) >= MIN_MENTIONS)
        if registry_id is None and (common or not (strong or counted)):
            example = items[0][1].sentence
            candidates.append((name, len(articles_with), len(items), example))
            if not common and items_count_as_evidence:  # listed on its article as an other name, not as a subject
                kind = types.most_common(1)[0][0] if types else "other"
                other_names.extend(Mention(article_id, "name", kind, f.candidate.start, f.candidate.end, f.candidate.text,
                                           f.sentence, f.paragraph, f.candidate.rule, f.sentence_start) for article_id, f in items)
            continue
        if registry_id is None and types and types.most_common(1)[0][0] == "place":
            # A place the model found but the gazetteer lacks: a location without coordinates, not an entity.
            location = places.setdefault(name.lower(), Location(PLACE_PREFIX + entity_id(name), name, None, None, None,
                                                                kind="place"))
            for article_id, f in items:
                c = f.candidate
                resolved.append(Mention(article_id, "location", location.id, c.start, c.end, c.text, f.sentence,
                                        f.paragraph, c.rule, f.sentence_start))
            continue
        if registry_id is None:
            eid = entity_id(name)
            entity = entities.get(eid)
            if entity is None:
                aliases = sorted({f.candidate.text for _, f in items if f.candidate.text != name})
                entity = entities[eid] = Entity(eid, name, types.most_common(1)[0][0] if types else "other",
                                                aliases=aliases, origin="discovered")
        else:
            entity = entities[registry_id]
        for article_id, f in items:
            c = f.candidate
            resolved.append(Mention(article_id, "entity", entity.id, c.start, c.end, c.text, f.sentence, f.paragraph, c.rule, f.sentence_start))

    # 5. Authors, contributors and credited photographers get person pages.
    credits: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a in articles:
        people = [(n, "author") for n in a.authors] + [(n, "contributor") for n in a.contributors]
        if a.image_credit:
            people += [(p.strip(), "photo") for p in a.image_credit.split(PERSON_CREDIT_SPLIT)[:1] if is_person_name(p.strip())]
        for credited, role in people:
            eid = by_form.get(credited.lower()) or entity_id(credited)
            if eid not in entities:
                entities[eid] = Entity(eid, credited, "person", origin="byline")
            credits[eid].append((a.id, role))

    candidates.sort(key=lambda c: (-c[2], c[0].lower()))
    return Resolution(entities, mentions + resolved, dict(credits), candidates,
                      {loc.id: loc for loc in places.values()}, sorted(other_names, key=lambda m: (m.article_id, m.start)))


DOMINANT_SHARE = 0.8  # a lone "Blair" is Tony Blair when he has 80% of the mentions of the Blairs


def _dominant(full_names: set[str], groups) -> str | None:
    """The one full name a lone name part means archive-wide: the only one, or the one named far more often."""
    if len(full_names) == 1:
        return next(iter(full_names))
    counts = sorted(((len(groups.get(name, ())), name) for name in full_names), reverse=True)
    total = sum(n for n, _ in counts)
    return counts[0][1] if total and counts[0][0] >= DOMINANT_SHARE * total else None


MAX_GLUED_WORDS = 8


def _split_glued(groups: dict[str, list], by_form: dict[str, str]) -> None:
    """Splits, in place, every group the model alone found whose name is two or three names the archive knows
    (other groups' names or registry aliases), a person only into full names (two words or more each: "Rami"
    and "Abdel Rahman" are one person's name parts)."""
    known = {k for k, v in groups.items() if v} | set(by_form)
    for key in [k for k, v in groups.items() if v and " " in k and k not in by_form]:
        items = groups[key]
        if not all(f.candidate.rule.startswith(MODEL_RULES) for _, f in items):
            continue
        words = key.split()
        person = (_vote(items).most_common(1) or [("other", 0)])[0][0] == "person"
        parts = _partition(words, known - {key}, 2 if person else 1) if len(words) <= MAX_GLUED_WORDS else None
        if not parts:
            continue
        moved = []
        for article_id, f in items:
            c, at, pieces = f.candidate, 0, []
            lowered = c.text.lower()
            for part in parts:
                i = lowered.find(part, at)
                if i < 0:
                    break
                pieces.append((part, (article_id, replace(f, candidate=replace(
                    c, text=c.text[i:i + len(part)], start=c.start + i, end=c.start + i + len(part),
                    at_sentence_start=c.at_sentence_start and i == 0)))))
                at = i + len(part)
            if len(pieces) != len(parts):
                break  # written otherwise in one article: leave the name whole
            moved.extend(pieces)
        else:
            groups[key] = []
            for part, item in moved:
                groups[part].append(item)


def _partition(words: list[str], known: set[str], min_words: int) -> list[str] | None:
    """`words` cut into 2 or 3 consecutive runs of at least `min_words` words, each a `known` name."""
    n = len(words)
    for i in range(min_words, n - min_words + 1):
        left, right = " ".join(words[:i]), " ".join(words[i:])
        if left in known and right in known:
            return [left, right]
    for i in range(min_words, n - 2 * min_words + 1):
        for j in range(i + min_words, n - min_words + 1):
            parts = [" ".join(words[:i]), " ".join(words[i:j]), " ".join(words[j:])]
            if all(p in known for p in parts):
                return parts
    return None


def typed_by_form(name: str, items) -> str | None:
    """The type a name's own words or its context give, whatever the model said: an organisation by its Arabic
    head word ("Jabhat al-Shamiyya", "Ansar al-Sharia"), a facility by its last word ("Salem Mosque"), a place
    when a place word follows or introduces it ("the al-Bahariya village", "the village of Namar")."""
    r = names_rules()
    words = name.split()
    if len(words) > 1 and words[0] in r.organisation_prefixes:
        return "organisation"
    if len(words) > 1 and words[-1] in r.facility_heads:
        return "facility"
    for _, f in items:
        c = f.candidate
        before = f.sentence[:max(0, c.start - f.sentence_start)].split()[-2:]
        after = f.sentence[c.end - f.sentence_start:].split()[:1]
        if (after and after[0].rstrip(".,;:") in r.place_context_words
                or len(before) == 2 and before[0] in r.place_context_words and before[1] == "of"):
            return "place"
    return None


def _model_claim_too_weak(name: str, items, types: Counter, bodies: dict[str, str]) -> bool:
    """A name only the model found, named once, gets a page only as a place (ONE_MENTION_KINDS), or as a person
    whose full name starts with a known given name (_given_name_first)."""
    kind = types.most_common(1)[0][0] if types else "other"
    if len(items) >= 2 or kind in ONE_MENTION_KINDS:
        return False
    return not (kind == "person" and _given_name_first(name, items)
                or kind == "organisation" and _institution_head(name, items))


def _institution_head(name: str, items) -> bool:
    """ "Bank of Finland", "Syrian Commercial Bank", "Opel AG": an English institution's name has its head noun
    last, or before "of"; when that word is an organisation's (the cue words, a company's legal form: company_words
    in name_rules.yml), the name says its kind.
    Not when "of" and a capitalised word follow it: the name goes on ("Local Coordination Committee | of Deir
    al-Adas"), the model cut it."""
    words = name.split()
    if len(words) < 2:
        return False
    head = words[:words.index("of")][-1] if "of" in words[1:] else words[-1]
    if head.lower().rstrip(".") not in ORG_CUES and head.rstrip(".") not in names_rules().company_words:
        return False
    for _, f in items:
        after = f.sentence[f.candidate.end - f.sentence_start:].split()[:2]
        if len(after) == 2 and after[0] == "of" and after[1][:1].isupper():
            return False
    return True


def _given_name_first(name: str, items) -> bool:
    """A full name, a known given name (or an initial) then capitalised words ("Werner Zwingmann", "N. Lenham"): the
    model's label and the first-names table agree, two kinds of evidence. Not when a capitalised word stands right
    before or after it (a title aside): then it is likely a part of a longer name the model cut ("Fadel | Abdul
    Ghani")."""
    words = name.split()
    if len(words) < 2 or not is_given_name(words[0]) or not words[-1][:1].isupper():
        return False
    for _, f in items:
        c = f.candidate
        before = f.sentence[:max(0, c.start - f.sentence_start)]
        after = f.sentence[c.end - f.sentence_start:]
        left = before.split()[-1:] if before.endswith(" ") else []
        right = after.split()[:1] if after.startswith(" ") else []
        if any(w[:1].isupper() and w.lower().rstrip(".") not in PERSON_TITLES for w in left + right):
            return False
    return True


def _not_a_name(name: str, items, bodies: dict[str, str]) -> bool:
    """A proper name is capitalised wherever it is written: a phrase its articles also write in lower case is a
    description ("the Russian defence ministry"); one word capitalised only where it starts a sentence
    ("Warplanes pounded …") shows no capital of its own."""
    if " " not in name and all(f.candidate.at_sentence_start for _, f in items):
        return True
    lower = name.lower()
    if lower == name:
        return False
    for article_id in {a for a, _ in items}:
        body = bodies.get(article_id, "")
        at = body.find(lower)
        while at >= 0:
            end = at + len(lower)
            if (at == 0 or not body[at - 1].isalnum()) and (end == len(body) or not body[end].isalnum()):
                return True
            at = body.find(lower, at + 1)
    return False


def _place_names_written(name: str, types: Counter, items) -> frozenset[str]:
    """{name} when one word typed a place is written capitalised inside a sentence and is no very common word
    ("In Baltimore, …": "baltimore" is a rare English word in the word list, not "March" or "Split"): the place's
    name, not a common word. Else the empty set."""
    if (" " in name or name.isupper() or not types or types.most_common(1)[0][0] != "place"
            or name.lower() in _very_common_words() or all(f.candidate.at_sentence_start for _, f in items)):
        return frozenset()
    return frozenset({name.lower()})


@cache
def _very_common_words() -> frozenset[str]:
    return load_common_words()["A"]


def _model_name_stands(name: str, types: Counter, common_words: frozenset[str], fragment: bool) -> bool:
    """Whether a name the model found once is worth a page. Not a run of common words ("Airstrikes Disrupt Last
    Remaining Ambulance Service", a headline), nor one word that is a common word or the first word of a longer
    name in its article ("Ahrar" of "Ahrar al-Sham"), nor one word the model calls a person ("Ahmad"): those need
    a second mention, and until then are candidates for the curator."""
    words = name.split()
    kind = types.most_common(1)[0][0] if types else "other"
    if name.isupper() and 2 <= len(name) <= 8:
        return True
    if sum(w.lower() in common_words for w in words) * 2 > len(words):
        return len(words) > 1 and kind != "person" and words[-1].lower() in names_rules().institution_words
    if len(words) == 1:
        return kind != "person" and not fragment
    return True


def _fragment_of_longer(key: str, article_ids: set[str], names_in_article: dict[str, set[str]]) -> bool:
    return any(other.startswith(key + " ") for a in article_ids for other in names_in_article[a])


def _may_be_person(items) -> bool:
    votes = _vote(items)
    return not votes or votes.most_common(1)[0][0] == "person"


def _trailing_parts(name: str) -> list[str]:
    """ "Rami Abdel Rahman" → ["abdel rahman", "rahman"]: the ways a text names a person it has introduced."""
    words = name.lower().split()
    return [" ".join(words[i:]) for i in range(1, len(words)) if words[i] not in ("al", "bin", "ibn", "de", "van", "von")]


def _without_possessive(found: Found, known_forms: set[str]) -> Found:
    """ "Assads" → "Assad", "Al-Qaedas" → "Al-Qaeda" when the shorter form is known: the corpus drops apostrophes."""
    c = found.candidate
    if ((len(c.text) > 3 or c.text[:-1].isupper()) and c.text.endswith("s") and not c.text.endswith("ss")
            and c.text[:-1].lower() in known_forms):  # "EUs" too: an acronym and its plural s
        return replace(found, candidate=replace(c, text=c.text[:-1], end=c.end - 1))
    return found


def _vote(items) -> Counter:
    """The types the mentions of a name were given: the model's label counts twice a rule's guess."""
    votes: Counter[str] = Counter()
    for _, f in items:
        if f.candidate.type != "other":
            votes[f.candidate.type] += 2 if f.candidate.rule.startswith("model:") else 1
    return votes


def _acronym_fits(alias: str, long: str) -> bool:
    """'ukip' fits 'UK Independence Party'; 'us' does not fit 'Motors of the US'. Translations (several words
    in brackets: 'Jerusalem Brigade') always fit. The alias's letters must follow the long form's capitals in order."""
    if " " in alias.strip():
        return True
    initials = "".join(ch for ch in long if ch.isupper()).lower()  # "UK Independence Party" → "ukip"
    letters = iter(initials)
    return alias[:1] == initials[:1] and all(ch in letters for ch in alias if ch.isalpha())


def _is_acronym(key: str, items) -> bool:
    """'BT', 'DS': written in capitals, so never a surname to merge into a person."""
    return all(f.candidate.text.isupper() for _, f in items)


def _display_name(key: str, names: Counter, items) -> str:
    """The most frequent spelling; a mid-sentence spelling beats one capitalised only by a sentence start."""
    mid = Counter(f.candidate.text for _, f in items if not f.candidate.at_sentence_start and f.candidate.text.lower() == key)
    return (mid or names).most_common(1)[0][0]
