"""Answers given before Wagtail routes a request, from memory: no query.

A GET or HEAD for a path that was answered with a redirect (or a 410) after a 404 gets
the same answer again before the view runs, while nothing that could change it has
changed: redirects and sites (the ``redirects`` stamp) and pages (the ``pages`` stamp:
a page saved, published, unpublished, moved or deleted may now live at the path). An
active window on a live page is answered before routing too, once this process knows
which site the request's host means. Other methods, and requests whose site was set
before the middleware ran differently from the host's, go through routing as before.

``ANSWER_BEFORE_ROUTING = False`` switches this off, for sites with views that start
answering a path while no page or redirect changes.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from wagtail.models import Site

from .. import conf
from . import stamps
from .remembered import NOT_REMEMBERED, early_answers, host_sites
from .window_index import IndexedWindow, current_index

EARLY_METHODS = frozenset({"GET", "HEAD"})
#: Statuses remembered as early answers: the redirects and gone of ``redirect_response``.
EARLY_STATUSES = frozenset({301, 302, 307, 308, 410})


@dataclass(frozen=True, slots=True)
class EarlyAnswer:
    """A response given after a 404, to give again: the redirect it came from, its
    status and its ``Location`` (empty for 410)."""

    redirect_id: int
    status_code: int
    location: str


@dataclass(frozen=True, slots=True)
class EarlyLookup:
    """What the middleware notes on a request before routing, to remember its answer."""

    key: Hashable
    host: Hashable
    shared: stamps.Stamps
    site_preset: bool


def start(request: HttpRequest) -> EarlyLookup | None:
    """The lookup key of a request that may be answered early, or None."""
    if request.method not in EARLY_METHODS or not conf.answer_before_routing():
        return None
    preset = getattr(request, "_wagtail_site", None)
    host = (request.get_host(), request.get_port())
    key = (*host, request.get_full_path(), getattr(preset, "pk", None))
    return EarlyLookup(key, host, stamps.current(), hasattr(request, "_wagtail_site"))


def recall(lookup: EarlyLookup) -> EarlyAnswer | None:
    answer = early_answers.recall(lookup.key, lookup.shared)
    return None if answer is NOT_REMEMBERED else answer


def remember(lookup: EarlyLookup, redirect_id: int, response: HttpResponseBase) -> None:
    """Remember the response given to a 404 (only a redirect or a gone)."""
    if response.status_code not in EARLY_STATUSES:
        return
    location = response.get("Location", "") if response.status_code != 410 else ""
    answer = EarlyAnswer(redirect_id, response.status_code, location)
    early_answers.remember(lookup.key, answer, lookup.shared)


def learn_site(lookup: EarlyLookup, request: HttpRequest) -> None:
    """Remember which site the request's host meant, as Wagtail found it while serving."""
    if lookup.site_preset:
        return
    site = getattr(request, "_wagtail_site", None)
    if site is None or host_sites.recall(lookup.host, lookup.shared) is not NOT_REMEMBERED:
        return
    host_sites.remember(lookup.host, site.pk, lookup.shared)


def find_live_page_window(request: HttpRequest, lookup: EarlyLookup) -> IndexedWindow | None:
    """The active window of the live page served at this request's URL, found without
    routing, or None (also when the host's site is not known yet, or with i18n URLs,
    where the path does not map to a page's ``url_path`` directly)."""
    path = request.path_info
    if not path.endswith("/") or conf.i18n_enabled():
        return None
    now = timezone.now()
    index = current_index(now)
    if not index.live_pages:
        return None
    site_id = host_sites.recall(lookup.host, lookup.shared)
    if site_id is NOT_REMEMBERED:
        return None
    for root in Site.get_site_root_paths():
        if root.site_id == site_id:
            page_id = index.page_by_url_path.get(root.root_path + path.lstrip("/"))
            if page_id is None or page_id not in index.live_pages:
                return None
            return next((w for w in index.by_page[page_id] if w.is_active(now)), None)
    return None
