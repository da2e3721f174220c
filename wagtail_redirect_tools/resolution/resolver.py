"""What a request for a site and path gets: the one place the resolution order lives.

The middleware answers in two steps around the view (a path's window before it; after a
404, a page window without its slash, then core's redirects), the ``before_serve_page``
hook answers a served page's window, and :func:`resolve` answers for any site, path and
moment without a request (for the API and the edge exports). All of them decide with
the functions here, so each gives the same answer for the same path.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import Resolver404
from django.urls import resolve as resolve_url
from django.utils import timezone, translation
from wagtail.models import Page, Site

from .. import conf
from .core_redirects import RedirectMatch, find_core_redirect
from .languages import path_language
from .responses import AnswerableWindow, points_at_request, with_query
from .result import NOTHING, Resolution
from .scheduled import find_page_window, find_path_window, find_unslashed_page_window


def of_window(
    request: HttpRequest, window: AnswerableWindow, *, query: str = ""
) -> Resolution | None:
    """A window's answer, or None when its target has no URL or is this very URL."""
    location = window.link(request)
    if location is None:
        return None
    if conf.keep_query_string():
        location = with_query(location, query)
    if points_at_request(request, location):
        return None
    return Resolution(
        kind="window",
        status_code=window.status_code,
        location=location,
        source_id=window.pk,
        valid_until=window.expires_at,
    )


def of_redirect(request: HttpRequest, match: RedirectMatch) -> Resolution | None:
    """A core redirect's answer, or None (the 404 stays): a target with no URL, or one
    that is the very URL requested (a loop)."""
    if match.status_code == 410:
        return Resolution(kind="gone", status_code=410, source_id=match.redirect.pk)
    location = match.location(keep_query_string=conf.keep_query_string())
    if location is None or points_at_request(request, location):
        return None
    return Resolution(
        kind="redirect",
        status_code=match.status_code,
        location=location,
        source_id=match.redirect.pk,
    )


def before_view(request: HttpRequest, now: datetime.datetime | None = None) -> Resolution | None:
    """1. An active window for the path, on this site or all sites, even over a live page."""
    window, unmatched_query = find_path_window(request, now)
    return of_window(request, window, query=unmatched_query) if window is not None else None


def for_served_page(
    request: HttpRequest, page: Page, now: datetime.datetime | None = None
) -> Resolution | None:
    """2. The active window of the page about to be served, wherever it is served."""
    window = find_page_window(page, now)
    return of_window(request, window) if window is not None else None


def after_not_found(
    request: HttpRequest,
    now: datetime.datetime | None = None,
    find_redirect: Callable[[HttpRequest], RedirectMatch | None] = find_core_redirect,
) -> Resolution | None:
    """3. For a 404: the window of the page at this path plus "/" (one hop, not a slash
    first), then core's redirect."""
    if conf.append_slash():
        window = find_unslashed_page_window(request, now)
        if window is not None and (answer := of_window(request, window)):
            return answer
    match = find_redirect(request)
    return of_redirect(request, match) if match is not None else None


def resolve(
    site: Site | None,
    path: str,
    *,
    query_string: str = "",
    now: datetime.datetime | None = None,
    route: Route = Page.route_for_request,
    find_redirect: Callable[[HttpRequest], RedirectMatch | None] = find_core_redirect,
) -> Resolution:
    """What a GET for ``path`` (with ``query_string``) on ``site`` gets at ``now`` (by
    default, the current time): the same answer the middleware gives (``site`` None: the
    default site, as for a host no site has).

    ``route`` and ``find_redirect`` replace the two lookups that read the database for
    each path (Wagtail's routing and core's redirect query) with answers read in bulk,
    for the edge exports (:mod:`..edge.bulk`); the rules stay these."""
    now = now or timezone.now()
    request = request_for(site, path, query_string)
    answer = before_view(request, now)
    if answer is not None:
        return answer
    page = served_page(request, route)
    if page is ANOTHER_VIEW:
        return NOTHING
    if isinstance(page, Page):
        return for_served_page(request, page, now) or Resolution(kind="none", page=page)
    return after_not_found(request, now, find_redirect) or NOTHING


class SiteRequest(HttpRequest):
    """A GET made up for a site's own host name: trusted, so not checked against
    ``ALLOWED_HOSTS`` (a visitor's request is, by Django, before it reaches us)."""

    def get_host(self) -> str:
        return str(self._get_raw_host())  # type: ignore[attr-defined]


def request_for(site: Site | None, path: str, query_string: str = "") -> HttpRequest:
    """A GET request for ``path`` on ``site``, as a visitor would send it."""
    site = site or Site.objects.filter(is_default_site=True).first()
    request = SiteRequest()
    request.method = "GET"
    request.path = request.path_info = path if path.startswith("/") else "/" + path
    request.META = {"QUERY_STRING": query_string, "SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    if site is not None:
        default_port = site.port in (80, 443)
        request.META["HTTP_HOST"] = (
            site.hostname if default_port else f"{site.hostname}:{site.port}"
        )
        request.META["SERVER_PORT"] = str(site.port)
    request._wagtail_site = site  # type: ignore[attr-defined]
    return request


#: What ``served_page`` finds at a path another view of the site answers (not a page).
ANOTHER_VIEW = object()


#: Wagtail's ``Page.route_for_request``, or what answers as it does (a route result, or None).
Route = Callable[[HttpRequest, str], Any]


def served_page(
    request: HttpRequest,
    route: Route = Page.route_for_request,
    urls: Callable[[str], Any] = resolve_url,
) -> Page | object | None:
    """The live page Wagtail's ``serve`` view would serve at the request's path;
    ``ANOTHER_VIEW`` when another of the site's URL patterns takes the path (its view
    answers, so the middleware would not); None when nothing would (a 404).

    As Django and Wagtail serve it: in the language ``LocaleMiddleware`` activates for the
    path (:mod:`.languages`), so that ``i18n_patterns`` match its prefix and Wagtail routes
    the rest of the path from that language's root page."""
    language = path_language(request.path_info)
    if language is None:  # no language to activate (a site without languages): as it is
        result = _route(request, route, urls)
    else:
        with translation.override(language):
            result = _route(request, route, urls)
    if result is ANOTHER_VIEW:
        return ANOTHER_VIEW
    if result is None:
        return None
    page = result.page if hasattr(result, "page") else result[0]
    return page if page.live else None


def _route(request: HttpRequest, route: Route, urls: Callable[[str], Any]) -> Any:
    """What Wagtail's routing gives for the request's path in the active language: its
    route result, None for none (a 404), ``ANOTHER_VIEW`` when another view takes it."""
    try:
        match = urls(request.path_info)
    except Resolver404:
        return None
    if match.url_name != "wagtail_serve":
        return ANOTHER_VIEW
    if getattr(request, "_wagtail_site", None) is None:
        return None
    path = match.args[0] if match.args else request.path_info
    return route(request, path)
