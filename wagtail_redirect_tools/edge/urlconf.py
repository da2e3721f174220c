"""Which pattern of the URLconf takes a path, for a whole edge export: Django's own
``resolve()`` for a path some other view may take, and Wagtail's ``serve`` pattern alone
for the rest.

Django tries each pattern for every path (a tenth of the export's time, for 200,000
paths). Most views live under a literal prefix (``admin/``, ``api/v2/``, ``_util/``):
a path that starts with none of them can only be taken by Wagtail's ``serve`` pattern,
or by nothing. So the URLconf is read once: the literal prefix of each pattern, walking
into the includes with an empty pattern (``path("", include(wagtail_urls))``), and
Wagtail's ``serve`` pattern. Where a prefix cannot be read (a regex not anchored, with
an alternation, or that starts with a group; a pattern type Django added, such as
``i18n_patterns``'), the URLconf is not read and every path is asked of Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, get_urlconf
from django.urls import resolve as resolve_url
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

# What ends the literal start of a regex.
REGEX_SYNTAX = frozenset(".^$*+?{}[]\\|()")


@dataclass(frozen=True)
class ServeMatch:
    """What ``resolve()`` says of a path Wagtail's ``serve`` pattern takes: the parts
    :func:`~wagtail_redirect_tools.resolution.resolver.served_page` reads."""

    url_name: str
    args: tuple[Any, ...]


def source(pattern: Any) -> str:
    """The route or regex the pattern was written with (Django keeps it, unannotated)."""
    name = "_route" if isinstance(pattern, RoutePattern) else "_regex"
    return str(getattr(pattern, name, ""))


def literal_prefix(pattern: Any) -> str | None:
    """What every path the pattern takes starts with ("" for nothing); None when it
    cannot be read."""
    if isinstance(pattern, RoutePattern):
        return source(pattern).split("<", 1)[0]
    if isinstance(pattern, RegexPattern):
        regex = source(pattern)
        if not regex.startswith("^") or "|" in regex:
            return None
        prefix = ""
        for character in regex[1:]:
            if character in REGEX_SYNTAX:
                break
            prefix += character
        if regex[1 + len(prefix) : 2 + len(prefix)] in ("*", "?", "{"):
            prefix = prefix[:-1]  # the last character may be absent
        return prefix
    return None


def is_empty(pattern: Any) -> bool:
    if isinstance(pattern, RoutePattern):
        return source(pattern) == ""
    return isinstance(pattern, RegexPattern) and source(pattern) in ("", "^")


class UrlconfPaths:
    """The URLconf read once (see the module docstring)."""

    def __init__(self) -> None:
        self._prefixes: list[str] = []
        self._serve: URLPattern | None = None
        readable = self._read(get_resolver(get_urlconf()).url_patterns)
        self._usable = readable and self._serve is not None
        self._starts = tuple(self._prefixes)

    def _read(self, patterns: list[Any]) -> bool:
        for entry in patterns:
            if isinstance(entry, URLResolver) and is_empty(entry.pattern):
                if entry.default_kwargs or not self._read(entry.url_patterns):
                    return False
                continue
            if (
                isinstance(entry, URLPattern)
                and entry.name == "wagtail_serve"
                and self._serve is None
                and not entry.default_args
            ):
                self._serve = entry
                continue
            prefix = literal_prefix(entry.pattern)
            if not prefix:  # unreadable, or a pattern that may take any path
                return False
            self._prefixes.append(prefix)
        return True

    def resolve(self, path: str) -> Any:
        """``django.urls.resolve(path)`` as far as ``served_page`` reads it."""
        rest = path[1:] if path.startswith("/") else path
        if not self._usable or self._serve is None or rest.startswith(self._starts):
            return resolve_url(path)
        found = self._serve.pattern.match(rest)
        if found is None:
            raise Resolver404({"path": rest})
        _new_path, args, kwargs = found
        if kwargs:
            return resolve_url(path)
        return ServeMatch(url_name="wagtail_serve", args=tuple(args))
