"""`archive serve`'s first answer to an edit: the edited article's page, in about a second, before the full build.

A full incremental build re-runs the archive-wide aggregation (tens of seconds at 10,000 articles). An author
editing one article wants to see that article now, so the preview first re-reads and re-extracts only the
edited files and renders their pages against the index of the last build: registry and gazetteer names are
linked as always; a discovered name is linked when the last build knew it (by name or alias). The page has no
previous/next, related articles or events yet. The full build runs right after and replaces the page with the
exact one (the writer sees the file differs from its manifest and rewrites it); the page reloads again.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .. import pipeline
from ..aggregate import Index
from ..emit.articles import ArticlePages
from ..cache import BuildCache
from ..ingest import InputFile, read_article
from ..ingest.discover import KINDS
from ..models import Mention
from ..paths import OutputPath, output_path, page_name
from ..site.shells import Shell, stub_uri


def quick_pages(settings: pipeline.Settings, index: Index, shells: dict[str, Shell], changed: list[Path],
                site_dir: Path) -> list[OutputPath]:
    """Render and write the pages of the edited articles among `changed`; → the pages written. Files that are
    not already-published articles (new, removed or unreadable ones) are left to the full build."""
    by_original = {a.original: a for a in index.articles}
    written: list[OutputPath] = []
    for path in changed:
        kind = KINDS.get(path.suffix.lower())
        if kind is None or not path.is_file():
            continue
        try:
            relative = path.resolve().relative_to(settings.articles_dir.resolve()).as_posix()
            display = path.resolve().relative_to(settings.project_root.resolve()).as_posix()
        except ValueError:
            continue
        old = by_original.get(display) or by_original.get(relative)
        shell = shells.get(stub_uri("articles"))
        if old is None or shell is None:
            continue
        article, problems = read_article(InputFile(path, relative, display, kind))
        if article is None:
            continue
        article = dataclasses.replace(article, id=old.id)
        extraction = pipeline.extract([article], settings, BuildCache(None)).extractions[0]
        mentions = linked_mentions(extraction, index)
        quick = dataclasses.replace(
            index, articles=[article if a.id == old.id else a for a in index.articles],
            mentions_by_article={**index.mentions_by_article, old.id: mentions},
            subjects_by_article={**index.subjects_by_article, old.id: (
                list(dict.fromkeys(m.target_id for m in mentions if m.kind == "entity")),
                list(dict.fromkeys(m.target_id for m in mentions if m.kind == "location")))})
        page, = ArticlePages().pages_for(quick, {article.id})  # the emitter's own page, against the last index
        target = site_dir / output_path(article.page_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shell.fill(article.title, page.content, page_name(article.page_path)), "utf-8")
        written.append(output_path(article.page_path))
    return written


def linked_mentions(extraction, index: Index) -> list[Mention]:
    """The article's mentions whose subject has a page in `index`: registry and gazetteer mentions by id,
    discovered names by the name or alias of an entity the last build made."""
    known: dict[str, str] = {}
    for subject in index.entities.values():
        for name in [subject.name, *subject.record.aliases]:
            known.setdefault(name.lower(), subject.id)
    mentions = [m for m in extraction.mentions
                if (m.kind == "entity" and m.target_id in index.entities) or (m.kind == "location" and m.target_id in index.locations)]
    taken = {(m.start, m.end) for m in mentions}
    for found in extraction.found:
        c = found.candidate
        target = known.get(c.text.lower())
        if target and (c.start, c.end) not in taken:
            mentions.append(Mention(extraction.article_id, "entity", target, c.start, c.end, c.text, found.sentence,
                                    found.paragraph, c.rule, found.sentence_start))
    return sorted(mentions, key=lambda m: (m.start, m.end))
