"""What other redirect tools' exports say beyond our own columns, each tool in a module.

The columns of those exports are named into ours by :mod:`..columns`; what some of their
cells mean is a quirk of one tool, read here: :mod:`.patterns` (a source that matches
more than one exact path), :mod:`.redirection` (WordPress Redirection's action),
:mod:`.drupal` (Drupal's query column and its ``internal:`` targets) and :mod:`.yoast`
(Yoast SEO's target of a gone redirect), :mod:`.vercel` and :mod:`.squarespace` (their
notation of a pattern, read into ours by :mod:`.notation`). Netlify's ``_redirects``,
Apache's rules and Squarespace's URL mappings are read into rows by :mod:`.netlify`,
:mod:`.apache` and :mod:`.squarespace`, which mark what a rule matches beyond a path, or
does other than redirect, in the same columns.

Every tool has one entry, ``read(row, given)``: it fails or annotates ``row`` and may
give the source or the target as this site reads them. The planner calls
:func:`read_row` once for each row, which asks each tool in turn.
"""

from __future__ import annotations

from ..plan import PlannedRow
from . import drupal, patterns, redirection, squarespace, vercel, yoast
from .given import Given

TOOLS = (vercel, squarespace, patterns, redirection, drupal, yoast)


def read_row(row: PlannedRow, given: Given) -> None:
    """Each tool's reading of ``row``'s cells, in turn; ``given`` holds the source and
    the target as the tools leave them."""
    for tool in TOOLS:
        tool.read(row, given)


__all__ = ["TOOLS", "Given", "read_row"]
