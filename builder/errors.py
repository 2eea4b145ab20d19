"""Conditions under which the build refuses to go on at all (not a problem with one article)."""


class Refused(RuntimeError):
    """Reading or writing would go through a symbolic link, or outside the project: nothing is done."""
