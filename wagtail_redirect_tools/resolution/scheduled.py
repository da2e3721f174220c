"""Find the active scheduled window that answers a request, for a path or for a served page."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from .languages import language_root
from .paths import candidate_paths
from .sites import request_site_id
from .window_index import IndexedWindow, WindowIndex, current_index


def find_path_window(
    request: HttpRequest, now: datetime.datetime | None = None
) -> tuple[IndexedWindow | None, str]:
    """The active window for the request's site and path, and the query it did not match.

    For each candidate path a window for this site beats one for all sites. Costs no
    query (see ``window_index``), unless a site must be found for a matching path.
    ``now`` (by default the current time) decides which windows are active.
    """
    now = now or timezone.now()
    index = current_index(now)
    if not index.by_path:
        return None, ""
    candidates, full_forms, query = candidate_paths(request)
    found = [
        (position, window)
        for position, form in enumerate(candidates)
        for window in index.by_path.get(form, ())
        if window.is_active(now)
    ]
    if not found:
        return None, ""
    site_id = request_site_id(request)
    applicable = [
        (position, window.site_id is None, window.pk, window)
        for position, window in found
        if window.site_id is None or window.site_id == site_id
    ]
    if not applicable:
        return None, ""
    position, _all_sites, _pk, window = min(applicable)
    return window, "" if position < full_forms else query


def find_page_window(page: Page, now: datetime.datetime | None = None) -> IndexedWindow | None:
    """The active window on ``page`` itself (windows of one page never overlap)."""
    now = now or timezone.now()
    return _active_page_window(current_index(now), page.pk, now)


def _active_page_window(
    index: WindowIndex, page_id: int, now: datetime.datetime
) -> IndexedWindow | None:
    for window in index.by_page.get(page_id, ()):
        if window.is_active(now):
            return window
    return None


def find_unslashed_page_window(
    request: HttpRequest, now: datetime.datetime | None = None
) -> IndexedWindow | None:
    """The active window of the page whose URL is this request's path plus "/".

    Costs no query unless the index holds a page window at that URL.
    """
    path = request.path
    if path.endswith("/"):
        return None
    return find_window_of_page_at(request, path + "/", now=now)


def find_window_of_page_at(
    request: HttpRequest,
    path: str,
    *,
    live_only: bool = False,
    now: datetime.datetime | None = None,
) -> IndexedWindow | None:
    """The active window of the page at ``path`` (ending in "/") on the request's site,
    found from the pages' ``url_path`` without routing (from the root of the path's
    language on a multilingual site); with ``live_only``, only a live
    page's. No query once the host's site is known, unless a page window is at that URL."""
    now = now or timezone.now()
    index = current_index(now)
    if not (index.live_pages if live_only else index.page_by_url_path):
        return None
    site_id = request_site_id(request)
    if site_id is None:
        return None
    root = language_root(site_id, path)
    if root is None or not root.served:
        return None
    page_id = index.page_by_url_path.get(root.root_path + root.path.lstrip("/"))
    if page_id is None or (live_only and page_id not in index.live_pages):
        return None
    return _active_page_window(index, page_id, now)
