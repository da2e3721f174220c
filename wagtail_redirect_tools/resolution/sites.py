"""Which site a request is for, without a query once its host has been seen."""

from __future__ import annotations

from django.http import HttpRequest
from wagtail.models import Site

from . import stamps
from .remembered import NOT_REMEMBERED, host_sites


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
