"""The planner's warning for a row whose target nothing answers: the row is imported all
the same, and the editor is told that visitors would get "Not found" there.

A pattern redirect (existing, or a row of the file) answers the paths it matches; a
target holding placeholders (``/news/:splat``) names many paths, and is not checked."""

from __future__ import annotations

import re
from typing import Any

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, get_urlconf
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.translation import gettext as _

from ..patterns import Pattern, PatternError, parse, placeholders_in
from .context import ImportContext, Key
from .links import LinkKeys
from .plan import Action, PlannedRow

#: The name of Wagtail's page-serving URL pattern (which answers every other path).
WAGTAIL_SERVE = "wagtail_serve"
#: How many targets' answers from the URL patterns a plan remembers at once: a file sends
#: many rows to the same few targets, and a million distinct ones are not all kept.
REMEMBERED_VIEW_PATHS = 10_000


def warn_unanswered_targets(
    rows: list[PlannedRow], context: ImportContext, links: LinkKeys
) -> None:
    """Warn on each row to be written whose target is a path of our sites that nothing
    answers: no live page, no redirect or scheduled redirect (existing, or a row of the
    file) and no view of the site. From what the context holds: no query."""
    # The sources of the rows written or kept, a set of paths per site: not a key made
    # per row (a million rows' keys were 56 MB of the preview's peak).
    answering: dict[int | None, set[str]] = {}
    for row in rows:
        if row.action in (Action.NEW, Action.UPDATE, Action.UNCHANGED) and row.old_path:
            answering.setdefault(row.site_id, set()).add(row.old_path)
    patterns = _Patterns(rows, context)
    views = ViewPaths()
    warning = ""  # translated once, not once a row
    for row in rows:
        if row.action not in (Action.NEW, Action.UPDATE) or not row.link:
            continue
        if row.is_pattern and placeholders_in(row.link):
            continue
        key = links(row.site_id, row.link)
        if (
            key is None
            or _answered(key, answering, context, views)
            or patterns.answer(key, context)
        ):
            continue
        warning = warning or _(
            "No page, redirect or scheduled redirect answers %(path)s: visitors "
            "would get “Not found” (404) there. The row is imported all the same."
        )
        row.warn_unanswered(warning)


class ViewPaths:
    """:func:`answered_by_a_view` for one plan: the URL resolver looked up once, not once
    a row, and the answer for a target remembered for the rows that share it."""

    def __init__(self) -> None:
        self.resolver = get_resolver(get_urlconf())
        self.known: dict[str, bool] = {}
        self.plain = _plain(self.resolver)
        self.segments = FirstSegments(self.resolver) if self.plain else None

    def __call__(self, path: str) -> bool:
        if self.segments is not None and self.segments.only_pages(path):
            return False
        answered = self.known.get(path)
        if answered is None:
            if len(self.known) >= REMEMBERED_VIEW_PATHS:
                self.known.clear()
            if self.plain:
                answered = _answered_by_walking(path, self.resolver)
            else:
                answered = answered_by_a_view(path, self.resolver)
            self.known[path] = answered
        return answered


def _answered_by_walking(path: str, resolver: URLResolver) -> bool:
    """:func:`answered_by_a_view` for URL patterns of Django's own kinds (see
    :func:`_plain`), found by trying the patterns in the order ``resolve()`` tries them,
    without the match object and the list of patterns tried that ``resolve()`` builds on
    the way: for a million targets, that was most of what the preview cost."""
    for candidate in dict.fromkeys((path, path.rstrip("/") + "/")):
        name = _first_name(resolver, candidate)
        if name is not _NOT_FOUND and name != WAGTAIL_SERVE:
            return True
    return False


_NOT_FOUND: Any = object()


def _first_name(resolver: URLResolver, path: str) -> Any:
    """The name of the first URL pattern under ``resolver`` that matches ``path``, as
    ``resolver.resolve(path).url_name`` gives it; ``_NOT_FOUND`` where that raises
    :class:`Resolver404`."""
    match = resolver.pattern.match(path)
    return _NOT_FOUND if not match else _first_name_below(resolver, match[0])


def _first_name_below(resolver: URLResolver, rest: str) -> Any:
    """:func:`_first_name` for the rest of the path, past ``resolver``'s own pattern."""
    for pattern in resolver.url_patterns:
        match = pattern.pattern.match(rest)
        if not match:
            continue
        if not isinstance(pattern, URLResolver):
            return pattern.name
        name = _first_name_below(pattern, match[0])
        if name is not _NOT_FOUND:
            return name
    return _NOT_FOUND


class FirstSegments:
    """Which first segments of a path (``news`` in ``/news/2026/``) no view but Wagtail's
    page serving can answer, whatever follows: there :func:`_answered_by_walking` is
    False without walking the URL patterns, which a million targets of one section would
    otherwise walk one by one. A pattern whose match starts with literal text (``admin/``,
    ``api/v2/``, ``^_util/``) is left out for a segment that text cannot start; every
    other pattern (converters or a regex first, a language prefix) counts as matching, and
    any view it may reach makes the segment's paths walked as before."""

    def __init__(self, resolver: URLResolver) -> None:
        # Django's root resolver matches ``^/``: what its patterns see is the path past it.
        root = resolver.pattern
        self.patterns = (
            resolver.url_patterns if type(root) is RegexPattern and str(root) == "^/" else None
        )
        self.known: dict[str, bool] = {}

    def only_pages(self, path: str) -> bool:
        """Whether no view but page serving answers ``path``, with or without its trailing
        slash (both have the same first segment)."""
        if self.patterns is None or not path.startswith("/"):
            return False
        segment = path[1:].partition("/")[0]
        answer = self.known.get(segment)
        if answer is None:
            if len(self.known) >= REMEMBERED_VIEW_PATHS:
                self.known.clear()
            names = _names_for(self.patterns, segment, prune=True)
            answer = all(name == WAGTAIL_SERVE for name in names)
            self.known[segment] = answer
        return answer


def _names_for(patterns: list[Any], segment: str, *, prune: bool) -> set[str | None]:
    """The names of the views under ``patterns`` that a path whose first segment is
    ``segment`` may reach (with ``prune``: ``patterns`` see the path from its first
    segment on; else every view under them)."""
    names: set[str | None] = set()
    for pattern in patterns:
        prefix = literal_prefix(pattern.pattern)
        if prune and prefix is not None and not _may_start(prefix, segment):
            continue
        if isinstance(pattern, URLResolver):
            names |= _names_for(
                pattern.url_patterns, segment, prune=prune and _consumes_nothing(pattern.pattern)
            )
        else:
            names.add(pattern.name)
    return names


#: Characters that stand for themselves in a regular expression.
_LITERAL = re.compile(r"[A-Za-z0-9_/-]*")


def literal_prefix(pattern: Any) -> str | None:
    """Text that every path a URL pattern matches starts with ("" for none), or None when
    that is not known (a pattern of another kind, a lazily translated route, a regex not
    anchored at its start or with an alternative)."""
    if type(pattern) is RoutePattern:
        route = getattr(pattern, "_route", None)
        return route.partition("<")[0] if isinstance(route, str) else None
    if type(pattern) is RegexPattern:
        regex = getattr(pattern, "_regex", None)
        if not isinstance(regex, str) or not regex.startswith("^") or "|" in regex:
            return None
        literal = _LITERAL.match(regex, 1)
        text = literal[0] if literal else ""
        following = regex[1 + len(text) : 2 + len(text)]
        return text[:-1] if following and following in "?*+{" else text
    return None


def _consumes_nothing(pattern: Any) -> bool:
    """The pattern matches the start of every path and leaves all of it to those below."""
    if type(pattern) is RoutePattern:
        return getattr(pattern, "_route", None) == "" and not pattern.converters
    return type(pattern) is RegexPattern and getattr(pattern, "_regex", None) in ("", "^")


def _may_start(prefix: str, segment: str) -> bool:
    """Whether a path whose first segment is ``segment`` may start with ``prefix``."""
    head, slash, _rest = prefix.partition("/")
    return segment == head if slash else segment.startswith(prefix)


def _plain(resolver: URLResolver | URLPattern) -> bool:
    """Every pattern under ``resolver`` is Django's own :class:`URLResolver` or
    :class:`URLPattern`, whose ``resolve()`` :func:`_first_name` follows; a subclass may
    resolve otherwise, and is asked itself."""
    if type(resolver) is not URLResolver:
        return False
    for pattern in resolver.url_patterns:
        if type(pattern) is URLPattern:
            continue
        if not _plain(pattern):
            return False
    return True


def _answered(
    key: Key, answering: dict[int | None, set[str]], context: ImportContext, views: ViewPaths
) -> bool:
    site_id, path = key
    path = path.split("?", 1)[0]
    if context.is_live_page_url(site_id, path):
        return True
    sites = {site_id, None, context.default_site_id}
    if any(path in answering.get(site, ()) or (site, path) in context.redirects for site in sites):
        return True
    if any((site, path, None) in context.windows for site in sites):
        return True
    return views(path)


class _Patterns:
    """The pattern redirects that answer paths: the file's rows to be written or kept,
    and the existing ones (parsed once each; most imports have none)."""

    def __init__(self, rows: list[PlannedRow], context: ImportContext) -> None:
        self.by_site: dict[int | None, list[Pattern]] = {}
        keys = [
            row.key
            for row in rows
            if row.is_pattern and row.action in (Action.NEW, Action.UPDATE, Action.UNCHANGED)
        ]
        keys += [key for key, existing in context.redirects.items() if existing.is_pattern]
        for site_id, source in keys:
            try:
                self.by_site.setdefault(site_id, []).append(parse(source))
            except PatternError:
                continue  # stored before the notation was checked: it answers nothing

    def answer(self, key: Key, context: ImportContext) -> bool:
        if not self.by_site:
            return False
        site_id, path = key
        path = path.split("?", 1)[0]
        sites = {site_id, None, context.default_site_id}
        return any(
            pattern.match(path) is not None
            for site in sites
            for pattern in self.by_site.get(site, ())
        )


def answered_by_a_view(path: str, resolver: URLResolver | None = None) -> bool:
    """Whether a view of the site other than Wagtail's page serving answers ``path`` (with
    or without its trailing slash), e.g. the admin or a search page. ``resolver``: the
    URL patterns' (as ``resolve()`` finds them, when not given). A path that ends with
    its slash is resolved once: resolving is most of what planning a new row costs."""
    resolver = resolver or get_resolver(get_urlconf())
    for candidate in dict.fromkeys((path, path.rstrip("/") + "/")):
        try:
            match = resolver.resolve(candidate)
        except Resolver404:
            continue
        if match.url_name != WAGTAIL_SERVE:
            return True
    return False
