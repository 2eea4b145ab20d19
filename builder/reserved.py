"""Names the generated site uses for itself, which no article, entity or location id may take.

`index` would be served at its folder's address (mkdocs), the others are the site's own folders and pages.
Ids are slugs (slugify never writes "--"), so a renamed id `<wanted>--<suffix>` cannot equal a wanted one.
"""

RESERVED = frozenset({"index", "search", "assets", "data", "originals", "pagefind", "entities", "locations",
                      "browse", "articles", "sitemap", "404"})


def is_reserved(slug_id: str) -> bool:
    """Whether any part of a "/"-separated id is a name the site reserves."""
    return any(part in RESERVED for part in slug_id.split("/"))
