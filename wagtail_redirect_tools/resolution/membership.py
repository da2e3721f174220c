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

Equal hashes mean equal strings in Python, so the set answers as the SQL compares only
where the column compares exactly: SQLite, PostgreSQL with a deterministic collation,
and MySQL and MariaDB with the exact collation of migration 0006
(:mod:`~wagtail_redirect_tools.database.collation`). Where the column ignores case,
accents or trailing spaces (a collation lost since, see ``redirects_doctor``), or
PostgreSQL's is nondeterministic, every path "may" be stored: each lookup queries.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable

from django.db import connections
from wagtail.contrib.redirects.models import Redirect

from ..database import collation
from . import stamps

#: Rows fetched at a time while the set is made.
CHUNK_SIZE = 10_000


class Membership:
    """The hashes of every stored old path; ``exact`` False: the column does not compare
    as Python does, so any path may be stored."""

    __slots__ = ("exact", "hashes")

    def __init__(self, hashes: array[int], *, exact: bool = True) -> None:
        self.hashes = hashes
        self.exact = exact

    @classmethod
    def build(cls) -> Membership:
        """Read every old path (one query, streamed) into a sorted array of hashes."""
        database = Redirect.objects.db
        if not compares_exactly(database):
            return cls(array("q"), exact=False)
        paths = Redirect.objects.using(database).values_list("old_path", flat=True)
        return cls(array("q", sorted(map(hash, paths.iterator(chunk_size=CHUNK_SIZE)))))

    def may_hold(self, paths: Iterable[str]) -> bool:
        """Whether any of ``paths`` may be a stored old path (False: none is)."""
        if not self.exact:
            return True
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


def compares_exactly(database: str) -> bool:
    """Whether ``Redirect.old_path`` compares as Python compares strings on ``database``."""
    connection = connections[database]
    if collation.applies_to(connection):
        return not collation.insensitive_columns(
            connection, fields=(("wagtailredirects", "Redirect", "old_path"),)
        )
    if connection.vendor == "postgresql":
        return _postgresql_deterministic(connection)
    return True


def _postgresql_deterministic(connection: object) -> bool:
    table, column = Redirect._meta.db_table, Redirect._meta.get_field("old_path").column
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(
            "SELECT c.collisdeterministic FROM pg_attribute a "
            "JOIN pg_collation c ON c.oid = a.attcollation "
            "WHERE a.attrelid = %s::regclass AND a.attname = %s",
            [table, column],
        )
        found = cursor.fetchone()
    return found is None or bool(found[0])


_lock = threading.Lock()
_building = threading.Lock()
_current: tuple[str | None, Membership] | None = None


def may_be_stored(paths: list[str]) -> bool:
    """Whether any of ``paths`` may have a core redirect (on any site): False only when
    none has."""
    membership = current()
    return membership is None or membership.may_hold(paths)


def current() -> Membership | None:
    """The set for the current ``redirects`` stamp, made first when the redirects changed;
    None while another thread makes it (the caller then queries)."""
    shared = stamps.current()
    with _lock:
        found = _current
    if found is None or found[0] != shared.redirects:
        if not _building.acquire(blocking=False):
            return None
        try:
            found = _rebuilt(shared)
        finally:
            _building.release()
    return found[1]


def _rebuilt(shared: stamps.Stamps) -> tuple[str | None, Membership]:
    """The set for the stamp ``shared.redirects``, made now (or by the thread that just
    finished). Labelled with the stamp read before the rows: a change committed while
    they are read has a newer stamp, so the set is made again once that one is seen."""
    global _current
    with _lock:
        if _current is not None and _current[0] == shared.redirects:
            return _current
    built = (shared.redirects, Membership.build())
    with _lock:
        _current = built
    return built


def forget() -> None:
    """Drop this process's set; the next lookup makes it again (between tests)."""
    global _current
    with _lock:
        _current = None
