"""Decide what an import would do to every row, without writing anything.

Each row becomes a :class:`~.plan.PlannedRow`: new, update, unchanged, skip or error,
with a reason an editor can act on. :func:`plan_import` passes the file once through
each of the planner's parts: every row read (:mod:`.rows`, with other tools' quirks in
:mod:`.tools`), then the checks that need the whole file and the database: duplicates
(:mod:`.duplicates`), what exists (:mod:`.existing`), loops and chains
(:mod:`.chains`), targets nothing answers (:mod:`.unanswered`), live pages under a
pattern (:mod:`.pattern_pages`), the user's permissions (:mod:`.rights`). The preview and the import
plan alike, so they make the same decisions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from .chains import follow_chains
from .context import ImportContext
from .duplicates import reject_duplicates
from .existing import Comparison
from .links import LinkKeys
from .options import ImportOptions, OnExisting
from .pattern_pages import warn_live_pages_under_patterns
from .plan import Action, ImportPlan, PlannedRow
from .reading import Table
from .rights import check_permissions
from .rows import RowReader
from .translations import tie_groups, with_translations
from .unanswered import warn_unanswered_targets

Progress = Callable[[int, int], None]


def plan_import(
    table: Table,
    options: ImportOptions,
    *,
    context: ImportContext | None = None,
    progress: Progress | None = None,
    user: Any = None,
    consume: bool = False,
) -> ImportPlan:
    """What importing ``table`` with ``options`` would do to each row (for ``user``, if
    given: rows that need a permission they lack are errors).

    With ``consume`` (a caller that has no further use for ``table``), each row's cells
    are let go once the row is read, so that a large file's cells and its planned rows
    are not all held at once: the table is emptied (its rows None)."""
    context = context or ImportContext.load()
    now = timezone.now()
    links = LinkKeys(context)
    reader = RowReader(context, options, links)
    total = len(table)
    rows = []
    groups = []  # each row with its translations' rows
    for index, (number, cells) in enumerate(zip(table.numbers, table.rows, strict=True)):
        row = reader.read(number, cells)
        rows.append(row)
        if cells.get("translations") and (others := with_translations(row, cells["translations"])):
            rows.extend(others)
            groups.append([row, *others])
        if consume:
            table.rows[index] = None  # type: ignore[call-overload]
        if progress is not None and index % 1000 == 999:
            progress(index + 1, total)
    reject_duplicates(rows, now)
    comparison = Comparison(context, options, now)
    comparison.compare(rows)
    follow_chains(rows, context, links, comparison)
    warn_unanswered_targets(rows, context, links)
    warn_live_pages_under_patterns(rows, context)
    if user is not None:
        check_permissions(rows, user)
    tie_groups(groups)
    if progress is not None:
        progress(total, total)
    return ImportPlan(rows=rows, ignored_columns=table.ignored_columns)


__all__ = ["Action", "ImportOptions", "ImportPlan", "OnExisting", "PlannedRow", "plan_import"]
