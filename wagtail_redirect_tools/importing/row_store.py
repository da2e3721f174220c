"""The rows an upload read, kept with its import so the preview and the confirm plan
from them instead of parsing the file again.

A :class:`~.reading.Table` is written as compact JSON: the column names once, then each
row's cells in that order (trailing empty cells left out). Cells JSON has no type for
(a workbook's dates, times and durations, a float that is not a number) are tagged, so
each comes back as the type it was read as.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

from .reading import Table

VERSION = 1


def dump_table(table: Table) -> bytes:
    columns = list(dict.fromkeys(name for row in table.rows for name in row))
    head = {
        "version": VERSION,
        "columns": columns,
        "numbers": table.numbers,
        "ignored_columns": table.ignored_columns,
    }
    # A thousand rows at a time: no second copy of the whole table is built, and the
    # encoder is called once per chunk, not once per row.
    chunks = (
        _dumps([_cells(row, columns) for row in table.rows[start : start + CHUNK]])[1:-1]
        for start in range(0, len(table.rows), CHUNK)
    )
    return _dumps(head)[:-1] + b',"rows":[' + b",".join(chunks) + b"]}"


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


def load_table(content: bytes) -> Table:
    # Tagged cells are the only objects inside the rows: decoded as they are parsed.
    data = json.loads(content, object_hook=_decode)
    if data.get("version") != VERSION:
        raise ValueError(f"Kept rows of version {data.get('version')!r}, not {VERSION}.")
    columns = data["columns"]
    blank = dict.fromkeys(columns)
    rows: list[Any] = data.pop("rows")
    for index, cells in enumerate(rows):  # in place: each row's list goes as its dict comes
        row = blank.copy()
        row.update(zip(columns, cells, strict=False))  # trailing empty cells left out
        rows[index] = row
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
