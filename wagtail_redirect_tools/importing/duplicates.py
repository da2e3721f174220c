"""Rows of one file that give the same source twice: the same again is skipped, another
target or time is an error for both rows (windows of one source only where they share a
moment)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from .. import rules
from .plan import Action, PlannedRow, began


def reject_duplicates(rows: list[PlannedRow], now: datetime.datetime) -> None:
    # The first row of each source by its path, in a dict per kind, site and source
    # page, and a list only for a source with more rows: a list and a key per row
    # cost a 100,000-row preview 20 MB at its peak.
    first_rows: dict[tuple[Any, ...], dict[str, PlannedRow]] = {}
    later_rows: dict[tuple[Any, ...], list[PlannedRow]] = {}
    for row in rows:
        if row.action in (Action.ERROR, Action.SKIP):  # a row disabled in the file
            continue
        group = first_rows.setdefault((row.kind, row.site_id, row.source_page_id), {})
        first = group.setdefault(row.old_path, row)
        if first is row:
            continue
        key = (row.kind, row.site_id, row.old_path, row.source_page_id)
        later = later_rows.setdefault(key, [])
        clashing = [
            earlier
            for earlier in (first, *later)
            if row.kind == "redirect" or _windows_overlap(earlier, row, now)
        ]
        later.append(row)
        if not clashing:
            continue  # new, or one more window of a source after another
        earlier = clashing[0]
        if _same(earlier, row):
            row.action = Action.SKIP
            row.note(_("The same as row %(row)s.") % {"row": earlier.number})
            continue
        message = _("Row %(a)s and row %(b)s give %(source)s different targets or times.")
        params = {"a": earlier.number, "b": row.number, "source": row.source_label}
        for duplicate in (earlier, row):
            if duplicate.action != Action.ERROR:
                duplicate.fail(message % params)


def _windows_overlap(a: PlannedRow, b: PlannedRow, now: datetime.datetime) -> bool:
    """Two rows' windows share a moment (see :func:`.plan.began`)."""
    if a.expires_at is None or b.expires_at is None:
        return True
    return rules.windows_overlap(
        (began(a.starts_at, a.expires_at, now), a.expires_at),
        (began(b.starts_at, b.expires_at, now), b.expires_at),
    )


def _same(a: PlannedRow, b: PlannedRow) -> bool:
    return (a.target, a.status_code, a.starts_at, a.expires_at) == (
        b.target,
        b.status_code,
        b.starts_at,
        b.expires_at,
    )
