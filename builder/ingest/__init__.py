"""Ingest: input files → Article records (and Problems for what cannot be read).

Each file is read and parsed on its own (so this parallelises), then the whole set gets stable,
unique ids and duplicates are set aside.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath


from ..paths import slug
from ..isolation import STAGE_SECONDS, Failure, guarded
from ..models import Article, Problem
from ..reserved import RESERVED, is_reserved
from . import from_html, from_json, from_markdown, from_text
from .decode import Unreadable, decode
from .discover import InputFile, discover, has_unprintable_name
from .language import guess_language
from .parsed import Parsed

__all__ = ["IngestResult", "InputFile", "discover", "read_article", "assign_ids"]


@dataclass
class IngestResult:
    articles: list[Article]
    problems: list[Problem]
    inputs: list[InputFile]


def read_article(item: InputFile) -> tuple[Article | None, list[Problem]]:
    """One file → its Article, or None and the reason. Never raises for bad input."""
    try:
        data = item.path.read_bytes()
    except OSError as exc:  # unreadable (permissions), or gone since it was discovered
        return None, [Problem(item.display, "error", f"cannot be read: {exc.strerror or exc}; not published")]
    sha = hashlib.sha256(data).hexdigest()
    problems: list[Problem] = []
    if has_unprintable_name(item.path):
        problems.append(Problem(item.display, "warning", "the file name is not valid UTF-8 or holds control characters; "
                                "it is shown with \\xNN escapes (rename the file to fix this)"))
    try:
        decoded = decode(data)
        if decoded.note:
            problems.append(Problem(item.display, "warning", decoded.note))
    except (Unreadable, ValueError) as exc:
        return None, [*problems, Problem(item.display, "error", f"{exc}; not published")]
    parsed = guarded("read", lambda: _parse_or_reason(decoded.text, item.kind), STAGE_SECONDS["read"])
    if isinstance(parsed, Failure):  # the original is still published (originals/), and listed
        return None, [*problems, Problem(item.display, "error", parsed.message("not published"))]
    if isinstance(parsed, str):
        return None, [*problems, Problem(item.display, "error", f"{parsed}; not published")]
    problems.extend(Problem(item.display, "warning", w) for w in parsed.warnings)
    body = "\n\n".join(p.strip() for p in parsed.paragraphs if p.strip())
    if not body:
        problems.append(Problem(item.display, "warning", "the article has a title but no body text"))
    article_id, id_warning = _wanted_id(item.relative, parsed)
    if id_warning:
        problems.append(Problem(item.display, "warning", id_warning))
    article = Article(
        id=article_id,
        title=parsed.title,
        body=body,
        original=item.display,
        sha256=sha,
        kind=item.kind,
        subtitle=parsed.subtitle,
        date=parsed.date,
        time=parsed.time,
        source=parsed.source,
        authors=parsed.authors,
        contributors=[c for c in parsed.contributors if c not in parsed.authors],
        image_caption=parsed.image_caption,
        image_credit=parsed.image_credit,
        source_url=parsed.source_url,
        language=parsed.language or guess_language(body),
        word_count=len(body.split()),
        original_ext=PurePosixPath(item.relative).suffix.lower() or ".txt",
        body_is_markdown=parsed.body_is_markdown,
        furniture=parsed.furniture,
    )
    return article, problems


def _parse_or_reason(text: str, kind: str) -> Parsed | str:
    try:
        return _parse(text, kind)
    except (Unreadable, ValueError) as exc:  # the parsers' word for bad input: their message says what is wrong
        return str(exc)


def _parse(text: str, kind: str) -> Parsed:
    if kind == "html":
        return from_html.parse(text)
    if kind == "json":
        return from_json.parse(text)
    if kind == "markdown" or from_markdown.has_front_matter(text):
        return from_markdown.parse(text, markdown_body=kind == "markdown")
    return from_text.parse(text)


SEGMENT_CHARS = 80  # one part of an id (a file or folder name of the generated site)
MAX_ID_CHARS = 200  # a whole id, from a path or from front matter (`id:`): paths stay far below PATH_MAX
HINT_ID_CHARS = MAX_ID_CHARS
RENAMED_STEM_CHARS = 100  # a renamed id: `<wanted, flattened, cut to this>--<sha256 prefix>`, one path part


def slug_path(text: str) -> str:
    """'../../x', '/etc/x', 'A B/#?.txt' → 'x', 'etc/x', 'a-b/…': only [a-z0-9-] segments, never '..'."""
    segments = [slug(seg, max_length=SEGMENT_CHARS) for seg in re.split(r"[/\\]+", text)]
    return "/".join(s for s in segments if s)


def _cut(wanted: str, limit: int) -> str:
    """`wanted` cut to at most `limit` characters at a path-part boundary (or inside the first part)."""
    if len(wanted) <= limit:
        return wanted
    cut = wanted[: limit + 1].rsplit("/", 1)[0] if "/" in wanted[: limit + 1] else wanted[:limit]
    return cut.strip("-/")


def _wanted_id(relative: str, parsed: Parsed) -> tuple[str, str | None]:
    """The id the file asks for (its path, or its front matter's `id:`/`slug:`), and a warning if it was cut."""
    stem = str(PurePosixPath(relative).with_suffix(""))
    warning = None
    if (parsed.id_hint and not slug_path(parsed.id_hint)) or (parsed.slug_hint and not slug_path(parsed.slug_hint)):
        key, hint = ("id", parsed.id_hint) if parsed.id_hint else ("slug", parsed.slug_hint or "")
        warning = f"front matter: {key} {hint[:60]!r} has no letters or digits to make an id of; the file's path is used"
        wanted = slug_path(stem)
    elif parsed.id_hint:
        wanted = slug_path(parsed.id_hint)
        if len(wanted) > MAX_ID_CHARS:  # `id: a/a/a/…` 5,000 levels deep would be a path no file system takes
            wanted = _cut(wanted, MAX_ID_CHARS)
            warning = f"front matter: id is longer than {MAX_ID_CHARS} characters; cut to '{wanted}'"
    elif parsed.slug_hint:
        parent = slug_path(str(PurePosixPath(stem).parent))
        slug = slug_path(parsed.slug_hint).replace("/", "-")
        if len(slug) > SEGMENT_CHARS:
            slug = slug[:SEGMENT_CHARS].rstrip("-")
            warning = f"front matter: slug is longer than {SEGMENT_CHARS} characters; cut to '{slug}'"
        wanted = "/".join(s for s in (parent, slug) if s)
    else:
        wanted = slug_path(stem)
    if len(wanted) > MAX_ID_CHARS:  # folders nested near PATH_MAX: the site's paths would be longer still
        wanted = _cut(wanted, MAX_ID_CHARS)
        warning = f"the file's path is too long for an id (over {MAX_ID_CHARS} characters); cut to '{wanted}'"
    return wanted or "article-" + hashlib.sha1(relative.encode("utf-8", "surrogateescape")).hexdigest()[:8], warning


def assign_ids(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """Set aside duplicates and make ids unique. `articles` must be in discovery order (stable).

    An article whose wanted id is taken, nests with another (`2020` beside `2020/strike`), or uses a name
    the site reserves is renamed: its last part becomes `<name>--<sha256 prefix>` (in its folder, or the
    whole id flattened when the folder cannot be one). That part holds "--", which no wanted id holds
    (slugs never do), so it can only meet another renamed id, and those differ in their sha256
    (identical files are published once)."""
    problems: list[Problem] = []
    first_with: dict[str, Article] = {}  # by sha256 of the bytes, and by the text with white space folded
    taken: dict[str, Article] = {}
    folders: set[str] = set()  # "a" when "a/b" is taken: articles/a.md cannot sit beside the folder articles/a/
    kept: list[Article] = []
    for article in articles:
        text_key = "text:" + hashlib.sha256(" ".join(f"{article.title} {article.body}".split()).encode()).hexdigest()
        if (twin := first_with.get(article.sha256)) is not None:
            problems.append(Problem(article.original, "warning", f"identical to {twin.original}; published once, as {twin.url}"))
            continue
        if (twin := first_with.get(text_key)) is not None:
            problems.append(Problem(article.original, "warning", f"same text as {twin.original} (differs only in white space); published once, as {twin.url}"))
            continue
        first_with[article.sha256] = first_with[text_key] = article
        if (clash := _clash(article.id, taken, folders)) is not None:
            wanted = article.id
            article = replace(article, id=_free_id(wanted, article.sha256, taken, folders))
            problems.append(Problem(article.original, "warning", f"id '{wanted}' {clash}; published as '{article.id}'"))
        taken[article.id] = article
        parts = article.id.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        kept.append(article)
    return kept, problems


def _clash(article_id: str, taken: dict[str, Article], folders: set[str]) -> str | None:
    if is_reserved(article_id):
        # e.g. mkdocs serves docs/articles/x/index.md at articles/x/, not at the article's url articles/x/index/
        return f"is reserved: the site uses the name for its own pages ({', '.join(sorted(RESERVED))})"
    if article_id in taken:
        return f"is already used by {taken[article_id].original}"
    if article_id in folders:
        return "is the name of a folder of articles"
    parts = article_id.split("/")
    for i in range(1, len(parts)):
        if (prefix := "/".join(parts[:i])) in taken:
            return f"would put a folder where {taken[prefix].original} has its page"
    return None


def _free_id(wanted: str, sha: str, taken: dict[str, Article], folders: set[str]) -> str:
    """A renamed id (see assign_ids): its last part `<name>--<sha256 prefix>`, in its folder when that folder
    can hold pages, else flattened into one part. The prefix grows only if another renamed id has it."""
    parent, _, name = wanted.rpartition("/")
    parts = parent.split("/") if parent else []
    if any("/".join(parts[:i]) in taken for i in range(1, len(parts) + 1)) or is_reserved(parent):
        parent, name = "", wanted.replace("/", "--")
    stem = _cut(name, RENAMED_STEM_CHARS) or "article"
    for length in (12, 64):
        candidate = "/".join(p for p in (parent, f"{stem}--{sha[:length]}") if p)
        if candidate not in taken:
            return candidate
    raise AssertionError(f"two different files with one sha256: {sha}")  # identical files are set aside first
