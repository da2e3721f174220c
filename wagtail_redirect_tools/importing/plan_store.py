"""An import's plan, kept as a file for the preview pages and the summary
(:func:`keep_plan`, :func:`load_plan`).

The rows are written a thousand at a time to a temporary file, as lists of their fields
in the order ``FIELDS`` names (given once in the file), so that keeping the plan of a
100,000-row file costs neither a second copy of it in memory nor a dict per row. Plans
kept by an earlier version (a dict per row, no version) are read as well.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction

from ..models import RedirectImport
from .plan import ImportPlan, PlannedRow

VERSION = 2
FIELDS: tuple[str, ...] = PlannedRow.__slots__
MOMENTS = tuple(FIELDS.index(name) for name in ("starts_at", "expires_at"))
CHUNK = 1000


def write_plan(plan: ImportPlan, target: IO[bytes]) -> None:
    head = {"version": VERSION, "fields": FIELDS, "ignored_columns": plan.ignored_columns}
    target.write(_dumps(head)[:-1] + b',"rows":[')
    rows = plan.rows
    for start in range(0, len(rows), CHUNK):
        chunk = _dumps([_values(row) for row in rows[start : start + CHUNK]])
        target.write((b"," if start else b"") + chunk[1:-1])
    target.write(b"]}")


def _values(row: PlannedRow) -> list[Any]:
    values = [getattr(row, name) for name in FIELDS]
    for index in MOMENTS:
        if values[index] is not None:
            values[index] = values[index].isoformat()
    return values


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def read_plan(source: IO[bytes]) -> ImportPlan:
    data = json.load(source)
    rows: list[Any] = data.pop("rows")
    if data.get("version") == VERSION:
        names = data["fields"]
        for index, values in enumerate(rows):  # in place: each list goes as its row comes
            rows[index] = _row(dict(zip(names, values, strict=True)))
    else:  # kept before version 2: a dict per row
        rows[:] = [_row(values) for values in rows]
    return ImportPlan(rows=rows, ignored_columns=data["ignored_columns"])


def _row(values: dict[str, Any]) -> PlannedRow:
    row = PlannedRow(**values)
    row.errors, row.notes = tuple(row.errors), tuple(row.notes)
    row.warnings = tuple(row.warnings)
    for name in ("starts_at", "expires_at"):
        value = getattr(row, name)
        if value is not None:
            setattr(row, name, datetime.datetime.fromisoformat(value))
    return row


def keep_plan(record: RedirectImport, plan: ImportPlan) -> None:
    # The new file first, then the old one goes once the new name is committed: a page
    # reading the plan meanwhile finds one.
    old_name = record.preview_file.name if record.preview_file else ""
    with tempfile.TemporaryFile() as spool:
        write_plan(plan, spool)
        spool.seek(0)
        record.preview_file.save("preview.json", File(spool), save=False)
    if old_name:
        storage = record.preview_file.storage
        transaction.on_commit(lambda: storage.delete(old_name), robust=True)


def load_plan(record: RedirectImport) -> ImportPlan | None:
    if not record.preview_file:
        return None
    with record.preview_file.open("rb") as stored:
        return read_plan(stored)
