"""Keeping the 404 log to ``NOT_FOUND_KEEP_PATHS`` rows per site.

A scanner asking for 100,000 unique URLs would otherwise leave 100,000 rows for
``NOT_FOUND_KEEP_DAYS``. After each write, a site with more rows than the bound keeps the
best ones and drops the rest, in this order of keeping (:data:`KEEP_ORDER`): most hits
first; at equal hits the fewer bot hits (a path people followed outlives a crawler's);
then the most recently seen; then the newest row. The rows dropped are added to the
site's :class:`~.models.NotFoundDropped` totals (paths, hits, bot hits), so the report can
say how much the bound left out.

Queries per site written to: one SELECT of the first row past the bound (PostgreSQL
sorts the site's rows: 21 ms for 20,000), and only when there is one, one aggregate of the
rows from it on, one DELETE of them (9 ms for 10,000), one SELECT and one upsert of the
totals. The caller holds the log's write lock (``locks.NOT_FOUND``), so two flushes never
prune, nor write, at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from .. import conf
from .models import NotFoundDropped, NotFoundPath

#: The best rows first.
KEEP_ORDER = ("-hits", "bot_hits", "-last_seen_at", "-pk")


def prune(site_ids: Iterable[int]) -> int:
    """Drop each site's rows past ``NOT_FOUND_KEEP_PATHS``; how many were dropped."""
    keep = conf.not_found_keep_paths()
    return sum(prune_site(site_id, keep) for site_id in sorted(set(site_ids)))


def prune_site(site_id: int, keep: int) -> int:
    rows = NotFoundPath.objects.filter(site_id=site_id)
    first_dropped = (
        rows.order_by(*KEEP_ORDER).values("hits", "bot_hits", "last_seen_at", "pk")[keep : keep + 1]
    ).first()
    if first_dropped is None:
        return 0
    dropped = rows.filter(from_row_on(**first_dropped))
    totals = dropped.aggregate(paths=Count("pk"), hits=Sum("hits"), bot_hits=Sum("bot_hits"))
    dropped.delete()  # one DELETE: nothing refers to these rows, no signal listens
    add_to_totals(site_id, totals["paths"], totals["hits"] or 0, totals["bot_hits"] or 0)
    return int(totals["paths"])


def from_row_on(*, hits: int, bot_hits: int, last_seen_at: object, pk: int) -> Q:
    """The rows that come at or after this one in :data:`KEEP_ORDER`."""
    return (
        Q(hits__lt=hits)
        | Q(hits=hits, bot_hits__gt=bot_hits)
        | Q(hits=hits, bot_hits=bot_hits, last_seen_at__lt=last_seen_at)
        | Q(hits=hits, bot_hits=bot_hits, last_seen_at=last_seen_at, pk__lte=pk)
    )


def add_to_totals(site_id: int, paths: int, hits: int, bot_hits: int) -> None:
    now = timezone.now()
    stored = NotFoundDropped.objects.filter(site_id=site_id).first()
    totals = stored or NotFoundDropped(site_id=site_id, since=now)
    totals.paths += paths
    totals.hits += hits
    totals.bot_hits += bot_hits
    totals.last_dropped_at = now
    # MySQL and MariaDB upsert on any unique key and take no conflict target.
    target = ["site"] if connection.features.supports_update_conflicts_with_target else None
    NotFoundDropped.objects.bulk_create(
        [totals],
        update_conflicts=True,
        unique_fields=target,
        update_fields=["paths", "hits", "bot_hits", "last_dropped_at"],
    )
