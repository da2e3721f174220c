"""Rows against what the database holds: a redirect or window the same as one that exists
is unchanged, one that differs is updated, skipped or an error as the editor chose, and a
window may replace one existing window of its source that it overlaps, once."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from .. import rules
from .context import ImportContext, Target
from .options import ImportOptions, OnExisting
from .plan import Action, PlannedRow, began


class Comparison:
    def __init__(
        self, context: ImportContext, options: ImportOptions, now: datetime.datetime
    ) -> None:
        self.context, self.options, self.now = context, options, now
        self.claimed_windows: dict[int, int] = {}  # existing window pk → the row replacing it

    def compare(self, rows: list[PlannedRow]) -> None:
        for row in rows:
            if row.action != Action.NEW:
                continue
            if row.kind == "redirect":
                self.compare_redirect(row)
            else:
                self._compare_window(row)

    def compare_redirect(self, row: PlannedRow) -> None:
        existing = self.context.redirects.get(row.key)
        if existing is None:
            return
        same = (existing.status_code, existing.reason, existing.every_language, existing.is_pattern)
        if same == (row.status_code, row.reason, row.every_language, row.is_pattern) and (
            existing.target == row.target
            or (row.written_link and existing.target == Target(link=row.written_link))
        ):
            row.action = Action.UNCHANGED  # (a link that is a page's URL, as it was stored)
            return
        self._apply_policy(row, existing.pk)

    def _apply_policy(self, row: PlannedRow, pk: int) -> None:
        policy = self.options.on_existing
        if policy == OnExisting.UPDATE:
            row.action, row.existing_pk = Action.UPDATE, pk
        elif policy == OnExisting.SKIP:
            row.action = Action.SKIP
            row.note(_("Already redirected; kept as it is."))
        else:
            row.fail(_("%(source)s already has a redirect.") % {"source": row.source_label})

    def _compare_window(self, row: PlannedRow) -> None:
        assert row.expires_at is not None  # noqa: S101 (a window row without expiry has failed)
        windows = self.context.windows.get((row.site_id, row.old_path, row.source_page_id), [])
        # Among all of the source's windows: an ended one without a start overlaps none.
        if any(
            (w.target, w.status_code, w.starts_at, w.expires_at, w.reason)
            == (row.target, row.status_code, row.starts_at, row.expires_at, row.reason)
            for w in windows
        ):
            row.action = Action.UNCHANGED
            return
        starts_at = began(row.starts_at, row.expires_at, self.now)
        overlapping = [w for w in windows if w.overlaps(starts_at, row.expires_at)]
        ended = row.expires_at <= self.now
        if ended:
            # History (an export's ended window, restored): written as an ended window
            # that never redirects, and that replaces no window still running or to come.
            row.note(rules.window_ended_note(row.expires_at))
        if ended and any(w.expires_at > self.now for w in overlapping):
            row.fail(str(rules.ended_window_overlap_error().message))
        elif len(overlapping) > 1:
            row.fail(
                _("The window overlaps %(count)s scheduled redirects of the same source.")
                % {"count": len(overlapping)}
            )
        elif overlapping and overlapping[0].pk in self.claimed_windows:
            row.fail(
                _("Row %(row)s already replaces the scheduled redirect this window overlaps.")
                % {"row": self.claimed_windows[overlapping[0].pk]}
            )
        elif overlapping:
            self.claimed_windows[overlapping[0].pk] = row.number
            self._apply_policy(row, overlapping[0].pk)
