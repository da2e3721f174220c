"""An in-process index of scheduled windows, so that a request with no window costs no query.

Every process keeps the sources and times of all windows that have not expired.
Whether a window is active is decided against the clock on each request, so a
window starts and ends on time without the index being rebuilt. The index is
rebuilt only when windows change, which :mod:`.stamps` tells every process within
``INDEX_CHECK_SECONDS`` (this process at once). If the cache fails, the index is
rebuilt from the database at each check.
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from ..models import ScheduledRedirect
from . import stamps


@dataclass(frozen=True)
class IndexedWindow:
    pk: int
    site_id: int | None
    starts_at: datetime.datetime | None
    expires_at: datetime.datetime

    def is_active(self, now: datetime.datetime) -> bool:
        return (self.starts_at is None or self.starts_at <= now) and now < self.expires_at


@dataclass
class WindowIndex:
    """Not-expired windows by source path and by source page; ``page_by_url_path`` maps
    each source page's ``url_path`` to its id, to answer its URL without the slash."""

    stamps: stamps.Stamps
    by_path: dict[str, list[IndexedWindow]] = field(default_factory=lambda: defaultdict(list))
    by_page: dict[int, list[IndexedWindow]] = field(default_factory=lambda: defaultdict(list))
    page_by_url_path: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, shared: stamps.Stamps, now: datetime.datetime) -> WindowIndex:
        index = cls(stamps=shared)
        rows = ScheduledRedirect.objects.not_expired(now).values_list(
            "pk",
            "site_id",
            "old_path",
            "source_page_id",
            "source_page__url_path",
            "starts_at",
            "expires_at",
        )
        for pk, site_id, old_path, page_id, url_path, starts_at, expires_at in rows:
            window = IndexedWindow(pk, site_id, starts_at, expires_at)
            if page_id is not None:
                index.by_page[page_id].append(window)
                index.page_by_url_path[url_path] = page_id
            else:
                index.by_path[old_path].append(window)
        return index

    def is_current(self, shared: stamps.Stamps) -> bool:
        """Built from the data the stamps describe (never, while the cache is down,
        beyond one check interval)."""
        if not shared.cache_ok:
            return self.stamps.check == shared.check
        return self.stamps.cache_ok and self.stamps.windows == shared.windows


_lock = threading.Lock()
_index: WindowIndex | None = None


def current_index(now: datetime.datetime) -> WindowIndex:
    """The index, rebuilt first if windows changed since it was built (see ``stamps``)."""
    global _index
    shared = stamps.current()
    with _lock:
        index = _index
        if index is not None and index.is_current(shared):
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
