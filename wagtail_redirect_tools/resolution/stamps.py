"""Change stamps: how every process learns that redirects or windows changed.

Each kind of data ("redirects", "windows", "pages") has a stamp, a row of
:class:`~wagtail_redirect_tools.models.ChangeStamp` in the database. A write anywhere
replaces the stamp when its transaction commits; each process reads the stamps at most
once per ``INDEX_CHECK_SECONDS`` (one query of three rows) and rebuilds what it derived
from older data. A write in this process changes the local stamp at once, so it is seen
at once here.

The stamps live in the database, not the cache, so that processes see each other's
changes whatever the cache is: Django's default local-memory cache (one per process), a
shared Redis, or a Redis that is down. A shell, a cron job or a management command is
another process too.

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

from django.db import DatabaseError, transaction

from .. import conf

logger = logging.getLogger(__name__)

NAMES = ("redirects", "windows", "pages")


@dataclasses.dataclass(frozen=True)
class Stamps:
    """The stamps as last read (None: no row, which no write has made yet), with how many
    times each had changed as this process saw it then (``counts``, in ``NAMES``' order).

    What a process derives from the database is kept under the counts (:meth:`count`),
    never the values: a write here changes the stamp here at once, and until its own stamp
    is stored (when its transaction commits; never in a TestCase; not at all when the store
    fails) the stored value read back is the one older answers were kept under. That
    read is a change all the same, and only the count says so."""

    redirects: str | None
    windows: str | None
    pages: str | None
    counts: tuple[int, ...] = (0,) * len(NAMES)

    def count(self, name: str) -> int:
        """How many times the stamp ``name`` had changed when these were read: what was
        derived under one count is current while the stamps still have it."""
        return self.counts[NAMES.index(name)]


_lock = threading.Lock()
_stamps: Stamps | None = None
_checked_at = float("-inf")
#: How many times each stamp changed as this process saw it (a write here, or a read that
#: found another value). It only grows: a stamp that reads as an older value again (a local
#: write whose stamp could not be stored, then the stored one read back) is still a change.
_changes = dict.fromkeys(NAMES, 0)


def current() -> Stamps:
    """The stamps, read from the database at most once per ``INDEX_CHECK_SECONDS``.

    The interval is measured on the monotonic clock: a wall clock stepped back or forward
    neither stops the checks nor makes one per request."""
    global _stamps, _checked_at
    with _lock:
        if _stamps is not None and time.monotonic() - _checked_at < conf.index_check_seconds():
            return _stamps
    values = _read_stored()
    with _lock:
        for name in NAMES:
            if _stamps is None or getattr(_stamps, name) != values.get(name):
                _changes[name] += 1
        _stamps = Stamps(**{name: values.get(name) for name in NAMES}, counts=_counts())
        _checked_at = time.monotonic()
        return _stamps


def _read_stored() -> dict[str, str]:
    from ..models import ChangeStamp

    return dict(ChangeStamp.objects.values_list("name", "stamp"))


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
    """Change the stamp here at once; store it when the transaction commits (other
    processes cannot see the new rows before). Many writes in one transaction store it
    once."""
    _set_local(name, uuid.uuid4().hex)
    publish = _PUBLISHERS[name]
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is publish for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(publish, robust=True)


def _counts() -> tuple[int, ...]:
    return tuple(_changes[name] for name in NAMES)


def _set_local(name: str, stamp: str) -> None:
    global _stamps
    with _lock:
        _changes[name] += 1
        if _stamps is not None:
            _stamps = dataclasses.replace(_stamps, **{name: stamp}, counts=_counts())


def _publish(name: str) -> None:
    """Store a new stamp for ``name`` (one UPDATE; the row is made if missing)."""
    from ..models import ChangeStamp

    stamp = uuid.uuid4().hex
    _set_local(name, stamp)
    try:
        if not ChangeStamp.objects.filter(name=name).update(stamp=stamp):
            ChangeStamp.objects.bulk_create(
                [ChangeStamp(name=name, stamp=stamp)], ignore_conflicts=True
            )
            ChangeStamp.objects.filter(name=name).update(stamp=stamp)
    except DatabaseError:
        logger.exception(
            "Could not store the %s change stamp: other processes see the change with the next one",
            name,
        )


_PUBLISHERS = {name: functools.partial(_publish, name) for name in NAMES}


def forget() -> None:
    """Drop this process's stamps; the next request reads them again (between tests)."""
    global _stamps, _checked_at
    with _lock:
        _stamps, _checked_at = None, float("-inf")
