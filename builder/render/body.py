"""An article's body as Markdown: the text made inert, paragraphs kept."""

from __future__ import annotations

from markupsafe import Markup

from ..models import Article
from .escape import md_curated, md_text


def body_markdown(article: Article) -> Markup:
    if article.body_is_markdown:
        return Markup(md_curated(article.body))
    return Markup("\n\n".join(md_text(p) for p in article.paragraphs))
