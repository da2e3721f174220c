"""The rows an upload read, kept with its import so the preview and the confirm plan
from them instead of parsing the file again.

A :class:`~.reading.Table` is written as compact JSON lines: a head (the column names
once), then a line per thousand rows, each row's cells in the head's order (trailing empty
cells left out). It is written to a file and read back a line at a time, so a
million-row file's rows are never also held as one string of JSON or one list of lists.
Rows kept by version 1 (one JSON document) still load. Cells JSON has no type for
(a workbook's dates, times and durations, a float that is not a number) are tagged, so
each comes back as the type it was read as.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import IO, Any

from .compact_rows import CompactRows
from .reading import Table

VERSION = 2


def write_table(table: Table, target: IO[bytes]) -> None:
    columns = (
        table.rows.names()
        if isinstance(table.rows, CompactRows)
        else list(dict.fromkeys(name for row in table.rows for name in row))
    )
    head = {
        "version": VERSION,
        "columns": columns,
        "numbers": table.numbers,
        "ignored_columns": table.ignored_columns,
    }
    target.write(_dumps(head) + b"\n")
    # A thousand rows at a time: no second copy of the whole table is built, and the
    # encoder is called once per chunk, not once per row.
    for start in range(0, len(table.rows), CHUNK):
        rows = table.rows[start : start + CHUNK]
        target.write(_dumps([_cells(row, columns) for row in rows]) + b"\n")


CHUNK = 1000
# Cells JSON writes as they are.
_NATIVE = (str, int, bool, type(None))


def _cells(row: dict[str, Any], columns: list[str]) -> list[Any]:
    cells = [
        value if type(value := row.get(name)) in _NATIVE else _encode(value) for name in columns
    ]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def read_table_from(source: IO[bytes]) -> Table:
    """The table kept in ``source``, read a chunk of rows at a time."""
    # Tagged cells are the only objects inside the rows: decoded as they are parsed.
    data = json.loads(source.readline(), object_hook=_decode)
    if data.get("version") not in (1, VERSION):
        raise ValueError(f"Kept rows of version {data.get('version')!r}, not {VERSION}.")
    rows = CompactRows(data["columns"])
    # Version 1: the rows in the one document; version 2: a line per chunk after the head.
    chunks = (
        [data.pop("rows")]
        if "rows" in data
        else (
            json.loads(line, object_hook=_decode)
            # readline, not iteration: a Django File's iteration starts again from the top.
            for line in iter(source.readline, b"")
        )
    )
    for chunk in chunks:
        for cells in chunk:
            rows.append_cells(cells)  # trailing empty cells left out
    return Table(rows=rows, numbers=data["numbers"], ignored_columns=data["ignored_columns"])


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, datetime.datetime):  # before date: a datetime is a date too
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"timedelta": [value.days, value.seconds, value.microseconds]}
    return str(value)


def _decode(value: dict[str, Any]) -> Any:
    if len(value) != 1:
        return value  # the file's head (the only other object in it)
    ((tag, payload),) = value.items()
    if tag == "datetime":
        return datetime.datetime.fromisoformat(payload)
    if tag == "date":
        return datetime.date.fromisoformat(payload)
    if tag == "time":
        return datetime.time.fromisoformat(payload)
    if tag == "timedelta":
        days, seconds, microseconds = payload
        return datetime.timedelta(days=days, seconds=seconds, microseconds=microseconds)
    if tag == "float":
        return float(payload)
    raise ValueError(f"Unknown kept cell {value!r}.")
