"""The pattern redirects of an edge map (``/old-section/*``, ``/news/:year/:slug``), each
with the paths under it the edge must leave to Django.

A pattern answers only what Django would answer with it: never a path an exact redirect
or window answers (those are the map's :class:`~.entries.Entry` items, written first),
never a live page's path (a pattern answers 404s only). The edge cannot ask the origin
whether a path is a 404, so each :class:`PatternEntry` lists its ``exceptions``: the
request paths under it that are exact sources (written by the format or not: one a
format leaves out must not fall to the pattern) and the URLs of live pages, and its
``subtrees``: live pages whose class routes sub-paths of their own (``route()``
overridden, e.g. ``RoutablePageMixin``), every path under which is the page's. A format
that can say "not these" writes them ahead of the pattern; one that cannot leaves the
pattern out when it has any (see each format). Paths another view of the URLconf answers
are not known here: a pattern whose literal prefix another top-level URL pattern of the
URLconf starts with (the admin, an API) is left out.

Most specific first, as Django chooses among patterns: segment by segment, a literal
before a named segment before the rest of the path (``*``); then a site's own before one
for all sites.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import DisallowedRedirect
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from .. import patterns
from ..models import RedirectDetails, page_link
from ..resolution.core_redirects import without_request
from ..resolution.languages import language_prefixes
from ..resolution.responses import redirect_response
from .entries import EdgeMap, Omission

__all__ = ["PatternEntry", "add_patterns", "filled_problem", "specificity", "substitute"]


@dataclass(frozen=True, kw_only=True)
class PatternEntry:
    """One pattern redirect as ``site`` answers it: ``target`` is the Location template
    (a URI whose path may hold the source's ``:name`` placeholders) or a page's URL;
    None for 410. Under the pattern, as decoded request paths, the edge must leave to
    Django: ``exact_paths`` (exact sources and windows: a format writes those it can
    before the pattern), ``live_paths`` (live pages) and everything under ``subtrees``
    (live pages that route sub-paths of their own)."""

    site: Site
    pattern: patterns.Pattern
    status_code: int
    target: str | None
    source_id: int
    all_sites: bool = False
    exact_paths: tuple[str, ...] = ()
    live_paths: tuple[str, ...] = ()
    subtrees: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = field(default=())

    @property
    def path(self) -> str:
        """The pattern's source, as an omission names it."""
        return self.pattern.source

    def unwritten(self, written: set[str]) -> list[str]:
        """The exact paths under the pattern a format did not write (``written``: the
        decoded paths it answers whatever the query string), and the live pages' paths:
        what it must leave to Django."""
        return sorted({*self.exact_paths, *self.live_paths} - written)


def specificity(pattern: patterns.Pattern) -> tuple[int, ...]:
    """Sorts the most specific pattern first: per segment a literal (0) before a named
    segment (1), and the rest of the path (``*``, 2) after both; a pattern that ends
    sorts before a longer one that shares its start."""
    ranks = tuple(1 if segment.startswith(":") else 0 for segment in pattern.segments)
    return ranks + ((2,) if pattern.splat else ())


def add_patterns(edge_map: EdgeMap) -> None:
    """Adds the pattern redirects of ``edge_map.sites`` to ``edge_map.patterns`` (most
    specific first), after its exact entries were listed."""
    for site in edge_map.sites:
        redirects = _pattern_redirects(site)
        if not redirects:
            continue
        under = _Paths(edge_map, site)
        found: list[PatternEntry] = []
        for redirect in redirects:
            entry = _entry(edge_map, site, redirect, under)
            if entry is not None:
                found.append(entry)
        # As resolution chooses among equally specific patterns: the site's own, the newest.
        found.sort(key=lambda each: (specificity(each.pattern), each.all_sites, -each.source_id))
        edge_map.patterns.extend(found)


class _Paths:
    """The exact paths and live pages of one site, by first segment, so each pattern
    reads only those that can be under it; and the starts of the URLconf's other views."""

    def __init__(self, edge_map: EdgeMap, site: Site) -> None:
        exact = {entry.bare_path for entry in edge_map.entries if entry.site == site}
        exact |= {
            omission.path.split("?", 1)[0]
            for omission in edge_map.omitted
            if omission.site == site and not patterns.is_pattern_source(omission.path)
        }
        self.exact = _by_first_segment({unquote(path) for path in exact})
        self.view_starts = _other_view_starts()
        self.live: dict[str, list[tuple[str, bool]]] = {}
        for path, routes in _live_page_paths(site):
            self.live.setdefault(_first_segment(path), []).append((path, routes))

    def exact_under(self, pattern: patterns.Pattern) -> set[str]:
        return {path for path in _candidates(self.exact, pattern) if _under(pattern, path)}

    def live_under(self, pattern: patterns.Pattern) -> tuple[set[str], set[str]]:
        """The live pages under ``pattern``, and those of them that route sub-paths."""
        live_paths: set[str] = set()
        subtrees: set[str] = set()
        for path, routes in _candidates(self.live, pattern):
            if _under(pattern, path) or (routes and _under(pattern, path.rstrip("/") + "/x")):
                live_paths.add(path)
                if routes:
                    subtrees.add(path.rstrip("/"))
        return live_paths, subtrees


def _first_segment(path: str) -> str:
    return path[1:].split("/", 1)[0]


def _by_first_segment(paths: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in paths:
        found.setdefault(_first_segment(path), []).append(path)
    return found


def _candidates(index: dict[str, list[Any]], pattern: patterns.Pattern) -> list[Any]:
    """What ``index`` holds that may be under ``pattern``: all of it when the pattern
    starts with a placeholder."""
    first = pattern.segments[0] if pattern.segments else ":"
    if first.startswith(":"):
        return [each for paths in index.values() for each in paths]
    return index.get(unquote(first), []) + (index.get(first, []) if unquote(first) != first else [])


def _pattern_redirects(site: Site) -> list[Redirect]:
    applies = Q(site=site) | Q(site__isnull=True)
    return list(
        Redirect.objects.filter(applies, details__is_pattern=True)
        .select_related("details", "redirect_page")
        .order_by("old_path", "pk")
    )


def _entry(edge_map: EdgeMap, site: Site, redirect: Redirect, under: _Paths) -> PatternEntry | None:
    def omit(reason: str) -> None:
        edge_map.omitted.append(Omission(site=site, path=redirect.old_path, reason=reason))

    try:
        pattern = patterns.parse(redirect.old_path)
    except patterns.PatternError as error:
        omit(str(error))
        return None
    clash = _other_view_under(pattern, under.view_starts)
    if clash is not None:
        omit(
            gettext("another view of the site answers paths under it (%(route)s)")
            % {"route": clash}
        )
        return None
    status_code = RedirectDetails.effective_status_code(redirect)
    target: str | None = None
    if status_code != 410:
        target = _target(redirect)
        if target is None:
            omit(gettext("its target has no URL, or Django refuses to redirect there"))
            return None
    exact_paths = under.exact_under(pattern)
    live_paths, subtrees = under.live_under(pattern)
    return PatternEntry(
        site=site,
        pattern=pattern,
        status_code=status_code,
        target=target,
        source_id=redirect.pk,
        all_sites=redirect.site_id is None,
        exact_paths=tuple(sorted(exact_paths)),
        live_paths=tuple(sorted(live_paths)),
        subtrees=tuple(sorted(subtrees)),
        # A page's URL is sent as it is: a ":" in it is no placeholder.
        placeholders=tuple(patterns.placeholders_in(target or ""))
        if redirect.redirect_page is None
        else (),
    )


def _target(redirect: Redirect) -> str | None:
    """The Location template: a page's URL, or the link as Django sends it (IRI to URI;
    ``:name`` placeholders stay as they are)."""
    if redirect.redirect_page is not None:
        link = page_link(
            redirect.redirect_page, redirect.redirect_page_route_path, without_request()
        )
        if not link:
            return None
        try:
            return str(redirect_response(link, 301)["Location"])
        except DisallowedRedirect:
            return None
    link = redirect.redirect_link or ""
    if not link:
        return None
    try:
        # Django's check of the scheme and length, on the template with placeholders.
        redirect_response(patterns.fill(link, {}), 301)
    except DisallowedRedirect:
        return None
    return iri_to_uri(link)


def _under(pattern: patterns.Pattern, path: str) -> bool:
    return pattern.match(path) is not None or pattern.match(unquote(path)) is not None


def _live_page_paths(site: Site) -> list[tuple[str, bool]]:
    """Each live page's path on ``site`` (with each language's prefix too), and whether
    its class routes sub-paths of its own."""
    root = site.root_page
    pages = Page.objects.live().descendant_of(root, inclusive=True)
    prefixes = ["", *language_prefixes()]
    found = []
    for url_path, content_type_id in pages.values_list("url_path", "content_type_id"):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        routes = model is not None and getattr(model, "route", Page.route) is not Page.route
        relative = "/" + url_path[len(root.url_path) :]
        found += [(prefix + relative, routes) for prefix in prefixes]
    return found


# The start of a URL pattern up to its first converter or regular-expression syntax.
_LITERAL_START = re.compile(r"[^<(\[\\.*+?{|$]*")


def _other_view_starts() -> list[str]:
    """The literal start of each top-level URL pattern other than Wagtail's page serving
    (``/admin/``, ``/api/v2/``), as a path."""
    return [
        "/" + _LITERAL_START.match(str(entry.pattern).lstrip("^")).group()  # type: ignore[union-attr]
        for entry in get_resolver().url_patterns
        if not _serves_pages(entry)
    ]


def _other_view_under(pattern: patterns.Pattern, starts: list[str]) -> str | None:
    """The start (of ``starts``) of a URL pattern under ``pattern``'s literal prefix, or
    holding it, or None."""
    prefix = pattern.literal_prefix.rstrip("/") + "/"
    for start in starts:
        if start.startswith(prefix) or prefix.startswith(start):
            return start
    return None


def _serves_pages(entry: URLPattern | URLResolver) -> bool:
    if isinstance(entry, URLPattern):
        return entry.name == "wagtail_serve"
    return any(_serves_pages(inner) for inner in entry.url_patterns)


def substitute(template: str, values: dict[str, str]) -> str:
    """``template`` with each placeholder named in ``values`` replaced by its value (a
    format's own notation: ``$1``, ``:splat*``)."""
    if not values:
        return template
    names = "|".join(re.escape(name) for name in sorted(values, key=len, reverse=True))
    return re.sub(rf":({names})(?![A-Za-z0-9_])", lambda m: values[m.group(1)], template)


def filled_problem(entry: PatternEntry) -> str | None:
    """Why a format that puts the matched values in the target as they are would send
    another Location than Django, or None. Django folds repeated slashes of the filled
    path (an empty rest of the path leaves none behind), which no format does: the
    target's path must hold no ``//`` and ``:splat`` only at its end."""
    path = urlsplit(entry.target or "").path
    if "//" in path:
        return gettext("Django folds the repeated slashes of the target's path")
    if patterns.SPLAT in entry.placeholders and not path.endswith(":" + patterns.SPLAT):
        return gettext("the rest of the path (:splat) is not at the end of the target's path")
    return None


Written = TypeVar("Written")


def rendered_patterns(
    edge_map: EdgeMap, render: Callable[[PatternEntry], tuple[Written, str | None]]
) -> tuple[list[Written], list[Omission]]:
    """Each pattern of ``edge_map`` as a format's ``render`` writes it (in the map's order,
    most specific first), and those it cannot write, left out with the reason it gives."""
    written: list[Written] = []
    omitted: list[Omission] = []
    for entry in edge_map.patterns:
        made, problem = render(entry)
        if problem is not None:
            omitted.append(Omission(site=entry.site, path=entry.path, reason=problem))
        else:
            written.append(made)
    return written, omitted
