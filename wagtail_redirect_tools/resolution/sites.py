"""Which site a request is for, without a query once its host has been seen."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest
from wagtail.models import Site, SiteRootPath

from .. import conf
from . import stamps
from .remembered import NOT_REMEMBERED, host_sites, root_paths


def request_site_id(request: HttpRequest) -> int | None:
    """The id of the request's site (None: no site), as ``Site.find_for_request`` finds it.

    A site set on the request already (by Wagtail, or by the caller) is used as is.
    Otherwise the site Wagtail finds for the host name and port is remembered in this
    process until any site changes (the ``redirects`` stamp), and then also set on the
    request, so that Wagtail's own serving does not look it up again.
    """
    if hasattr(request, "_wagtail_site"):
        site = request._wagtail_site
        return site.pk if site is not None else None
    host = (request.get_host(), request.get_port())
    shared = stamps.current()
    found = host_sites.recall(host, shared)
    if found is NOT_REMEMBERED:
        site = Site.find_for_request(request)
        found = site.pk if site is not None else None
        host_sites.remember(host, found, shared)
    return found


def remember_request_site(request: HttpRequest, shared: stamps.Stamps) -> None:
    """Remember the site Wagtail found for the request's host (set on the request by its
    routing), as :func:`request_site_id` would have found it, read under ``shared``. Only
    for a request on which the caller set no site before the middleware ran."""
    site = getattr(request, "_wagtail_site", None)
    host = (request.get_host(), request.get_port())
    host_sites.remember(host, site.pk if site is not None else None, shared)


def site_root_paths() -> list[Any]:
    """Wagtail's ``Site.get_site_root_paths()``, kept in this process until a site or a page
    changes (the ``redirects`` and ``pages`` stamps), instead of a cache read per request."""
    shared = stamps.current()
    found = root_paths.recall("all", shared)
    if found is NOT_REMEMBERED:
        found = _read_root_paths()
        root_paths.remember("all", found, shared)
    return list(found)


logger = logging.getLogger(__name__)


def _read_root_paths() -> list[Any]:
    """Wagtail's root paths: from its cache, or from the database while the cache fails
    (a Redis that is down must cost a query, never the request)."""
    try:
        return list(Site.get_site_root_paths())
    except Exception:  # the cache backend's own errors: redis, pymemcache, OSError...
        logger.warning("Cache unavailable: the sites' root paths are read from the database")
        return _root_paths_from_database()


def _root_paths_from_database() -> list[Any]:
    """The same list as ``Site.get_site_root_paths()`` builds, without its cache: the most
    specific root first, and with languages on, one entry per translation of each root."""
    found: list[Any] = []
    sites = Site.objects.select_related("root_page", "root_page__locale").order_by(
        "-root_page__url_path", "-is_default_site", "hostname"
    )
    for site in sites:
        roots = (
            site.root_page.get_translations(inclusive=True).select_related("locale")
            if conf.i18n_enabled()
            else [site.root_page]
        )
        found.extend(
            SiteRootPath(site.id, root.url_path, site.root_url, root.locale.language_code)
            for root in roots
        )
    return found
