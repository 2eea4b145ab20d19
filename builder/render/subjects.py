"""Pages for entities and locations, and their A–Z indexes."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..aggregate import AnySubject, Index, Subject
from ..config import Tiles  # noqa: F401 - the templates' type, re-exported
from ..paths import page_url, root_of, url_maker  # noqa: F401 - re-exported for the templates' helpers
from ..extract.provenance import rule_family
from ..models import Article, Entity, Location, Mention
from .linked_data import subject_ld
from .related import CoMentions, archive_share, co_mentions
from .snippets import article_entries

# A subject's page opens with its summary (_summary.html.j2); its articles follow, this many to a page, a busier
# subject's on further pages (entities/<id>/page-2, …). At 100 a page, a busy entity page was ~30,000 px tall.
ARTICLES_PER_PAGE = 20
EVENTS_SHOWN = 5  # a subject's events list is open when it is this short, else behind a disclosure
MAX_QUOTES_PER_ARTICLE = 3
MAX_CHART_MONTHS = 120
TYPE_ORDER = ("organisation", "person", "facility", "other")
_TYPE_LABELS = {"organisation": ("Organisation", "Organisations"), "person": ("Person", "People"),
                "facility": ("Facility", "Facilities"), "other": ("Other", "Other names")}


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """Jinja global: the word for `n` things, `noun(1, "source")` → "source", `noun(2, "source")` → "sources"."""
    return singular if n == 1 else (plural or singular + "s")


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """Jinja filter `plural`: 1 → "1 source", 2 → "2 sources" (`plural` for irregular forms)."""
    return f"{n} {noun(n, singular, plural)}"


def written_aliases(s: AnySubject) -> list[str]:
    """A place's other names as the articles themselves write them ("Halab"), not every exonym the gazetteer
    knows ("Beroea, Chalepi, Halapia"): an alias is shown only when some mention of the place spells it."""
    from ..extract.gazetteer import name_key

    written = {name_key(m.text) for m in s.mentions}
    own = name_key(s.name)
    return [a for a in s.record.aliases if name_key(a) in written and name_key(a) != own]


def type_label(kind: str, plural: bool = False) -> str:
    return _TYPE_LABELS.get(kind, (kind.title(), kind.title()))[plural]


@dataclass(frozen=True)
class Pager:
    """One page of a subject's article list: page `number` of `count`, articles [start:end] of `total`."""

    number: int
    count: int
    start: int
    end: int
    total: int

    @property
    def numbers(self) -> range:
        return range(1, self.count + 1)

    @property
    def window(self) -> list[int | None]:
        """The page numbers the pager links: the first, the last, and the two either side of this one, None
        standing for a gap ("1 … 4 5 6 7 8 … 40"); every number when there are few."""
        near = {1, self.count, *range(self.number - 2, self.number + 3)}
        shown = sorted(n for n in near if 1 <= n <= self.count)
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] == 2:  # a gap of one page: show it rather than "…"
                out.append(n - 1)
            elif out and n - out[-1] > 2:
                out.append(None)
            out.append(n)
        return out


def pages_of(total: int, per_page: int | None = None) -> list[Pager]:
    """The pages a list of `total` articles fills, `per_page` (ARTICLES_PER_PAGE) to a page; always at least one."""
    per_page = per_page or ARTICLES_PER_PAGE
    count = max(1, -(-total // per_page))
    return [Pager(n, count, (n - 1) * per_page, min(total, n * per_page), total) for n in range(1, count + 1)]


def paged_path(page_path: str, number: int) -> str:
    """Page `number` of a subject's page: 'entities/x.md' (1), 'entities/x/page-2.md' (URL entities/x/page-2/)."""
    return page_path if number == 1 else f"{page_path[: -len('.md')]}/page-{number}.md"


def month_bars(per_month: list[tuple[str, int]], limit: int | None = MAX_CHART_MONTHS) -> list[tuple[str, int, int]]:
    """Every month from the first to the last mention (zeros included), as (YYYY-MM, count, height %)."""
    if not per_month:
        return []
    counts = dict(per_month)
    (y, m), (last_y, last_m) = map(int, per_month[0][0].split("-")), map(int, per_month[-1][0].split("-"))
    months = []
    while (y, m) <= (last_y, last_m):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    months = months[-limit:] if limit else months
    peak = max(counts.values())
    return [(month, counts.get(month, 0), round(100 * counts.get(month, 0) / peak)) for month in months]


def years_axis(bars: list[tuple[str, int, int]]) -> list[tuple[str, float]]:
    """The years under a month chart: (year, share of the chart's width in %)."""
    years = Counter(month[:4] for month, _, _ in bars)
    return [(year, round(100 * n / len(bars), 3)) for year, n in sorted(years.items())]


def article_ref(a: Article) -> tuple:
    """An article in a page's cache key: its record is fixed by its bytes, its path and its id."""
    return (a.id, a.sha256, a.original)


def subject_ref(s: AnySubject) -> tuple:
    """Another subject in a page's cache key: what a chip or link shows of it (name, type, address)."""
    return (s.kind, s.id, s.record.name, s.record.type if isinstance(s.record, Entity) else s.record.kind)


def mention_ref(m: Mention) -> tuple:
    """A mention in a page's cache key: its text and sentence follow from its article's body and offsets."""
    return (m.article_id, m.kind, m.target_id, m.start, m.end, m.sentence_start, m.paragraph, m.rule)


def summary_ref(summary: CoMentions, index: Index) -> tuple:
    """The summary in a page's cache key: who is listed or left out, with their counts, and the backdrop's share
    of the archive as the page shows it (a change to data/sources.yml or data/publications.yml changes it; a new
    article elsewhere does not, unless it changes what the page shows)."""
    return (tuple((subject_ref(x), n) for x, n in summary.top), tuple((subject_ref(x), n) for x, n in summary.sources),
            tuple((subject_ref(x), n, backdrop_percent(x, index)) for x, n in summary.backdrop))


def backdrop_percent(s: AnySubject, index: Index) -> int:
    """The share of the archive's articles naming `s`, in whole percent, as the summary's note shows it."""
    return round(100 * archive_share(s, index))


def made_of(s: AnySubject, index: Index, pager: Pager | None = None) -> tuple:
    """What `subject_context` reads, gathered without building it: the cache key of the subject's page."""
    pager = pager or pages_of(len(s.article_ids))[0]
    return ({**vars(s), "mentions": [mention_ref(m) for m in s.mentions]}, pager,
            [article_ref(index.by_id[a]) for a in s.article_ids[pager.start:pager.end]],
            [subject_ref(index.entities[t]) for t, _ in s.co_entities[:40]],
            [subject_ref(index.locations[t]) for t, _ in s.co_locations[:40]],
            [subject_ref(index.locations[t]) for t, _ in s.nearby],
            summary_ref(co_mentions(s, index), index) if pager.number == 1 else None)


def subject_context(s: AnySubject, index: Index, page_path: str, pager: Pager | None = None) -> dict:
    """The template context of page `pager.number` of the subject's page (the first by default; `page_path` is
    that page's own path)."""
    pager = pager or pages_of(len(s.article_ids))[0]
    entries = article_entries(s, index, url_maker(page_path), s.article_ids[pager.start:pager.end], MAX_QUOTES_PER_ARTICLE)
    co_entities = [(index.entities[t], n) for t, n in s.co_entities[:40]]
    co_locations = [(index.locations[t], n) for t, n in s.co_locations[:40]]
    return {
        "s": s, "entries": entries, "pager": pager, "pages": [paged_path(s.page_path, n) for n in pager.numbers],
        "bars": month_bars(s.per_month), "root": root_of(page_path),
        "co_entities": [x for x, _ in co_entities], "co_entity_counts": [n for _, n in co_entities],
        "co_locations": [x for x, _ in co_locations], "co_location_counts": [n for _, n in co_locations],
        "rules": Counter(rule_family(m.rule) for m in s.mentions).most_common(),
        "nearby": [(index.locations[t], km) for t, km in s.nearby],
        "aliases": written_aliases(s) if s.kind == "location" else s.record.aliases,
        "linked_data": subject_ld(s) if pager.number == 1 else None,
        "summary": co_mentions(s, index) if pager.number == 1 else None,
        "share": lambda x: backdrop_percent(x, index), "events_shown": EVENTS_SHOWN,
    }


_LEADING_ARTICLE = re.compile(r"^(?:(?:a|an|the)\s+|(?:al|el)[-\u2010\u2011])(?=\w)")
_NOT_WORD = re.compile(r"^[\W_]+")


def az_key(name: str) -> str:
    """Where a name goes in an A–Z list: case and accents folded, leading punctuation and one leading article
    ("a ", "an ", "the ", "al-", "el-") passed over, so "a United Nations Security Council" is under U and
    "al-Nusra Front" under N. The entities index's script sorts by the same key (its li's data-name)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    folded = _NOT_WORD.sub("", " ".join(folded.split()))
    return _LEADING_ARTICLE.sub("", folded, count=1) or folded


def entity_groups(index: Index) -> list[tuple[str, list[Subject[Entity]]]]:
    """The entities index: each type's entities A–Z by `az_key`."""
    groups: defaultdict[str, list[Subject[Entity]]] = defaultdict(list)
    for s in index.entities.values():
        groups[s.record.type].append(s)
    return [(t, sorted(groups[t], key=lambda s: (az_key(s.name), s.name.casefold(), s.id)))
            for t in TYPE_ORDER if groups.get(t)]


def location_groups(index: Index, country_name: Callable[[str | None], str | None]
                    ) -> list[tuple[str, list[Subject[Location]], list[tuple[str, list[Subject[Location]]]]]]:
    """(country, its places, its places by governorate) by size; the last is [] for a country without
    governorates in the gazetteer. A place in none (the country itself, an area across several) is under "Other"."""
    groups = defaultdict(list)
    for s in index.locations.values():
        groups[country_name(s.record.country) or "Other places"].append(s)
    result = []
    for country, places in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        divisions = defaultdict(list)
        for s in places:
            divisions[s.record.admin1 or ""].append(s)
        named = sorted(((name, ps) for name, ps in divisions.items() if name), key=lambda kv: kv[0].lower())
        result.append((country, places, named + ([("Other", divisions[""])] if named and divisions[""] else [])))
    return result
