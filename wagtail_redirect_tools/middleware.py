"""``RedirectMiddleware``: a drop-in replacement for Wagtail core's redirect middleware.

Put it where core's was in ``MIDDLEWARE`` (after ``CommonMiddleware``). Before the
view runs, an active scheduled window for the request's path answers at once (it
shadows a live page); after the view, a 404 is answered with the matching core
redirect exactly as core does. The lookups live in
:mod:`wagtail_redirect_tools.resolution`; windows on a *page* are answered by the
``before_serve_page`` hook, wherever that page is served.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import (
    HttpRequest,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)

try:
    from django.middleware import MiddlewareMixin  # type: ignore[attr-defined]
except ImportError:  # Django < 6.2
    from django.utils.deprecation import MiddlewareMixin

from . import conf
from .resolution import RedirectMatch, find_core_redirect, find_path_window, window_response


class RedirectMiddleware(MiddlewareMixin):
    """Answer 404 responses with a matching redirect.

    Subclasses can change the response classes or override :meth:`find_redirect`
    and :meth:`redirect_response`.
    """

    response_redirect_class = HttpResponseRedirect
    response_permanent_redirect_class = HttpResponsePermanentRedirect

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not apps.is_installed("wagtail.contrib.redirects"):
            raise ImproperlyConfigured(
                "wagtail_redirect_tools.middleware.RedirectMiddleware needs "
                "'wagtail.contrib.redirects' in INSTALLED_APPS."
            )
        super().__init__(get_response)

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        window, unmatched_query = find_path_window(request)
        if window is None:
            return None
        return window_response(request, window, query=unmatched_query)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.status_code != 404:
            return response
        match = self.find_redirect(request)
        if match is None:
            return response
        return self.redirect_response(match) or response

    def find_redirect(self, request: HttpRequest) -> RedirectMatch | None:
        return find_core_redirect(request)

    def redirect_response(self, match: RedirectMatch) -> HttpResponseBase | None:
        """The response for a match, or None to keep the 404 (a target with no URL)."""
        location = match.location(keep_query_string=conf.keep_query_string())
        if location is None:
            return None
        if match.is_permanent:
            return self.response_permanent_redirect_class(location)
        return self.response_redirect_class(location)
