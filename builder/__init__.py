"""Static-site research archive generator: articles/ → a searchable, cross-linked mkdocs-material site."""

__version__ = "0.1.0"
