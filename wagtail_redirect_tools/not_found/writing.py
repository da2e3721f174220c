"""Writing a process's 404 counts to the log, and forgetting old entries.

One job per hand-over. Each requested path becomes the form the middleware matches a
redirect's old path against for that request (``resolution.paths.matched_path``: as the
visitor sent it, normalised as core normalises an old path); paths no redirect can have
(too long, a null byte: ``rules.source_characters_error``) are dropped, then the ignore
rules apply (``NOT_FOUND_IGNORE`` and the editors'). Queries: one for the ignore rules, one
for the sites, then per 1,000 paths one SELECT ... FOR UPDATE of the rows already there and
one upsert (INSERT ... ON CONFLICT UPDATE) of every row with its new totals, then
``pruning.prune`` of the sites written to (``NOT_FOUND_KEEP_PATHS`` rows each), then one
DELETE of the entries not seen for ``NOT_FOUND_KEEP_DAYS``. A process hands over at most
``NOT_FOUND_MAX_PATHS`` paths. Each batch is written in a savepoint: one the database
refuses is split until the row it refuses is found, logged and left out, so one row
never loses the others. All in one transaction, and flushes take turns
(``locks.NOT_FOUND``, taken first in it): two processes' flushes never lock each other's
rows in opposite orders (no deadlock between a write, a prune and a purge), never both
insert a new path (each with only its own hits), and the bound holds exactly.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from .. import conf
from ..database import locks
from ..resolution.paths import matched_path
from ..rules import source_characters_error
from .log import MAX_REFERRERS, Entry, Key, NotFoundCounts
from .models import NotFoundIgnoreRule, NotFoundPath
from .pruning import prune
from .rules import ignored_by, setting_rules

logger = logging.getLogger(__name__)

BATCH = 1000
UPDATED_FIELDS = ["hits", "bot_hits", "first_seen_at", "last_seen_at", "referrers"]


@dataclass(frozen=True, kw_only=True)
class FlushReport:
    written: int
    ignored: int
    purged: int
    #: Paths not written: no redirect could have them, their site is gone, or the
    #: database refused their row (each logged).
    failed: int = 0
    #: Rows dropped to keep each site within ``NOT_FOUND_KEEP_PATHS`` (see ``pruning``).
    pruned: int = 0


def write_counts(counts: NotFoundCounts) -> FlushReport:
    """Add ``counts`` to the stored log, then delete entries older than the retention."""
    normalised, unstorable = normalise_counting(counts)
    rules = [*setting_rules(), *NotFoundIgnoreRule.all_rules()]
    entries = {key: e for key, e in normalised.items() if not ignored_by(key[1], rules)}
    sites = set(
        Site.objects.filter(pk__in={key[0] for key in entries}).values_list("pk", flat=True)
    )
    kept = {key: e for key, e in entries.items() if key[0] in sites}
    keys = list(kept)
    refused = 0
    with transaction.atomic():
        locks.hold(locks.NOT_FOUND)  # one flush at a time: see ``pruning``
        for start in range(0, len(keys), BATCH):
            refused += _write_safely({key: kept[key] for key in keys[start : start + BATCH]})
        pruned = prune({site_id for site_id, _path in keys})
        purged = purge_old()
    return FlushReport(
        written=len(kept) - refused,
        ignored=len(normalised) - len(entries),
        purged=purged,
        failed=unstorable + len(entries) - len(kept) + refused,
        pruned=pruned,
    )


def old_path_length() -> int:
    """The longest path a redirect can be made from (core's ``old_path``)."""
    return int(Redirect._meta.get_field("old_path").max_length or 255)


def normalise(counts: NotFoundCounts) -> dict[Key, Entry]:
    """The counts by the path a redirect would have to answer them ("/a/" and "/a" are
    one), without paths no redirect can have."""
    return normalise_counting(counts)[0]


def normalise_counting(counts: NotFoundCounts) -> tuple[dict[Key, Entry], int]:
    """:func:`normalise`, and how many requested paths it dropped."""
    limit = old_path_length()
    merged: dict[Key, Entry] = {}
    dropped = 0
    for (site_id, requested), entry in counts.entries.items():
        try:
            path = matched_path(requested)
        except ValueError:  # a lone surrogate from a job's JSON, and the like
            path = ""
        if not path or len(path) > limit or source_characters_error(path) is not None:
            dropped += 1
            continue
        if (site_id, path) in merged:
            merged[(site_id, path)].merge(entry)
        else:
            merged[(site_id, path)] = entry
    return merged, dropped


def _write_safely(entries: dict[Key, Entry]) -> int:
    """Write ``entries`` in a savepoint. When the database refuses the batch, write each
    half again, down to the row it refuses, which is logged and left out. How many rows
    were left out."""
    try:
        with transaction.atomic():
            _write_batch(entries)
        return 0
    except (DatabaseError, ValueError):
        if len(entries) == 1:
            (site_id, path), entry = next(iter(entries.items()))
            logger.exception(
                "The 404 log could not write %r of site %s (%s hits)", path, site_id, entry.hits
            )
            return 1
    items = list(entries.items())
    half = len(items) // 2
    return _write_safely(dict(items[:half])) + _write_safely(dict(items[half:]))


def _write_batch(entries: dict[Key, Entry]) -> None:
    by_site: dict[int, list[str]] = {}
    for site_id, path in entries:
        by_site.setdefault(site_id, []).append(path)
    match = Q()
    for site_id, paths in by_site.items():
        match |= Q(site_id=site_id, path__in=paths)
    stored = {
        (row.site_id, row.path): row
        for row in NotFoundPath.objects.select_for_update().filter(match)
    }
    rows = []
    for key, entry in entries.items():
        row = stored.get(key) or NotFoundPath(
            site_id=key[0],
            path=key[1],
            first_seen_at=_time(entry.first_seen),
            last_seen_at=_time(entry.last_seen),
        )
        rows.append(_merged(row, entry))
    # MySQL and MariaDB upsert on any unique key and take no conflict target.
    target = ["site", "path"] if connection.features.supports_update_conflicts_with_target else None
    NotFoundPath.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=target, update_fields=UPDATED_FIELDS
    )


def _merged(row: NotFoundPath, entry: Entry) -> NotFoundPath:
    row.hits += entry.hits
    row.bot_hits += entry.bot_hits
    row.first_seen_at = min(row.first_seen_at, _time(entry.first_seen))
    row.last_seen_at = max(row.last_seen_at, _time(entry.last_seen))
    referrers = list(row.referrers or [])
    for referrer in entry.referrers:
        if referrer not in referrers and len(referrers) < MAX_REFERRERS:
            referrers.append(referrer)
    row.referrers = referrers
    return row


def _time(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def purge_old() -> int:
    """Delete entries not seen for ``NOT_FOUND_KEEP_DAYS``; how many."""
    cutoff = timezone.now() - datetime.timedelta(days=conf.not_found_keep_days())
    deleted, _by_model = NotFoundPath.objects.filter(last_seen_at__lt=cutoff).delete()
    return deleted
