"""Old and new URLs of pages: the sites that serve them, their routes, their paths."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import get_dummy_request
from wagtail.models import Page, Site

from .. import rules
from ..resolution.languages import language_prefix

DEFAULT_ROUTES = ("/",)


@dataclass(frozen=True)
class SiteRoot:
    site: Site
    root_path: str
    root_url: str
    #: Where this root's pages begin on a multilingual site: its language's prefix
    #: (``/cy``, or ``""`` for an unprefixed default language); ``""`` without i18n.
    prefix: str = ""

    @functools.cached_property
    def site_id(self) -> int:
        return int(self.site.pk)

    def relative(self, url_path: str) -> str | None:
        """The path of ``url_path`` on this site, or None if the site does not serve it."""
        if not url_path.startswith(self.root_path):
            return None
        return self.prefix + "/" + url_path[len(self.root_path) :]


class OldUrl(NamedTuple):
    """An old URL to redirect, and where to (a tuple: a move makes one per page)."""

    site: SiteRoot
    old_path: str
    page_id: int
    route_path: str

    @property
    def site_id(self) -> int:
        return self.site.site_id


def roots_serving(url_path_before: str, url_path_after: str) -> list[SiteRoot]:
    """Sites that served the page before and still serve it: as core, no cross-site redirects."""
    serving: dict[int, tuple[str, str, str]] = {}
    for site_id, root_path, root_url, language in Site.get_site_root_paths():
        if site_id in serving or root_path == url_path_after:
            continue
        if url_path_before.startswith(root_path) and url_path_after.startswith(root_path):
            serving[site_id] = (root_path, root_url, language_prefix(language))
    sites = Site.objects.in_bulk(serving) if serving else {}
    return [SiteRoot(sites[pk], *serving[pk]) for pk in serving if pk in sites]


def _overrides(model: type[Page], name: str) -> bool:
    return getattr(model, name, None) is not getattr(Page, name)


def overrides_url_parts(model: type[Page]) -> bool:
    """Whether pages of ``model`` have URLs of their own making, not their tree place's."""
    return _overrides(model, "get_url_parts")


def specific_pages(rows: list[Any]) -> dict[int, Page]:
    """Specific instances of the pages whose class has its own routes (a RoutablePage) or
    its own URL scheme; plain pages need nothing but their row."""
    by_type: dict[int, list[int]] = {}
    for pk, _url_path, content_type_id in rows:
        by_type.setdefault(content_type_id, []).append(pk)
    pages: dict[int, Page] = {}
    for content_type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Page):
            continue
        if _overrides(model, "get_route_paths") or _overrides(model, "get_url_parts"):
            manager: Any = model._default_manager
            pages.update(manager.filter(pk__in=pks).defer_streamfields().in_bulk())
    return pages


def page_path(root: SiteRoot, url_path: str, page: Page | None) -> str | None:
    """The page's path on the site of ``root`` if its URL were at ``url_path``."""
    if page is None or not _overrides(type(page), "get_url_parts"):
        return root.relative(url_path)
    page.url_path = url_path
    parts = page.get_url_parts(get_dummy_request(site=root.site))
    if parts is None or parts[0] != root.site_id:
        return None
    return str(parts[2])


def urls_of(
    rows: list[Any],
    roots: list[SiteRoot],
    specific: dict[int, Page],
    url_path_for: Callable[[str], str],
) -> Iterator[tuple[SiteRoot, int, str, str]]:
    """(site, page id, route, normalised path) of each page row on each site, for each of
    its routes, with the page's ``url_path`` replaced by ``url_path_for(url_path)``."""
    for pk, url_path, _content_type_id in rows:
        page = specific.get(pk)
        for root, route_path, path in _page_urls(roots, url_path_for(url_path), page):
            yield root, pk, route_path, path


def moved_urls(
    rows: Iterable[Any],
    roots: list[SiteRoot],
    specific: dict[int, Page],
    before: Callable[[str], str],
) -> Iterator[tuple[SiteRoot, int, str, str, str]]:
    """(site, page id, route, old path, new path) of each page row, for each site that
    serves it both at its ``url_path`` now and at ``before(url_path)``, for each route.

    One pass for both URLs; a page of a type without routes or a URL scheme of its own
    (most of any section) takes its paths straight from the ``url_path`` prefixes."""
    default_route = _route_path(DEFAULT_ROUTES[0])  # stored as "", meaning "/"
    for pk, url_path, _content_type_id in rows:
        page = specific.get(pk)
        old_url_path = before(url_path)
        if page is None:
            for root in roots:
                old, new = root.relative(old_url_path), root.relative(url_path)
                if old is not None and new is not None:
                    yield (
                        root,
                        pk,
                        default_route,
                        _path(old, default_route),
                        _path(new, default_route),
                    )
            continue
        new_paths = {
            (r.site_id, route): path for r, route, path in _page_urls(roots, url_path, page)
        }
        for root, route, old_path in _page_urls(roots, old_url_path, page):
            new_path = new_paths.get((root.site_id, route))
            if new_path is not None:
                yield root, pk, route, old_path, new_path


def _page_urls(
    roots: list[SiteRoot], url_path: str, page: Page | None
) -> Iterator[tuple[SiteRoot, str, str]]:
    """(site, route, normalised path) of a page whose URL is at ``url_path``."""
    routes = page.get_route_paths() if page is not None else DEFAULT_ROUTES
    for root in roots:
        relative = page_path(root, url_path, page)
        if relative is None:
            continue
        for route in routes:
            route_path = _route_path(route)
            yield root, route_path, _path(relative, route_path)


def _path(relative: str, route_path: str) -> str:
    """The stored form of a route's URL on a page whose path is ``relative``."""
    return rules.normalise_path(relative.rstrip("/") + (route_path or "/"))


@functools.lru_cache(maxsize=1024)
def _route_path(route: str) -> str:
    """Core's stored form of a route (most pages have one, "/"), worked out once."""
    return str(Redirect.normalise_page_route_path(route))
