"""Find (and repair) what the database guarantees cannot have prevented: redirects and
windows written before this package's locks, or by tools that bypass them (core's own
import, raw SQL, a restored dump).

- Two core redirects for one site and path (core's unique constraint does not cover
  all-sites redirects on PostgreSQL and SQLite, where NULLs never clash). Requests get
  the newest of them; the others are dead weight that editors still see.
- Two windows of one source that overlap. Requests get the one that expires first.
- On MySQL and MariaDB, a path column that compares case- or accent-insensitively
  (``/About`` would answer for ``/about``): see ``collation.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from wagtail.contrib.redirects.models import Redirect

from .. import rules
from ..models import ScheduledRedirect
from . import collation


@dataclass(frozen=True)
class DuplicateRedirects:
    site_id: int | None
    old_path: str
    #: Newest first: the first one answers requests and is the one kept by a repair.
    pks: list[int]

    @property
    def kept(self) -> int:
        return self.pks[0]

    @property
    def extra(self) -> list[int]:
        return self.pks[1:]


@dataclass(frozen=True)
class OverlappingWindows:
    first: ScheduledRedirect
    second: ScheduledRedirect


def newest_first() -> list[str]:
    """The order in which the resolver picks one of several redirects for a site and
    path: the last one written."""
    return ["-pk"]


def duplicate_redirects() -> list[DuplicateRedirects]:
    groups = (
        Redirect.objects.values("site_id", "old_path")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .order_by("old_path", "site_id")
    )
    found = []
    for group in groups:
        pks = Redirect.objects.filter(
            site_id=group["site_id"], old_path=group["old_path"]
        ).order_by(*newest_first())
        found.append(
            DuplicateRedirects(
                group["site_id"], group["old_path"], list(pks.values_list("pk", flat=True))
            )
        )
    return found


def remove_duplicate_redirects(duplicates: list[DuplicateRedirects]) -> int:
    """Delete every redirect but the newest of each group; how many were deleted."""
    extra = [pk for group in duplicates for pk in group.extra]
    with transaction.atomic():  # the deletes tell the resolution index (post_delete)
        _total, by_model = Redirect.objects.filter(pk__in=extra).delete()
    return by_model.get(Redirect._meta.label, 0)


def overlapping_windows() -> list[OverlappingWindows]:
    """Pairs of windows of one source that share a moment, by source and start."""
    found = []
    by_source: dict[tuple[int | None, str, int | None], list[ScheduledRedirect]] = {}
    for window in ScheduledRedirect.objects.order_by("expires_at", "pk"):
        key = (window.site_id, window.old_path, window.source_page_id)
        by_source.setdefault(key, []).append(window)
    for windows in by_source.values():
        for index, first in enumerate(windows):
            for second in windows[index + 1 :]:
                if rules.windows_overlap(
                    (first.began_at(first.created_at), first.expires_at),
                    (second.began_at(second.created_at), second.expires_at),
                ):
                    found.append(OverlappingWindows(first, second))
    return found


def case_insensitive_paths() -> list[str]:
    """``table.column`` of each path column that ignores case or accents (MySQL, MariaDB)."""
    return [
        f"{model._meta.db_table}.{model._meta.get_field(name).column}"
        for model, name, _charset in collation.insensitive_columns(connection)
    ]


def make_paths_case_sensitive() -> int:
    """Give every path column its exact collation again; how many columns changed."""
    with connection.schema_editor() as schema_editor:
        return collation.make_sensitive(schema_editor)
