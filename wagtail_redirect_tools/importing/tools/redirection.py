"""WordPress Redirection's action: what a matched source does.

Its ``type`` column (read as ``action`` when a ``code`` column holds the status code)
says ``url`` for a redirect and ``error`` for an error page, which is ours to serve only
as 410 gone (other codes are refused as the row's status code). Netlify's rewrites
(200) and custom 404 pages are written into the same column by :mod:`.netlify`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..plan import PlannedRow
from .given import Given, text

REDIRECT_ACTIONS = ("", "url", "redirect")


def read(row: PlannedRow, given: Given) -> None:
    cell = given.cells.get("action")
    if cell is None:
        return  # a file without the column (most files)
    action = text(cell)
    if action in REDIRECT_ACTIONS or (
        action == "error" and (given.file_status == 410 or given.bad_status)
    ):
        return
    if action.isdigit() and int(action) == given.file_status:
        return
    row.fail(
        _(
            "The file's action for this row is '%(action)s'; only redirects (and 410 "
            "gone) can be imported."
        )
        % {"action": action[:40]}
    )
