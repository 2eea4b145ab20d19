"""Markup: the text-to-HTML primitives that ingest and render share, below both (escaping for Markdown and
JSON, paragraph ids, the bounded Markdown renderer). Ingest tries a curated Markdown body with the same bounded
renderer the article page uses, so the decision to publish it as text is made once, per file's bytes."""
