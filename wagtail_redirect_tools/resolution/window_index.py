"""An in-process index of scheduled windows, so that a request with no window costs no query.

Every process keeps the sources and times of all windows that have not expired.
Whether a window is active is decided against the clock on each request, so a
window starts and ends on time without the index being rebuilt. The index is
rebuilt only when windows change, which :mod:`.stamps` tells every process within
``INDEX_CHECK_SECONDS`` (this process at once).

No setting bounds how many windows it holds, so each is kept lean (issue 34, item 4):
a window has slots, not a dict of attributes; the moments, sites and codes that windows
share (those imported together) are one object each; a path's or page's windows are a
tuple. About 300 bytes a window: 30 MB for 100,000 (``tests/benchmarks/bench_memory.py``).
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from ..models import ScheduledRedirect, page_link
from . import stamps
from .sites import site_root_paths

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class IndexedWindow:
    """What answering a window takes, so that answering it costs no query (a page
    target's URL is looked up once per host and kept until the index is rebuilt,
    which every page move, slug change and site change causes; the hosts' URLs are kept
    only for windows with a page target, and only once asked for)."""

    pk: int
    site_id: int | None
    starts_at: datetime.datetime | None
    expires_at: datetime.datetime
    status_code: int = 302
    redirect_link: str = ""
    redirect_page_id: int | None = None
    redirect_page_route_path: str = ""
    _links: dict[str, str | None] | None = field(default=None, compare=False, repr=False)

    def is_active(self, now: datetime.datetime) -> bool:
        return (self.starts_at is None or self.starts_at <= now) and now < self.expires_at

    def link(self, request: HttpRequest | None = None) -> str | None:
        """Where the window sends visitors, or None when the target page has no URL."""
        if self.redirect_page_id is None:
            return self.redirect_link or None
        host = request.get_host() if request is not None else ""
        links = self._links
        if links is None:
            links = {}
            object.__setattr__(self, "_links", links)  # frozen: set once, as __init__ does
        if host not in links:
            if request is not None and not hasattr(request, "_wagtail_cached_site_root_paths"):
                # Wagtail reads them from its cache otherwise (a request while Redis is
                # down would fail): ours are read once per change, and kept.
                request._wagtail_cached_site_root_paths = site_root_paths()  # type: ignore[attr-defined]
            page = Page.objects.filter(pk=self.redirect_page_id).first()
            links[host] = page_link(page, self.redirect_page_route_path, request) if page else None
        return links[host]


@dataclass
class WindowIndex:
    """Not-expired windows by source path and by source page; ``page_by_url_path`` maps
    each source page's ``url_path`` to its id, to answer its URL without the slash."""

    made_from: stamps.Stamps
    # The moment it was built for: windows expired by then are not in it.
    built_for: datetime.datetime | None = None
    by_path: dict[str, tuple[IndexedWindow, ...]] = field(default_factory=dict)
    by_page: dict[int, tuple[IndexedWindow, ...]] = field(default_factory=dict)
    page_by_url_path: dict[str, int] = field(default_factory=dict)
    # Source pages that are live: only a served page's window answers at its own URL.
    live_pages: set[int] = field(default_factory=set)
    # The next expiry: from then on the index holds a window it no longer needs.
    rebuild_at: datetime.datetime | None = None

    @classmethod
    def build(cls, shared: stamps.Stamps, now: datetime.datetime) -> WindowIndex:
        index = cls(made_from=shared, built_for=now)
        by_path: defaultdict[str, list[IndexedWindow]] = defaultdict(list)
        by_page: defaultdict[int, list[IndexedWindow]] = defaultdict(list)
        # One object for each moment, site, code and page route windows share.
        same: dict[Any, Any] = {}

        def one(value: T) -> T:
            return same.setdefault(value, value)

        rows = ScheduledRedirect.objects.not_expired(now).values_list(
            "old_path",
            "source_page_id",
            "source_page__url_path",
            "source_page__live",
            "pk",
            "site_id",
            "starts_at",
            "expires_at",
            "status_code",
            "redirect_link",
            "redirect_page_id",
            "redirect_page_route_path",
        )
        for (
            old_path,
            page_id,
            url_path,
            live,
            pk,
            site_id,
            starts,
            expires,
            code,
            link,
            target,
            route,
        ) in rows:
            window = IndexedWindow(
                pk,
                one(site_id),
                one(starts),
                one(expires),
                one(code),
                link,
                target,
                one(route),
            )
            if page_id is not None:
                by_page[page_id].append(window)
                index.page_by_url_path[url_path] = page_id
                if live:
                    index.live_pages.add(page_id)
            else:
                by_path[old_path].append(window)
            if index.rebuild_at is None or expires < index.rebuild_at:
                index.rebuild_at = expires
        index.by_path = {path: tuple(windows) for path, windows in by_path.items()}
        index.by_page = {page: tuple(windows) for page, windows in by_page.items()}
        return index

    def is_current(self, shared: stamps.Stamps, now: datetime.datetime) -> bool:
        """Built from the data the stamps describe, and holding no expired window."""
        if self.rebuild_at is not None and now >= self.rebuild_at:
            return False
        made_from = self.made_from
        return all(made_from.count(name) == shared.count(name) for name in ("windows", "pages"))


_lock = threading.Lock()
_index: WindowIndex | None = None
# Requests of other threads are a moment older than the index; not an earlier moment.
EARLIER = datetime.timedelta(seconds=1)


def current_index(now: datetime.datetime) -> WindowIndex:
    """The index, rebuilt first if windows changed since it was built (see ``stamps``) or
    one of its windows expired (it is correct without that: this only lets it go)."""
    global _index
    shared = stamps.current()
    with _lock:
        index = _index
    if index is not None and index.built_for is not None and now < index.built_for - EARLIER:
        # An earlier moment: windows expired since may be needed. For a moment asked for
        # (``resolve(now=...)``) build one without keeping it; when the clock itself went
        # back (NTP stepping it, a VM resumed from a snapshot), keep the new one.
        if timezone.now() >= index.built_for - EARLIER:
            return WindowIndex.build(shared, now)
        index = None
    if index is not None and index.is_current(shared, now):
        return index
    index = WindowIndex.build(shared, now)
    with _lock:
        _index = index
    return index


def forget() -> None:
    """Drop this process's index and stamps; the next request rebuilds (between tests)."""
    global _index
    with _lock:
        _index = None
    stamps.forget()
