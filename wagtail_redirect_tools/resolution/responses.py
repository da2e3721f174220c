"""The HTTP responses of resolution: a redirect (for an active scheduled window or a core
redirect), and the 410 Gone page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit, urlunsplit

from django.http import (
    HttpRequest,
    HttpResponseBase,
    HttpResponseGone,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.template import loader
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.cache import patch_cache_control
from wagtail.contrib.redirects.models import Redirect

from .. import conf
from .gone_page import gone_page_response
from .hits import record_hit

if TYPE_CHECKING:
    from .result import Resolution

#: The page a 410 Gone shows. A site's own template of this name (in a ``DIRS`` folder, or
#: an app listed before ours) replaces the default, as a site's 404.html replaces Django's.
GONE_TEMPLATE = "wagtail_redirect_tools/410.html"


class AnswerableWindow(Protocol):
    """What answering a window needs: a ``ScheduledRedirect`` or an indexed window."""

    @property
    def pk(self) -> int: ...

    @property
    def status_code(self) -> int: ...

    @property
    def expires_at(self) -> datetime.datetime: ...

    def link(self, request: HttpRequest | None = ..., /) -> str | None: ...


def redirect_response(
    location: str,
    status_code: int,
    *,
    redirect_class: Callable[..., HttpResponseBase] = HttpResponseRedirect,
    permanent_redirect_class: Callable[..., HttpResponseBase] = HttpResponsePermanentRedirect,
) -> HttpResponseBase:
    """A redirect to ``location`` with ``status_code``: 301 and 308 from
    ``permanent_redirect_class``, 302 and 307 from ``redirect_class``. For 307 and 308 the
    client must repeat the request with the same method (Django's ``preserve_request``)."""
    response_class = permanent_redirect_class if status_code in (301, 308) else redirect_class
    if status_code in (307, 308):
        return response_class(location, preserve_request=True)
    return response_class(location)


def with_query(link: str, query: str) -> str:
    """``link`` with ``query`` appended to its own query string."""
    if not query:
        return link
    parts = urlsplit(link)
    combined = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit(parts._replace(query=combined))


def points_at_request(request: HttpRequest, location: str) -> bool:
    """True when ``location`` is the URL just requested, or differs from it only by a
    trailing slash (core stores paths without one, so that is the same redirect source
    and, with ``APPEND_SLASH``, a loop in two steps)."""
    parts = urlsplit(location)
    if parts.netloc and parts.netloc.lower() != request.get_host().lower():
        return False
    if unquote(parts.path).rstrip("/") != request.path.rstrip("/"):
        return False  # the usual case, decided without normalising
    target = Redirect.normalise_path(urlunsplit(("", "", parts.path, parts.query, "")))
    requested = Redirect.normalise_path(request.get_full_path())
    return target in (requested, Redirect.normalise_path(request.path))


def response_for(
    request: HttpRequest,
    answer: Resolution,
    *,
    redirect_class: Callable[..., HttpResponseBase] = HttpResponseRedirect,
    permanent_redirect_class: Callable[..., HttpResponseBase] = HttpResponsePermanentRedirect,
    gone_class: Callable[..., HttpResponseBase] = HttpResponseGone,
) -> HttpResponseBase:
    """The response for a window, a redirect or a gone (counted as a hit).

    A window's answer is kept by no browser, and by a CDN no longer than the window nor
    ``TEMPORARY_MAX_AGE`` (:func:`patch_temporary_cache_control`).
    """
    if answer.kind == "gone" or answer.location is None or answer.status_code is None:
        response = gone_response(request, gone_class)
    else:
        response = redirect_response(
            answer.location,
            answer.status_code,
            redirect_class=redirect_class,
            permanent_redirect_class=permanent_redirect_class,
        )
    if answer.valid_until is not None:
        patch_temporary_cache_control(response, answer.valid_until)
    if answer.source_id is not None:
        record_hit("window" if answer.kind == "window" else "redirect", answer.source_id)
    return response


def shared_max_age(valid_until: datetime.datetime) -> int:
    """Seconds a shared cache (a CDN) may keep an answer that ends at ``valid_until``: at
    most ``TEMPORARY_MAX_AGE``, and never beyond ``valid_until``."""
    seconds_left = int((valid_until - timezone.now()).total_seconds())
    return max(0, min(seconds_left, conf.temporary_max_age()))


def patch_temporary_cache_control(
    response: HttpResponseBase, valid_until: datetime.datetime
) -> None:
    """``Cache-Control`` of an answer that ends at a moment, or earlier when an editor ends
    it (a window's): ``max-age=0, s-maxage=N, must-revalidate``.

    ``max-age=0`` makes a browser's copy stale at once, so the browser asks again on every
    visit (a 302 or 307 has no validator: the request is a full one) and End now reaches a
    visitor who has just been redirected. ``s-maxage`` (N from :func:`shared_max_age`) is
    read only by shared caches, which keep the answer that long; a site that purges its
    CDN (Wagtail's front-end cache) purges a window's URLs when it ends.
    ``must-revalidate`` forbids every cache to answer with the copy once stale (no
    stale-while-revalidate, no stale copy while the site is down). ``no-store``,
    ``no-cache`` and ``private`` would keep the browser from the copy too, but bind the
    CDN as well (RFC 9111, 5.2.2), so ``TEMPORARY_MAX_AGE`` would mean nothing.
    """
    patch_cache_control(
        response, max_age=0, s_maxage=shared_max_age(valid_until), must_revalidate=True
    )


def gone_response(
    request: HttpRequest | None,
    response_class: Callable[..., HttpResponseBase] = HttpResponseGone,
) -> HttpResponseBase:
    """The 410 Gone page: the site's own page ``GONE_PAGE`` names when there is one
    (:mod:`.gone_page`), else rendered from ``GONE_TEMPLATE``.

    The template's context is plain (the path asked for and the site's home), with no
    context processors, so it costs no query; Django's template loader caches the template.
    """
    if request is not None:
        page_response = gone_page_response(request, response_class)
        if page_response is not None:
            return page_response
    context = {
        "request_path": request.path if request is not None else "",
        "home_url": get_script_prefix(),
    }
    return response_class(loader.render_to_string(GONE_TEMPLATE, context))
