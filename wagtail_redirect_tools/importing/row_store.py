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
    rows = []
    for row in table.rows:
        cells = [_encode(row.get(name)) for name in columns]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells)
    data = {
        "version": VERSION,
        "columns": columns,
        "numbers": table.numbers,
        "rows": rows,
        "ignored_columns": table.ignored_columns,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def load_table(content: bytes) -> Table:
    data = json.loads(content)
    if data.get("version") != VERSION:
        raise ValueError(f"Kept rows of version {data.get('version')!r}, not {VERSION}.")
    columns = data["columns"]
    width = len(columns)
    rows = [
        dict(zip(columns, [*map(_decode, cells), *([None] * (width - len(cells)))], strict=True))
        for cells in data["rows"]
    ]
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


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
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
