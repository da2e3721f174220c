"""Squarespace's URL mappings (Settings, Developer tools, URL mappings), read into rows.

One mapping a line, ``/old -> /new 301`` (or ``302``): the source, the arrow, the target
and the status code, separated by spaces. ``[name]`` in the source matches one segment
and is carried into the target (``/blog/[slug] -> /news/[slug] 301``): the row is marked
``notation: squarespace`` for :func:`read`, which writes those as our ``:name``
(:mod:`wagtail_redirect_tools.patterns`), or refuses what our notation cannot say.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ...patterns import PatternError
from ..limits import MAX_COLUMNS, too_many_columns
from ..plan import PlannedRow
from ..text_lines import Numbered, numbered_lines
from .given import Given
from .notation import from_squarespace

ARROW = "->"
NOTATION = "squarespace"


def read_file(text: str) -> Numbered:
    for number, line in numbered_lines(text):
        fields = line.split(None, MAX_COLUMNS)
        if len(fields) > MAX_COLUMNS:
            raise too_many_columns(number)
        yield number, _row(fields)


def _row(fields: list[str]) -> dict[str, Any]:
    if ARROW in fields:
        arrow = fields.index(ARROW)
        source, rest = " ".join(fields[:arrow]), fields[arrow + 1 :]
    else:  # "/old->/new 301": the arrow without its spaces
        source, _arrow, after = fields[0].partition(ARROW)
        rest = [after, *fields[1:]] if after else fields[1:]
    row: dict[str, Any] = {"from": source, "to": rest[0] if rest else "", "notation": NOTATION}
    row["type"] = rest[1] if len(rest) > 1 else None
    if len(rest) > 2:
        row["__extra__"] = rest[2:]
    return row


def looks_like(line: str) -> bool:
    """``/source -> /target [status]``."""
    fields = line.split()
    return len(fields) >= 3 and fields[1] == ARROW and fields[0].startswith("/")


def read(row: PlannedRow, given: Given) -> None:
    """A mapping's ``[name]`` segments as our ``:name``."""
    if given.cells.get("notation") != NOTATION or "[" not in given.source:
        return
    try:
        given.source, target = from_squarespace(given.source, given.target or "")
    except PatternError as error:
        row.fail(f"{given.source[:80]}: {error}")
        given.source_refused = True
        return
    if given.target:
        given.target = target
    given.pattern = True
    row.note(
        _("Squarespace's [name] segments read as :name: %(source)s.") % {"source": given.source}
    )
