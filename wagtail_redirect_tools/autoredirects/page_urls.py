"""Old and new URLs of pages: the sites that serve them, their routes, their paths."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import get_dummy_request
from wagtail.models import Page, Site

from .. import rules

DEFAULT_ROUTES = ("/",)


@dataclass(frozen=True)
class SiteRoot:
    site: Site
    root_path: str
    root_url: str

    @functools.cached_property
    def site_id(self) -> int:
        return int(self.site.pk)

    def relative(self, url_path: str) -> str | None:
        """The path of ``url_path`` on this site, or None if the site does not serve it."""
        if not url_path.startswith(self.root_path):
            return None
        return "/" + url_path[len(self.root_path) :]


@dataclass(frozen=True)
class OldUrl:
    site: SiteRoot
    old_path: str
    page_id: int
    route_path: str

    @property
    def site_id(self) -> int:
        return self.site.site_id


def roots_serving(url_path_before: str, url_path_after: str) -> list[SiteRoot]:
    """Sites that served the page before and still serve it: as core, no cross-site redirects."""
    serving: dict[int, tuple[str, str]] = {}
    for site_id, root_path, root_url, _language in Site.get_site_root_paths():
        if site_id in serving or root_path == url_path_after:
            continue
        if url_path_before.startswith(root_path) and url_path_after.startswith(root_path):
            serving[site_id] = (root_path, root_url)
    sites = Site.objects.in_bulk(serving) if serving else {}
    return [SiteRoot(sites[pk], *serving[pk]) for pk in serving if pk in sites]


def _overrides(model: type[Page], name: str) -> bool:
    return getattr(model, name, None) is not getattr(Page, name)


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
        routes = page.get_route_paths() if page is not None else DEFAULT_ROUTES
        at = url_path_for(url_path)
        for root in roots:
            relative = page_path(root, at, page)
            if relative is None:
                continue
            for route in routes:
                route_path = _route_path(route)
                yield (
                    root,
                    pk,
                    route_path,
                    rules.normalise_path(relative.rstrip("/") + (route_path or "/")),
                )


@functools.lru_cache(maxsize=1024)
def _route_path(route: str) -> str:
    """Core's stored form of a route (most pages have one, "/"), worked out once."""
    return str(Redirect.normalise_page_route_path(route))
