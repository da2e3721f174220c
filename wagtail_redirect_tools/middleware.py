"""``RedirectMiddleware``: a drop-in replacement for Wagtail core's redirect middleware.

Put it where core's was in ``MIDDLEWARE`` (after ``CommonMiddleware``). Before the
view runs, an active scheduled window for the request's path answers at once (it
shadows a live page), and so does a path answered with a redirect before, while
nothing has changed since, and a 404 that only the page tree decided skips Wagtail's
routing (see :mod:`.resolution.early`); after the view, a 404 is
answered with the matching core redirect exactly as core does, with its exact status
code (301/302/307/308, or 410 Gone). A 404 a view raises (Wagtail's ``serve`` does) is
answered where it is raised, so Django renders no 404 page only for the redirect to
replace it (when this middleware is the last in ``MIDDLEWARE``: one listed after it may
answer a 404 itself, as Django's flatpages fallback does, and keeps the first say, as it
has with core's). The lookups live in
:mod:`wagtail_redirect_tools.resolution`; windows on a *page* are answered by the
``before_serve_page`` hook wherever that page is served (and before routing at the
page's own URL). Hit counts are gathered in memory and handed to a background job now and then.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseBase,
    HttpResponseGone,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.utils.deprecation import MiddlewareMixin
from django.utils.module_loading import import_string

from . import conf
from .not_found.recording import record as record_not_found
from .resolution import (
    RedirectMatch,
    Resolution,
    after_not_found,
    before_view,
    early,
    find_core_redirect,
    of_window,
    response_for,
    take_due,
)
from .resolution.sites import SiteLookup, learn_site, preset_site
from .resolution.tasks import enqueue_hit_flush
from .rules import is_admin_path


class RedirectMiddleware(MiddlewareMixin):
    """Answer requests shadowed by a scheduled window, and 404s that have a redirect.

    Subclasses can change the response classes, or override :meth:`find_redirect`
    (the core redirect for a 404) and :meth:`response_for` (the response for an
    answer). ``response_redirect_class`` answers 302 and 307,
    ``response_permanent_redirect_class`` 301 and 308 (both with Django's
    ``preserve_request=True`` for 307 and 308).
    """

    response_redirect_class = HttpResponseRedirect
    response_permanent_redirect_class = HttpResponsePermanentRedirect
    response_gone_class = HttpResponseGone

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not apps.is_installed("wagtail.contrib.redirects"):
            raise ImproperlyConfigured(
                "wagtail_redirect_tools.middleware.RedirectMiddleware needs "
                "'wagtail.contrib.redirects' in INSTALLED_APPS."
            )
        super().__init__(get_response)
        self.answers_raised_not_found = self._is_last_listed()

    def _is_last_listed(self) -> bool:
        """The last entry of ``MIDDLEWARE`` loads this class (by whatever path names it)."""
        listed = conf.middleware()
        if not listed:
            return False
        try:
            return import_string(listed[-1]) is type(self)
        except ImportError:
            return False

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        if is_admin_path(request.path_info):
            # No window can start in the admin (see ``rules``): Wagtail's admin requests
            # cost nothing here. A 404 there is still answered below, as core answers it.
            return None
        answer = before_view(request)
        if answer is not None:
            return self.response_for(request, answer)
        lookup = early.start(request)
        if lookup is not None:
            request._redirect_tools_early = lookup  # type: ignore[attr-defined]
            page_window = early.find_live_page_window(request)
            if page_window is not None and (answer := of_window(request, page_window)):
                return self.response_for(request, answer)
            remembered = early.recall(lookup)
            if remembered is not None:
                return self.response_for(request, remembered)
            early.skip_routing_if_known(request, lookup)
        # After the early lookup's key (a site the caller set is part of it, ours is not).
        request._redirect_tools_site = preset_site(request)  # type: ignore[attr-defined]
        return None

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        """A raised 404 with a redirect is answered now: the 404 page Django would render
        for it (a template with the context processors, or DEBUG's technical page) is not
        made only to be replaced. Without a redirect, Django renders it as ever, and
        :meth:`process_response` sees the 404 (not looked up again). Not when another
        middleware comes after this one: it sees the 404 first, as with core's."""
        if self.answers_raised_not_found and isinstance(exception, Http404):
            return self.redirect_for_not_found(request)
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        site_lookup: SiteLookup | None = getattr(request, "_redirect_tools_site", None)
        if site_lookup is not None:
            learn_site(request, site_lookup)
        if response.status_code == 404:
            response = self.answer_not_found(request, response)
            record_not_found(request, response)
        self.hand_over_hits()
        return response

    def answer_not_found(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """``response`` (a 404), or the redirect for it."""
        if not getattr(request, "_redirect_tools_looked_up", False):
            found = self.redirect_for_not_found(request)
            if found is not None:
                return found
        lookup: early.EarlyLookup | None = getattr(request, "_redirect_tools_early", None)
        if lookup is not None:
            early.note_not_found(request, lookup)
        return response

    def redirect_for_not_found(self, request: HttpRequest) -> HttpResponseBase | None:
        """The response of the redirect for a 404 at ``request``, or None; looked up once
        a request."""
        request._redirect_tools_looked_up = True  # type: ignore[attr-defined]
        answer = after_not_found(request, find_redirect=self.find_redirect)
        if answer is None:
            return None
        found = self.response_for(request, answer)
        lookup: early.EarlyLookup | None = getattr(request, "_redirect_tools_early", None)
        if lookup is not None:
            early.remember(lookup, answer)
        return found

    def find_redirect(self, request: HttpRequest) -> RedirectMatch | None:
        return find_core_redirect(request)

    def response_for(self, request: HttpRequest, answer: Resolution) -> HttpResponseBase:
        """The response for an answer of :mod:`.resolution`, with this class's response
        classes (counted as a hit)."""
        return response_for(
            request,
            answer,
            redirect_class=self.response_redirect_class,
            permanent_redirect_class=self.response_permanent_redirect_class,
            gone_class=self.response_gone_class,
        )

    def hand_over_hits(self) -> None:
        """Queue the hit counts gathered in this process, when a flush is due."""
        due = take_due()
        if due is not None:
            enqueue_hit_flush(due)
