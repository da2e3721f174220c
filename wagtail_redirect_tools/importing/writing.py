"""Write an import plan: all its rows in one transaction, in bulk, or nothing."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connections
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from .. import rules
from ..database.arrays import (
    ROWS_PER_BATCH,
    insert_rows,
    new_ids,
    rows_per_batch,
    save_fields,
    update_rows,
    uses_arrays,
)
from ..models import (
    BOOKKEEPING_FIELDS,
    REDIRECT_INSERT_FIELDS,
    Origin,
    RedirectDetails,
    RedirectImport,
    ScheduledRedirect,
)
from ..resolution.stamps import redirects_changed, windows_changed
from .plan import Action, PlannedRow

BATCH_SIZE = ROWS_PER_BATCH
T = TypeVar("T")
Progress = Callable[[int, int], None]


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    windows: list[ScheduledRedirect] = field(default_factory=list)  # created or changed


def chunks(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_rows(
    rows: list[PlannedRow],
    *,
    record: RedirectImport | None,
    user: Any = None,
    progress: Progress | None = None,
) -> Written:
    """Create and update the redirects and windows of ``rows`` (new and update rows only).

    Runs in the caller's transaction (the service opens one): a database error
    leaves nothing behind.
    """
    user_id = getattr(user, "pk", None)
    redirects = [row for row in rows if row.kind == "redirect"]
    windows = [row for row in rows if row.kind == "scheduled"]
    total, done = len(rows), 0
    written = Written()
    size = rows_per_batch(connections[Redirect.objects.db])
    for chunk in chunks(redirects, size):
        written.created += _create_redirects(
            [row for row in chunk if row.action == Action.NEW], record, user_id
        )
        written.updated += _update_redirects(
            [row for row in chunk if row.action == Action.UPDATE], record, user_id
        )
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    for chunk in chunks(windows):
        created = _create_windows(
            [row for row in chunk if row.action == Action.NEW], record, user_id
        )
        updated = _update_windows([row for row in chunk if row.action == Action.UPDATE], record)
        written.windows.extend(created + updated)
        written.created += len(created)
        written.updated += len(updated)
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    if redirects:
        redirects_changed()
    if windows:
        windows_changed()
    return written


def _redirect_fields(row: PlannedRow) -> dict[str, Any]:
    return {
        "redirect_page_id": row.page_id,
        "redirect_page_route_path": row.route_path,
        "redirect_link": row.link,
        "is_permanent": rules.is_permanent_for_core(row.status_code or 301),
    }


def _details(
    pk: int, row: PlannedRow, record: RedirectImport | None, user_id: Any
) -> RedirectDetails:
    """``_details_row`` as a model instance, for ``bulk_create()``."""
    values = _details_row(pk, row, record.pk if record is not None else None, user_id)
    return RedirectDetails(**dict(zip(_details_attnames(), values, strict=True)))


@functools.cache
def _details_attnames() -> tuple[str, ...]:
    meta = RedirectDetails._meta
    return tuple(str(meta.get_field(name).attname) for name in DETAILS_NAMES)  # type: ignore[union-attr]


def _create_redirects(rows: list[PlannedRow], record: RedirectImport | None, user_id: Any) -> int:
    if not rows:
        return 0
    if uses_arrays(connections[Redirect.objects.db]):
        pks = _insert_redirects(rows)
        _insert_details(pks, rows, record, user_id)
        return len(pks)
    created = Redirect.objects.bulk_create(
        [
            Redirect(site_id=row.site_id, old_path=row.old_path, **_redirect_fields(row))
            for row in rows
        ]
    )
    pks = created_pks(created)
    RedirectDetails.objects.bulk_create(
        [_details(pk, row, record, user_id) for pk, row in zip(pks, rows, strict=True)]
    )
    return len(created)


def _insert_redirects(rows: list[PlannedRow]) -> list[int]:
    """PostgreSQL: the rows' redirects in one statement, with ids taken from the table's
    sequence first (in row order)."""
    now = timezone.now()
    pks = new_ids(Redirect, len(rows))
    insert_rows(
        Redirect,
        ("id", *REDIRECT_INSERT_FIELDS),
        [
            (
                pk,
                row.old_path,
                row.site_id,
                rules.is_permanent_for_core(row.status_code or 301),
                row.page_id,
                row.route_path,
                row.link,
                False,
                now,
            )
            for pk, row in zip(pks, rows, strict=True)
        ],
    )
    return pks


def _insert_details(
    pks: list[int], rows: list[PlannedRow], record: RedirectImport | None, user_id: Any
) -> None:
    record_id = record.pk if record is not None else None
    insert_rows(
        RedirectDetails,
        DETAILS_NAMES,
        [_details_row(pk, row, record_id, user_id) for pk, row in zip(pks, rows, strict=True)],
    )


def _details_row(pk: Any, row: PlannedRow, record_id: Any, user_id: Any) -> tuple[Any, ...]:
    """The values of ``DETAILS_NAMES`` for the redirect ``pk`` that ``row`` writes."""
    return (
        pk,
        row.status_code or 301,
        Origin.IMPORT,
        row.reason,
        row.every_language,
        record_id,
        user_id,
        0,
        row.is_pattern,
    )


# What an import changes in the details of a redirect it updates.
DETAILS_UPDATED = (
    "status_code",
    "origin",
    "reason",
    "every_language",
    "source_import",
    "is_pattern",
)
DETAILS_NAMES = (
    "redirect",
    "status_code",
    "origin",
    "reason",
    "every_language",
    "source_import",
    "created_by",
    "hits",
    "is_pattern",
)


def created_pks(created: list[Redirect]) -> list[int]:
    """The ids of redirects just written by bulk_create(), in its order.

    PostgreSQL, SQLite and MariaDB return them from the INSERT itself. MySQL cannot: there
    they are read back by site and path, which the planner made unique among the rows it
    writes, and which the import's lock keeps unique against other writers until the
    transaction ends (all-sites duplicates that existed before: the newest, the one
    just written).
    """
    if all(redirect.pk is not None for redirect in created):
        return [redirect.pk for redirect in created]
    keys = [(redirect.site_id, redirect.old_path) for redirect in created]
    found: dict[tuple[int | None, str], int] = {}
    written = Redirect.objects.filter(old_path__in={path for _site, path in keys})
    for pk, site_id, old_path in written.order_by("pk").values_list("pk", "site_id", "old_path"):
        found[(site_id, old_path)] = pk  # ascending: the newest of duplicates wins
    return [found[key] for key in keys]


def _update_redirects(rows: list[PlannedRow], record: RedirectImport | None, user_id: Any) -> int:
    if not rows:
        return 0
    if uses_arrays(connections[Redirect.objects.db]):
        _update_from_arrays(rows, record, user_id)
        return len(rows)
    changed = [Redirect(pk=row.existing_pk, **_redirect_fields(row)) for row in rows]
    Redirect.objects.bulk_update(changed, list(_redirect_fields(rows[0])))
    upsert_details(
        [_details(row.existing_pk, row, record, user_id) for row in rows],  # type: ignore[arg-type]
        list(DETAILS_UPDATED),
    )
    return len(changed)


def _update_from_arrays(
    rows: list[PlannedRow], record: RedirectImport | None, user_id: Any
) -> None:
    """PostgreSQL: the rows' redirects changed in one UPDATE and their details upserted in
    one INSERT, from arrays (as ``upsert_details``: the creator is kept, hits start at 0)."""
    update_rows(
        Redirect,
        ("id", *_redirect_fields(rows[0])),
        [(row.existing_pk, *_redirect_fields(row).values()) for row in rows],
    )
    record_id = record.pk if record is not None else None
    insert_rows(
        RedirectDetails,
        DETAILS_NAMES,
        [_details_row(row.existing_pk, row, record_id, user_id) for row in rows],
        update_on_conflict=DETAILS_UPDATED,
    )


def upsert_details(details: list[RedirectDetails], update_fields: list[str]) -> None:
    """Insert these details rows, or update ``update_fields`` of the redirect's existing one.

    One statement per batch on every database: PostgreSQL and SQLite name the conflicting
    column (``ON CONFLICT (redirect_id)``); MySQL and MariaDB cannot name it and update on
    any unique key (``ON DUPLICATE KEY UPDATE``), which for a new row without a primary
    key is the same one.
    """
    connection = connections[RedirectDetails.objects.db]
    named = connection.features.supports_update_conflicts_with_target
    RedirectDetails.objects.bulk_create(
        details,
        update_conflicts=True,
        update_fields=update_fields,
        unique_fields=["redirect"] if named else None,
    )


def _window_fields(row: PlannedRow) -> dict[str, Any]:
    return {
        "redirect_page_id": row.page_id,
        "redirect_page_route_path": row.route_path,
        "redirect_link": row.link,
        "status_code": row.status_code,
        "starts_at": row.starts_at,
        "expires_at": row.expires_at,
        "reason": row.reason,
    }


def _create_windows(
    rows: list[PlannedRow], record: RedirectImport | None, user_id: Any
) -> list[ScheduledRedirect]:
    if not rows:
        return []
    now = timezone.now()
    windows = []
    for row in rows:
        window = ScheduledRedirect(
            site_id=row.site_id,
            old_path=row.old_path,
            source_page_id=row.source_page_id,
            created_by_id=user_id,
            source_import=record,
            **_window_fields(row),
        )
        window.record_as_history(now)  # a row that has ended: history, not a transition
        windows.append(window)
    return ScheduledRedirect.objects.bulk_create(windows)


def _update_windows(
    rows: list[PlannedRow], record: RedirectImport | None
) -> list[ScheduledRedirect]:
    if not rows:
        return []
    now = timezone.now()
    windows = ScheduledRedirect.objects.in_bulk([row.existing_pk for row in rows])
    changed = []
    for row in rows:
        window = windows[row.existing_pk]
        for name, value in _window_fields(row).items():
            setattr(window, name, value)
        window.source_import, window.updated_at = record, now
        window.reset_bookkeeping(now)
        changed.append(window)
    fields = [*_window_fields(rows[0]), "source_import", "updated_at", *BOOKKEEPING_FIELDS]
    # From arrays on PostgreSQL: with bulk_update()'s CASE per column, 10,000 changed
    # windows took 28 s of a 38 s import under the profiler, in ten batches.
    save_fields(changed, fields)
    return changed
