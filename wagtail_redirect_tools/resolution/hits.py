"""Hit counts without a database write per request.

Each process counts the hits of core redirects and scheduled windows in memory.
At most every ``HITS_FLUSH_SECONDS`` the middleware hands the counts over to the
``flush_hits_task`` job (django-tasks), which adds them to the database in a few
UPDATEs with :func:`write_hits`. A process that stops loses at most one interval.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from .. import conf
from ..models import RedirectDetails, ScheduledRedirect

Kind = Literal["redirect", "window"]
BATCH = 500


@dataclass
class HitCounts:
    """Counts by kind and pk: ``{pk: (hits, time of the last hit)}``."""

    redirect: dict[int, tuple[int, datetime.datetime]] = field(default_factory=dict)
    window: dict[int, tuple[int, datetime.datetime]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.redirect or self.window)

    def to_json(self) -> dict[str, list[list[int | str]]]:
        """Lists rather than dicts: JSON would turn the pks into strings."""
        return {
            kind: [[pk, hits, last.isoformat()] for pk, (hits, last) in getattr(self, kind).items()]
            for kind in ("redirect", "window")
        }

    @classmethod
    def from_json(cls, data: dict[str, list[list[int | str]]]) -> HitCounts:
        counts = cls()
        for kind in ("redirect", "window"):
            getattr(counts, kind).update(
                {
                    int(pk): (int(hits), datetime.datetime.fromisoformat(str(last)))
                    for pk, hits, last in data.get(kind, [])
                }
            )
        return counts

    def add(self, kind: Kind, pk: int, when: datetime.datetime) -> None:
        counts = getattr(self, kind)
        hits = counts[pk][0] if pk in counts else 0
        counts[pk] = (hits + 1, when)


_lock = threading.Lock()
_pending = HitCounts()
_flushed_at = time.monotonic()


def record_hit(kind: Kind, pk: int) -> None:
    """Count a hit of a redirect or a window, now."""
    now = timezone.now()
    with _lock:
        _pending.add(kind, pk, now)


def take_due(*, force: bool = False) -> HitCounts | None:
    """The counts gathered since the last hand-over, if one is due (and resets them)."""
    global _pending, _flushed_at
    with _lock:
        if not _pending:
            return None
        if not force and time.monotonic() - _flushed_at < conf.hits_flush_seconds():
            return None
        due, _pending, _flushed_at = _pending, HitCounts(), time.monotonic()
    return due


def forget() -> None:
    global _pending, _flushed_at
    with _lock:
        _pending, _flushed_at = HitCounts(), time.monotonic()


def write_hits(counts: HitCounts) -> dict[str, int]:
    """Add ``counts`` to the database: one SELECT, one INSERT of missing details and one
    UPDATE per 500 redirects; one UPDATE per 500 windows. Deleted rows are skipped."""
    with transaction.atomic():
        redirects = _write(RedirectDetails, _with_details(counts.redirect))
        windows = _write(ScheduledRedirect, counts.window)
    return {"redirects": redirects, "windows": windows}


def _with_details(
    counts: dict[int, tuple[int, datetime.datetime]],
) -> dict[int, tuple[int, datetime.datetime]]:
    """``counts`` for redirects that still exist, each with a details row to count on."""
    existing = {}
    missing = []
    pks = list(counts)
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        rows = Redirect.objects.filter(pk__in=chunk).values(
            "pk", "is_permanent", "automatically_created", "details__pk"
        )
        for row in rows:
            details_pk = row.pop("details__pk")
            existing[row["pk"]] = counts[row["pk"]]
            if details_pk is None:  # a redirect core made: its details say what core says
                missing.append(RedirectDetails.implied_by_core(Redirect(**row)))
    RedirectDetails.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
    return existing


def _write(
    model: type[RedirectDetails] | type[ScheduledRedirect],
    counts: dict[int, tuple[int, datetime.datetime]],
) -> int:
    pks = list(counts)
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        added = Case(*[When(pk=pk, then=Value(counts[pk][0])) for pk in chunk])
        last = Case(*[When(pk=pk, then=Value(counts[pk][1])) for pk in chunk])
        model.objects.filter(pk__in=chunk).update(
            hits=F("hits") + added,
            # Never move the last hit back in time (hits can arrive out of order).
            last_hit_at=Case(
                When(last_hit_at__gt=last, then=F("last_hit_at")),
                default=Coalesce(last, F("last_hit_at")),
            ),
        )
    return len(pks)
