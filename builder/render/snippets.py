"""Quoting mentions: the sentence, made inert, with the mention highlighted and linked to its paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..aggregate import AnySubject, Index
from ..models import Article, Mention
from ..markup.escape import md_curated, md_text
from ..extract.provenance import confidence, rule_family
from ..isolation import Failure, guarded
from ..markup import bounded_markdown
from ..markup.paragraph_ids import BODY_CLASS


@dataclass
class ArticleEntry:
    article: Article
    roles: list[str]  # "author", "contributor", "photo"
    quotes: list[Markup]  # HTML, one per sentence: the first few
    more_quotes: list[Markup]  # the article's other sentences naming the subject, behind a disclosure

    @property
    def more(self) -> int:
        return len(self.more_quotes)


def quote(sentence: str, sentence_start: int, mentions: list[Mention], href: str) -> Markup:
    """HTML for one sentence with each of `mentions` (all inside it) highlighted and linked to its paragraph."""
    out, at = [], 0
    for m in sorted(mentions, key=lambda m: m.start):
        start, end = m.start - sentence_start, m.end - sentence_start
        if start < at or end > len(sentence):
            continue
        out.append(escape(sentence[at:start]))
        family = rule_family(m.rule)
        out.append(Markup('<mark title="found by {} ({}), confidence {:.2f}" data-rule="{}"><a href="{}#p{}">{}</a></mark>').format(
            family, m.rule, confidence(m.rule), family, href, m.paragraph + 1, sentence[start:end]))
        at = end
    out.append(escape(sentence[at:]))
    return Markup("").join(out)


def article_entries(subject: AnySubject, index: Index, link_to, article_ids: list[str], max_quotes: int) -> list[ArticleEntry]:
    """`article_ids` (some of the subject's articles, newest first), each with every sentence that mentions the
    subject: the first `max_quotes` shown, the rest kept for a disclosure."""
    by_article: dict[str, list[Mention]] = {}
    for m in subject.mentions:
        by_article.setdefault(m.article_id, []).append(m)
    roles: dict[str, list[str]] = {}
    for article_id, role in subject.credits:
        roles.setdefault(article_id, []).append(role)
    articles = index.by_id
    entries = []
    for article_id in article_ids:
        article = articles[article_id]
        sentences: dict[int, list[Mention]] = {}
        for m in by_article.get(article_id, []):
            sentences.setdefault(m.sentence_start, []).append(m)
        href = link_to(article.page_path)
        quotes = [quote(ms[0].sentence, start, ms, href) for start, ms in sentences.items()]
        entries.append(ArticleEntry(article, roles.get(article_id, []), quotes[:max_quotes], quotes[max_quotes:]))
    return entries


def body_html(article: Article, mentions: list[Mention], subject_url) -> Markup:
    """The body as HTML, paragraphs numbered p1, p2, … (the anchors quotes link to), the first mention of
    each entity and location linked to its page. A curator's Markdown body is rendered as Markdown."""
    if article.body_is_markdown:
        rendered = guarded("render", lambda: bounded_markdown.render(article.body))
        if not isinstance(rendered, Failure):  # ingest tried it (ingest/__init__.py); if it fails now, plain text
            return Markup(rendered)
    firsts, seen = [], set()
    for mention in sorted(mentions, key=lambda m: m.start):
        key = (mention.kind, mention.target_id)
        if key not in seen and not mention.rule.startswith("demonym") and subject_url(mention) is not None:
            seen.add(key)
            firsts.append(mention)
    paragraphs = []
    offset = 0
    pending = iter(firsts)
    m = next(pending, None)
    for text in article.body.split("\n\n"):
        out, at = [], 0
        while m is not None and m.start < offset + len(text):
            start, end = m.start - offset, m.end - offset
            if start >= at and end <= len(text):
                out.append(escape(text[at:start]))
                out.append(Markup('<a href="{}" data-archive-preview>{}</a>').format(subject_url(m), text[start:end]))
                at = end
            m = next(pending, None)
        out.append(escape(text[at:]))
        if text.strip():
            paragraphs.append(str(Markup("").join(out)).strip().replace("\n", "<br>\n"))
        offset += len(text) + 2
    numbered = "\n".join(f'<p id="p{number}">{text}</p>' for number, text in enumerate(paragraphs, start=1))
    return Markup(f'<div class="{BODY_CLASS}">\n{numbered}\n</div>')


def body_markdown(article: Article) -> str:
    """The clean body as Markdown, for the article's normalised record (docs/articles/<id>.md)."""
    if article.body_is_markdown:
        return md_curated(article.body)
    return "\n\n".join(md_text(p.strip()) for p in article.paragraphs)
