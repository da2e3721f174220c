"""Which 404 paths are not logged: ``NOT_FOUND_IGNORE`` (by default also the admin's
own URLs, read from the URLconf) and the editors' ignore rules."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from .. import conf

#: The admins whose URLs ``NOT_FOUND_IGNORE_ADMIN`` stands for: Wagtail's, and Django's
#: where a site routes it.
ADMIN_URL_NAMES = ("wagtailadmin_home", "admin:index")


def admin_prefixes() -> list[str]:
    """The path prefixes of the admins the URLconf routes (never "/": an admin at the
    site's root would hide every path)."""
    prefixes = []
    for name in ADMIN_URL_NAMES:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if url != "/":
            prefixes.append(url)
    return prefixes


def setting_patterns() -> list[str]:
    """``NOT_FOUND_IGNORE``, with its admin entry as the admins' URL prefixes."""
    patterns: list[str] = []
    for pattern in conf.not_found_ignore():
        if pattern == conf.NOT_FOUND_IGNORE_ADMIN:
            patterns.extend(admin_prefixes())
        else:
            patterns.append(pattern)
    return patterns


def setting_rules() -> list[tuple[str, str]]:
    """``NOT_FOUND_IGNORE`` as (match, pattern): "/..." is a prefix, anything else a suffix."""
    return [
        ("prefix" if pattern.startswith("/") else "suffix", pattern)
        for pattern in setting_patterns()
    ]


def matches(path: str, match: str, pattern: str) -> bool:
    if match == "exact":
        return path == pattern
    if match == "prefix":
        return path.startswith(pattern)
    return path.endswith(pattern)


def ignored_by(path: str, rules: Iterable[tuple[str, str]]) -> bool:
    return any(matches(path, match, pattern) for match, pattern in rules)


def as_q(rules: Iterable[tuple[str, str]]) -> Q:
    """The paths any of ``rules`` ignores, as a filter on ``path`` (empty Q: none)."""
    lookups = {"exact": "path", "prefix": "path__startswith", "suffix": "path__endswith"}
    q = Q()
    for match, pattern in rules:
        q |= Q(**{lookups[match]: pattern})
    return q
