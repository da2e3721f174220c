"""The planner's warning for a row whose target nothing answers: the row is imported all
the same, and the editor is told that visitors would get "Not found" there.

A pattern redirect (existing, or a row of the file) answers the paths it matches; a
target holding placeholders (``/news/:splat``) names many paths, and is not checked."""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, get_urlconf
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
    answering = {
        row.key
        for row in rows
        if row.action in (Action.NEW, Action.UPDATE, Action.UNCHANGED) and row.old_path
    }
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

    def __call__(self, path: str) -> bool:
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


def _answered(key: Key, answering: set[Key], context: ImportContext, views: ViewPaths) -> bool:
    site_id, path = key
    path = path.split("?", 1)[0]
    if context.is_live_page_url(site_id, path):
        return True
    sites = {site_id, None, context.default_site_id}
    if any((site, path) in answering or (site, path) in context.redirects for site in sites):
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
