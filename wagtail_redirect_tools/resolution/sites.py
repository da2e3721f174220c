"""Which site a request is for, without a query once its host has been seen."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail.models import Site

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


def site_root_paths() -> list[Any]:
    """Wagtail's ``Site.get_site_root_paths()``, kept in this process until a site or a page
    changes (the ``redirects`` and ``pages`` stamps), instead of a cache read per request."""
    shared = stamps.current()
    found = root_paths.recall("all", shared)
    if found is NOT_REMEMBERED:
        found = list(Site.get_site_root_paths())
        root_paths.remember("all", found, shared)
    return list(found)
