"""Shared change stamps: how every process learns that redirects or windows changed.

Each kind of data ("redirects", "windows", "pages") has a stamp in the ``CACHE_ALIAS`` cache
(Redis in production, shared by all processes). A write anywhere replaces the stamp;
each process reads the stamps at most once per ``INDEX_CHECK_SECONDS`` (one
``get_many``) and rebuilds what it derived from older data. A write in this process
changes the local stamp at once, so it is seen at once here. If the cache fails the
process keeps working from the database and warns at most once per interval.

This is the one place capabilities tell each other about changes:
:func:`redirects_changed`, :func:`windows_changed` and :func:`pages_changed`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
import uuid

from django.core.cache import caches
from django.db import transaction

from .. import conf

logger = logging.getLogger(__name__)

KEYS = {
    "redirects": "wagtail_redirect_tools:redirects_version",
    "windows": "wagtail_redirect_tools:windows_version",
    "pages": "wagtail_redirect_tools:pages_version",
}


@dataclasses.dataclass(frozen=True)
class Stamps:
    """The stamps as last read. ``cache_ok`` is False when the cache could not be read:
    then nothing derived from the stamps can be trusted beyond this check."""

    redirects: str | None
    windows: str | None
    pages: str | None
    cache_ok: bool
    check: int  # increases with every read of the cache


_lock = threading.Lock()
_stamps: Stamps | None = None
_checked_at = float("-inf")
_warned_at = float("-inf")
_checks = 0


def current() -> Stamps:
    """The shared stamps, read from the cache at most once per ``INDEX_CHECK_SECONDS``."""
    global _stamps, _checked_at, _checks
    with _lock:
        if _stamps is not None and time.monotonic() - _checked_at < conf.index_check_seconds():
            return _stamps
        _checks += 1
        values, cache_ok = _read_shared()
        _stamps = Stamps(
            redirects=values.get("redirects"),
            windows=values.get("windows"),
            pages=values.get("pages"),
            cache_ok=cache_ok,
            check=_checks,
        )
        _checked_at = time.monotonic()
        return _stamps


def _read_shared() -> tuple[dict[str, str | None], bool]:
    global _warned_at
    try:
        found = caches[conf.cache_alias()].get_many(list(KEYS.values()))
    except Exception:
        if time.monotonic() - _warned_at >= conf.index_check_seconds():
            _warned_at = time.monotonic()
            logger.warning("Cache unavailable: redirects are read from the database")
        return {}, False
    return {name: found.get(key) for name, key in KEYS.items()}, True


def redirects_changed() -> None:
    """Core redirects (or the URLs they lead to) changed: forget remembered lookups here
    now, elsewhere soon."""
    _changed("redirects")


def windows_changed() -> None:
    """Scheduled windows were written: rebuild the window index here now, elsewhere soon."""
    _changed("windows")


def pages_changed() -> None:
    """A page was saved, published, unpublished, moved or deleted: a path that was not
    found may now be a page. Forget what was answered before routing."""
    _changed("pages")


def _changed(name: str) -> None:
    """Change the stamp here at once; publish it to the cache when the transaction
    commits (other processes cannot see the new rows before). Many writes in one
    transaction publish once."""
    _set_local(name, uuid.uuid4().hex)
    publish = _PUBLISHERS[name]
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is publish for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(publish, robust=True)


def _set_local(name: str, stamp: str) -> None:
    global _stamps
    with _lock:
        if _stamps is not None:
            _stamps = dataclasses.replace(_stamps, **{name: stamp})  # type: ignore[arg-type]


def _publish(name: str) -> None:
    global _checked_at
    stamp = uuid.uuid4().hex
    _set_local(name, stamp)
    try:
        caches[conf.cache_alias()].set(KEYS[name], stamp, timeout=None)
    except Exception:
        logger.warning("Cache unavailable: other processes see redirect changes late")
        with _lock:
            _checked_at = float("-inf")  # this process re-reads (and rebuilds) next time


_PUBLISHERS = {name: functools.partial(_publish, name) for name in KEYS}


def forget() -> None:
    """Drop this process's stamps; the next request reads them again (between tests)."""
    global _stamps, _checked_at, _warned_at
    with _lock:
        _stamps, _checked_at, _warned_at = None, float("-inf"), float("-inf")
