"""An in-process index of scheduled windows, so that a request with no window costs no query.

Every process keeps the sources and times of all windows that have not expired.
Whether a window is active is decided against the clock on each request, so a
window starts and ends on time without the index being rebuilt. The index is
rebuilt only when windows change: every write bumps a version stamp in the
``CACHE_ALIAS`` cache (Redis in production, shared by all processes), and each
process reads that stamp at most once per ``INDEX_CHECK_SECONDS``. A write in this
process is seen at once. If the cache fails, the index is rebuilt from the database
at each check.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import transaction

from .. import conf
from ..models import ScheduledRedirect

logger = logging.getLogger(__name__)

VERSION_KEY = "wagtail_redirect_tools:windows_version"


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
    version: str | None
    by_path: dict[str, list[IndexedWindow]] = field(default_factory=lambda: defaultdict(list))
    by_page: dict[int, list[IndexedWindow]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, version: str | None, now: datetime.datetime) -> WindowIndex:
        index = cls(version=version)
        rows = ScheduledRedirect.objects.not_expired(now).values_list(
            "pk", "site_id", "old_path", "source_page_id", "starts_at", "expires_at"
        )
        for pk, site_id, old_path, page_id, starts_at, expires_at in rows:
            window = IndexedWindow(pk, site_id, starts_at, expires_at)
            if page_id is not None:
                index.by_page[page_id].append(window)
            else:
                index.by_path[old_path].append(window)
        return index


_lock = threading.Lock()
_index: WindowIndex | None = None
_checked_at = float("-inf")
_warned_at = float("-inf")


def current_index(now: datetime.datetime) -> WindowIndex:
    """The index, rebuilt first if windows changed since it was built."""
    global _index, _checked_at
    with _lock:
        index, checked_at = _index, _checked_at
        if index is not None and time.monotonic() - checked_at < conf.index_check_seconds():
            return index
        version, cache_ok = _shared_version()
        if index is None or not cache_ok or version != index.version:
            index = WindowIndex.build(version, now)
        _index, _checked_at = index, time.monotonic()
        return index


def _shared_version() -> tuple[str | None, bool]:
    global _warned_at
    try:
        return caches[conf.cache_alias()].get(VERSION_KEY), True
    except Exception:
        if time.monotonic() - _warned_at >= conf.index_check_seconds():
            _warned_at = time.monotonic()
            logger.warning("Cache unavailable: scheduled redirects read from the database")
        return None, False


def windows_changed() -> None:
    """Tell every process that windows changed: this one now, the others via the cache.

    The stamp is bumped again when the transaction commits, so a process that
    rebuilt its index before the commit (and missed the new row) rebuilds again.
    """
    forget()
    _bump_shared_version()
    transaction.on_commit(_bump_shared_version)


def _bump_shared_version() -> None:
    try:
        caches[conf.cache_alias()].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("Cache unavailable: other processes see window changes late")


def forget() -> None:
    """Drop this process's index; the next request rebuilds it (used between tests)."""
    global _index, _checked_at
    with _lock:
        _index, _checked_at = None, float("-inf")
