"""Sources that match more than one exact path, as other tools mark them.

WordPress Redirection's ``regex`` column (0 or 1), Rank Math's ``matching`` (``exact``,
``contains``, ``start``, ``end``, ``regex``), Yoast SEO's ``Format`` (``plain`` or
``regex``), and what :mod:`.apache` writes for ``RedirectMatch`` and ``RewriteRule``
(``regex``) and :mod:`.netlify` for splats, placeholders and conditions (``matching``).
Only redirects of one exact path are imported: the others are refused.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..plan import PlannedRow
from .given import Given, flag, text

EXACT_MATCHING = ("", "exact", "plain", "url")
REGEX_MATCHING = ("regex", "regexp", "regular_expression")


def read(row: PlannedRow, given: Given) -> None:
    regex_cell, matching_cell = given.cells.get("regex"), given.cells.get("matching")
    if regex_cell is None and matching_cell is None:
        return  # a file without these columns (most files)
    regex = flag(regex_cell, blank=False)
    matching = text(matching_cell)
    if regex is None:
        row.fail(
            _("'%(value)s' in the 'regex' column is neither yes nor no.")
            % {"value": str(regex_cell)[:40]}
        )
    elif regex or matching in REGEX_MATCHING:
        row.fail(
            _(
                "'%(value)s' is a regular expression, and regular expressions are not "
                "supported: give each path on a row of its own."
            )
            % {"value": given.source[:80]}
        )
    elif matching not in EXACT_MATCHING:
        row.fail(
            _(
                "The file matches this source by '%(kind)s'; only redirects of one "
                "exact path can be imported."
            )
            % {"kind": matching[:40]}
        )
