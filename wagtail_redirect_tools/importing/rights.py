"""What a user may import: scheduled rows need the scheduled-redirect permissions, and a
window on a page needs edit rights on the page (core's permissions are checked by
whoever lets the user import at all)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..editing.permissions import scheduled_redirect_policy, window_pages_refused
from .plan import Action, PlannedRow


def check_permissions(rows: list[PlannedRow], user: Any) -> None:
    """Scheduled rows need the scheduled-redirect permissions (core's are checked by
    whoever lets ``user`` import at all)."""
    allowed: dict[str, bool] = {
        Action.NEW: scheduled_redirect_policy.user_has_permission(user, "add"),
        Action.UPDATE: scheduled_redirect_policy.user_has_permission(user, "change"),
    }
    for row in rows:
        if row.kind == "scheduled" and not allowed.get(row.action, True):
            row.fail(_("You do not have permission to add or change scheduled redirects."))
    # A window on a page also needs edit rights on the page (issue 29, item 11).
    writes = [row for row in rows if row.kind == "scheduled" and row.action in allowed]
    refused = window_pages_refused(user, [row.source_page_id for row in writes])
    for row in writes:
        if row.source_page_id in refused:
            row.fail(_("You may not redirect this page: that needs permission to edit it."))
