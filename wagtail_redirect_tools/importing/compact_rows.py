"""A file's rows held compactly until each is planned.

A row is a dict of column name to cell for those who read it, but a million dicts of
the same seven names held at once were most of a large preview's memory (~360 bytes a
row for the dict alone). :class:`CompactRows` holds the names once and each row's cells
as a tuple in their order (~100 bytes), and hands out a dict for a row when it is read.
A row with other names than the first row's (rare: cells past the header) is held as the
dict it was. Short cells that repeat down a column (``301``, ``yes``) are held once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, overload

#: Cells up to this long are held once however many rows repeat them.
SHARED_LENGTH = 8


class CompactRows:
    """A list of rows (dicts, or None for a row let go) that holds dense rows as tuples.

    ``columns``: the names every tuple row has, in order (the first row's, when none are
    given). Rows are read as dicts (a new dict each time: changing one does not
    change the row); setting a row replaces it (None lets it go)."""

    __slots__ = ("_rows", "_shared", "columns")

    def __init__(self, columns: Iterable[str] | None = None) -> None:
        self.columns: list[str] = list(columns or ())
        self._rows: list[tuple[Any, ...] | dict[str, Any] | None] = []
        self._shared: dict[str, str] = {}

    def append(self, row: dict[str, Any]) -> None:
        self._rows.append(self._held(row))

    def append_cells(self, cells: list[Any]) -> None:
        """A row given as its cells in ``columns``' order; missing trailing cells are
        None, and cells past the columns are left out."""
        missing = len(self.columns) - len(cells)
        if missing > 0:
            cells.extend([None] * missing)
        elif missing < 0:
            del cells[len(self.columns) :]
        self._rows.append(self._tuple(cells))

    def names(self) -> list[str]:
        """Every column name a row has, each once, in the order they first appear."""
        names = dict.fromkeys(self.columns)
        for row in self._rows:
            if type(row) is dict:
                names.update(dict.fromkeys(row))
        return list(names)

    def _held(self, row: dict[str, Any] | None) -> tuple[Any, ...] | dict[str, Any] | None:
        if row is None:
            return None
        if not self.columns:
            self.columns = list(row)
        if list(row) == self.columns:
            return self._tuple(row.values())
        return row

    def _tuple(self, cells: Iterable[Any]) -> tuple[Any, ...]:
        # One comprehension, no call a cell: a million rows' seven cells each.
        shared = self._shared
        return tuple(
            [
                shared.setdefault(value, value)
                if value.__class__ is str and len(value) <= SHARED_LENGTH
                else value
                for value in cells
            ]
        )

    def _row(self, held: tuple[Any, ...] | dict[str, Any] | None) -> dict[str, Any] | None:
        if type(held) is tuple:
            return dict(zip(self.columns, held, strict=True))
        return None if held is None else dict(held)  # a copy, as for a tuple row

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._row(held) for held in self._rows[index]]
        return self._row(self._rows[index])

    def __setitem__(self, index: int, row: dict[str, Any] | None) -> None:
        self._rows[index] = self._held(row)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for held in self._rows:
            yield self._row(held)  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CompactRows | list):
            return len(self) == len(other) and all(
                mine == theirs for mine, theirs in zip(self, other, strict=True)
            )
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CompactRows({list(self)!r})"
