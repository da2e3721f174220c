"""Which 404 paths are not logged: ``NOT_FOUND_IGNORE`` and the editors' ignore rules."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from .. import conf


def setting_rules() -> list[tuple[str, str]]:
    """``NOT_FOUND_IGNORE`` as (match, pattern): "/..." is a prefix, anything else a suffix."""
    return [
        ("prefix" if pattern.startswith("/") else "suffix", pattern)
        for pattern in conf.not_found_ignore()
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
