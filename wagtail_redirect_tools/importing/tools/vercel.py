"""Vercel's ``vercel.json`` redirects (vercel.com/docs, "Configuration redirects"), the
same ``source``/``destination`` objects Next.js's ``redirects()`` returns.

Each is ``{"source", "destination", "permanent", "statusCode", "has", "missing"}``:
``permanent`` (true by default) is 308 and false is 307, unless ``statusCode`` says;
``has`` and ``missing`` are conditions (a header, a cookie, a host, a query), which a
redirect of a path cannot keep, and are refused in the ``matching`` column. The source's
``:name`` segments and a final ``:name*`` are read by :func:`read` as our pattern
notation (:func:`.notation.from_vercel`); regular expressions in it are refused.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ...patterns import PatternError
from ..plan import PlannedRow
from .given import Given
from .notation import from_vercel

NOTATION = "vercel"


def is_vercel(items: list[Any]) -> bool:
    """Whether a JSON file's ``redirects`` are Vercel's (WordPress Redirection's have a
    ``url`` and ``action_data``)."""
    return any(isinstance(item, dict) and "destination" in item for item in items)


def json_row(item: dict[str, Any]) -> dict[str, Any]:
    status = item.get("statusCode")
    if status is None:
        status = 307 if item.get("permanent", True) is False else 308
    row: dict[str, Any] = {
        "source": item.get("source"),
        "destination": item.get("destination"),
        "code": status,
        "notation": NOTATION,
    }
    conditions = [name for name in ("has", "missing") if item.get(name)]
    if conditions:
        row["matching"] = f"conditions ({conditions[0]})"
    return row


def read(row: PlannedRow, given: Given) -> None:
    if given.cells.get("notation") != NOTATION:
        return
    try:
        source, target = from_vercel(given.source, given.target or "")
    except PatternError as error:
        row.fail(f"{given.source[:80]}: {error}")
        given.source_refused = True
        return
    if source != given.source or target != (given.target or ""):
        row.note(
            _("Vercel's %(source)s read as %(pattern)s.")
            % {"source": given.source[:80], "pattern": source[:80]}
        )
    given.source = source
    if given.target:
        given.target = target
