"""Sources that match more than one exact path, as other tools mark them.

WordPress Redirection's ``regex`` column (0 or 1), Rank Math's ``matching`` (``exact``,
``contains``, ``start``, ``end``, ``regex``), Yoast SEO's ``Format`` (``plain`` or
``regex``), and what :mod:`.apache` writes for ``RedirectMatch`` and ``RewriteRule``
(``regex``) and :mod:`.netlify` for query parameters and conditions (``matching``).
A regular expression that is a literal prefix followed by ``(.*)`` becomes a pattern
redirect (:func:`.notation.from_regex`); other expressions and other matching are
refused, saying why. A row its file marks as exact is one exact path, whatever its
characters.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ...patterns import PatternError
from ..plan import PlannedRow
from .given import Given, flag, text
from .notation import from_regex

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
        _read_regex(row, given)
    elif matching not in EXACT_MATCHING:
        row.fail(
            _(
                "The file matches this source by '%(kind)s'; only redirects of one "
                "exact path, and patterns, can be imported."
            )
            % {"kind": matching[:40]}
        )
    else:
        given.pattern = False


def _read_regex(row: PlannedRow, given: Given) -> None:
    """A regular expression of the one shape a pattern says; a row error otherwise."""
    try:
        source, target = from_regex(given.source, given.target or "")
    except PatternError as error:
        row.fail(f"{given.source[:80]}: {error}")
        given.source_refused = True
        return
    row.note(
        _("The regular expression %(regex)s is read as the pattern %(pattern)s.")
        % {"regex": given.source[:80], "pattern": source[:80]}
    )
    given.source, given.pattern = source, True
    if given.target:
        given.target = target
