"""What one cell and one row of an imported file may hold, and the errors that say so.

Excel's own limits: a cell holds at most 32,767 characters and a row at most 16,384
cells. Every reader checks them as it reads (a workbook's parts as they unpack, a CSV
row before ``csv`` splits it), so a file that packs or parses small cannot make a
request hold more than it; a page shows at most ``LABEL_LENGTH`` characters of a value.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .errors import ImportLimitError

MAX_CELL_LENGTH = 32_767
MAX_COLUMNS = 16_384
# What a page or a kept plan holds of a value a row shows: more than any path or target
# the import keeps (255), so only a value that is refused anyway is cut.
LABEL_LENGTH = 300


def cut(value: str, length: int = LABEL_LENGTH) -> str:
    """``value``, or its first ``length - 1`` characters and an ellipsis."""
    return value if len(value) <= length else value[: length - 1] + "…"


def cell_too_long(row: int | str, column: str | None = None) -> ImportLimitError:
    """A cell of ``row`` (in ``column``, when known) holds more than MAX_CELL_LENGTH."""
    values = {"row": row, "column": column, "limit": f"{MAX_CELL_LENGTH:,}"}
    if column is None:
        message = _(
            "Row %(row)s holds a cell of more than %(limit)s characters, the most a cell "
            "may hold (as in Excel). Shorten it, or delete its column if the import does "
            "not use it."
        )
    else:
        message = _(
            "Row %(row)s, column %(column)s holds more than %(limit)s characters, the most "
            "a cell may hold (as in Excel). Shorten it, or delete the column if the import "
            "does not use it."
        )
    return ImportLimitError(message % values)


def too_many_columns(row: int | str) -> ImportLimitError:
    return ImportLimitError(
        _(
            "Row %(row)s has more than %(limit)s columns, the most a row may have (as in "
            "Excel). Delete the columns the import does not use (from, to, type, site, "
            "starts_at, expires_at, reason)."
        )
        % {"row": row, "limit": f"{MAX_COLUMNS:,}"}
    )


def check_text_cells(row: int, values: list[str]) -> None:
    """Refuse a row of text cells (a CSV row) with one longer than MAX_CELL_LENGTH,
    naming its column by number."""
    if values and max(map(len, values)) > MAX_CELL_LENGTH:
        index = next(i for i, value in enumerate(values) if len(value) > MAX_CELL_LENGTH)
        raise cell_too_long(row, str(index + 1))


def check_named_cells(row: int, cells: dict[str, Any]) -> None:
    """Refuse a row read by name (a JSON object, a Netlify or Apache line) with a text
    value longer than MAX_CELL_LENGTH, naming its column."""
    for name, value in cells.items():
        if isinstance(value, str) and len(value) > MAX_CELL_LENGTH:
            raise cell_too_long(row, f"'{cut(str(name), 60)}'")
