"""Which paths may have a core redirect: a first 404 with none costs no query.

Scanners and crawlers send new paths all day, and most have no redirect. Each process
keeps a compact set of every stored ``old_path`` (all sites, pattern rows too: a superset
is safe): a sorted ``array('q')`` of the paths' 64-bit hashes, eight bytes a redirect
(0.8 MB for 100,000 redirects, 8 MB for 1,000,000), searched with ``bisect``. A lookup
whose candidate forms (:func:`.paths.candidate_paths`, and the forms without a
language's prefix that redirects for every language are stored at) are none of them in
it has no row to fetch; :mod:`.core_redirects` skips its query. Two paths with one hash
only cost that query (a false "may"); a stored path always answers "may": a false "no"
would hide a redirect.

The set is made from one query of ``old_path`` alone, streamed, and made again when the
``redirects`` change stamp changes (:mod:`.stamps`): at once in the process that wrote,
within ``INDEX_CHECK_SECONDS`` elsewhere. While one thread makes it, the others look
their paths up in the database as before.

It answers as the lookup does on every database and collation: the lookup keeps only
the rows whose ``old_path``, as the database returns it, equals one of its forms in Python
(:func:`.core_redirects.look_up`), whatever else the column's collation lets the SQL
match (``/About`` for ``/about`` in a column that lost the exact collation of migration
0006); the set holds the hashes of those very values, and equal strings have equal hashes.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable

from wagtail.contrib.redirects.models import Redirect

from . import stamps

#: Rows fetched at a time while the set is made.
CHUNK_SIZE = 10_000


class Membership:
    """The sorted hashes of every stored old path."""

    __slots__ = ("hashes",)

    def __init__(self, hashes: array[int]) -> None:
        self.hashes = hashes

    @classmethod
    def build(cls) -> Membership:
        """Read every old path (one query, streamed) into a sorted array of hashes."""
        paths = Redirect.objects.values_list("old_path", flat=True)
        return cls(array("q", sorted(map(hash, paths.iterator(chunk_size=CHUNK_SIZE)))))

    def may_hold(self, paths: Iterable[str]) -> bool:
        """Whether any of ``paths`` may be a stored old path (False: none is)."""
        hashes = self.hashes
        size = len(hashes)
        for path in paths:
            value = hash(path)
            at = bisect_left(hashes, value)
            if at < size and hashes[at] == value:
                return True
        return False

    @property
    def nbytes(self) -> int:
        """Bytes held by the hashes."""
        return self.hashes.buffer_info()[1] * self.hashes.itemsize


_lock = threading.Lock()
_building = threading.Lock()
#: The set, and the count of changes of the redirects stamp it was made under.
_current: tuple[int, Membership] | None = None


def may_be_stored(paths: list[str]) -> bool:
    """Whether any of ``paths`` may have a core redirect (on any site): False only when
    none has."""
    membership = current()
    return membership is None or membership.may_hold(paths)


def current() -> Membership | None:
    """The set for the redirects as this process knows them, made first when they changed;
    None while another thread makes it (the caller then queries)."""
    changes = stamps.current().count("redirects")
    with _lock:
        found = _current
    if found is None or found[0] != changes:
        if not _building.acquire(blocking=False):
            return None
        try:
            found = _rebuilt(changes)
        finally:
            _building.release()
    return found[1]


def _rebuilt(changes: int) -> tuple[int, Membership]:
    """The set made now (or by the thread that just finished), labelled with the count of
    changes read before its rows: a change committed while they are read brings a newer
    stamp, so the set is made again once that stamp is seen. A count, not the stamp's value:
    a value seen again (a write here whose stamp could not be stored, then the stored one
    read back) is a change all the same."""
    global _current
    with _lock:
        if _current is not None and _current[0] == changes:
            return _current
    built = (changes, Membership.build())
    with _lock:
        _current = built
    return built


def forget() -> None:
    """Drop this process's set; the next lookup makes it again (between tests)."""
    global _current
    with _lock:
        _current = None
