"""An import's plan, kept as a file for the preview pages and the summary
(:func:`keep_plan`, :func:`open_plan`).

The rows are written a thousand at a time to a temporary file, as lists of their fields
in the order ``FIELDS`` names (given once in the file), so that keeping the plan of a
100,000-row file costs neither a second copy of it in memory nor a dict per row.

The file is one line of head, then one line per chunk of rows. The head holds what a
preview page shows of the whole plan (counts, warned rows, windows, ignored columns) and
an index: each chunk's place in the file and its rows' actions. So a page of a
million-row plan reads the head and the one or two chunks it shows (:class:`KeptPlan`),
never the whole plan. Plans kept by an earlier version (one JSON document: a dict per
row without a version, or version 2) are read as well, whole.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import operator
import shutil
import tempfile
from collections.abc import Iterator
from typing import IO, Any, overload

from django.core.files.base import File
from django.db import transaction

from ..models import RedirectImport
from .plan import Action, ImportPlan, PlannedRow

VERSION = 3
# A row's fields as the file names them: its warnings written whole (a row holds the one
# for a target nothing answers as the plan's shared message; see PlannedRow.unanswered).
FIELDS: tuple[str, ...] = (
    *(name for name in PlannedRow.__slots__ if name not in ("said", "unanswered")),
    "warnings",
)
MOMENTS = tuple(FIELDS.index(name) for name in ("starts_at", "expires_at"))
CHUNK = 1000
ACTIONS: tuple[str, ...] = tuple(Action.values)
# A row's fields in FIELDS' order, fetched in one call (not a getattr a field).
_FIELD_VALUES = operator.attrgetter(*FIELDS)


def write_plan(plan: ImportPlan, target: IO[bytes]) -> None:
    rows = plan.rows
    offsets, actions = [], []
    with tempfile.TemporaryFile() as body:  # the chunks, their places known for the head
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            offsets.append(body.tell())
            counts = dict.fromkeys(ACTIONS, 0)
            for row in chunk:
                counts[row.action] += 1
            actions.append([counts[action] for action in ACTIONS])
            body.write(_dumps([_values(row) for row in chunk]) + b"\n")
        head = {
            "version": VERSION,
            "fields": FIELDS,
            "ignored_columns": plan.ignored_columns,
            "warned": len(plan.warned),
            "has_windows": any(row.kind == "scheduled" for row in rows),
            "chunk": CHUNK,
            "offsets": offsets,
            "actions": actions,
        }
        target.write(_dumps(head) + b"\n")
        body.seek(0)
        shutil.copyfileobj(body, target)


def _values(row: PlannedRow) -> list[Any]:
    values = list(_FIELD_VALUES(row))
    for index in MOMENTS:
        if values[index] is not None:
            values[index] = values[index].isoformat()
    return values


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def read_plan(source: IO[bytes]) -> ImportPlan:
    """The whole plan (a caller that needs every row at once; a page reads
    :class:`KeptPlan`)."""
    data = json.loads(source.readline())
    if data.get("version") == VERSION:
        names = data["fields"]
        rows = [_row(dict(zip(names, values, strict=True))) for values in _chunks(source)]
        return ImportPlan(rows=rows, ignored_columns=data["ignored_columns"])
    return _read_whole(data)


def _chunks(source: IO[bytes]) -> Iterator[list[Any]]:
    """Each row's values, from the chunk lines of a version 3 file (past its head)."""
    for line in iter(source.readline, b""):  # a Django File's iteration starts at the top
        yield from json.loads(line)


def _read_whole(data: dict[str, Any]) -> ImportPlan:
    """A plan kept before version 3, as one JSON document (``data``)."""
    rows: list[Any] = data.pop("rows")
    if data.get("version") == 2:
        names = data["fields"]
        for index, values in enumerate(rows):  # in place: each list goes as its row comes
            rows[index] = _row(dict(zip(names, values, strict=True)))
    else:  # kept before version 2: a dict per row
        rows[:] = [_row(values) for values in rows]
    return ImportPlan(rows=rows, ignored_columns=data["ignored_columns"])


def _row(values: dict[str, Any]) -> PlannedRow:
    if "warnings" in values:  # as files name them (see FIELDS)
        values["said"] = values.pop("warnings")
    row = PlannedRow(**values)
    row.errors, row.notes, row.said = tuple(row.errors), tuple(row.notes), tuple(row.said)
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


def open_plan(record: RedirectImport) -> KeptPlan | None:
    """``record``'s kept plan, for a page that shows some of its rows (see
    :class:`KeptPlan`); None when it keeps none."""
    if not record.preview_file:
        return None
    storage, name = record.preview_file.storage, str(record.preview_file.name)
    with storage.open(name, "rb") as stored:
        data = json.loads(stored.readline())
        start = stored.tell()
    if data.get("version") != VERSION:  # kept before version 3: read whole
        with storage.open(name, "rb") as stored:
            return KeptPlan.of(read_plan(stored))
    return KeptPlan(data, lambda: storage.open(name, "rb"), start)


class KeptPlan:
    """A kept plan read a page at a time: what the whole plan counts comes from the file's
    head, and a page of its rows (``rows(action)[start:stop]``) decodes only the chunks
    that hold them, found by the head's index. A preview page of a million-row import
    then costs a chunk or two, not a million rows in memory."""

    def __init__(self, head: dict[str, Any], opener: Any, start: int) -> None:
        self.head, self.opener, self.start = head, opener, start
        self.ignored_columns: list[str] = head["ignored_columns"]
        self.warned_count: int = head["warned"]
        self.has_windows: bool = head["has_windows"]
        self._whole: ImportPlan | None = None

    @classmethod
    def of(cls, plan: ImportPlan) -> KeptPlan:
        """A plan already in memory (one kept before version 3), behind the same face."""
        head = {
            "ignored_columns": plan.ignored_columns,
            "warned": len(plan.warned),
            "has_windows": any(row.kind == "scheduled" for row in plan.rows),
            "actions": [[plan.counts[action] for action in ACTIONS]],
        }
        kept = cls(head, None, 0)
        kept._whole = plan
        return kept

    @property
    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys(ACTIONS, 0)
        for chunk in self.head["actions"]:
            for action, count in zip(ACTIONS, chunk, strict=True):
                totals[action] += count
        return totals

    @property
    def rows(self) -> PlanRows:
        """Every row, in the file's order."""
        return PlanRows(self, None)

    def rows_of(self, action: str | None) -> PlanRows:
        """The rows whose action is ``action`` (every row for None)."""
        return PlanRows(self, action)

    def chunk(self, index: int) -> list[PlannedRow]:
        """The rows of chunk ``index``, decoded."""
        if self._whole is not None:
            return self._whole.rows
        names = self.head["fields"]
        with self.opener() as stored:
            stored.seek(self.start + self.head["offsets"][index])
            return [
                _row(dict(zip(names, values, strict=True)))
                for values in json.loads(stored.readline())
            ]

    def sizes(self, action: str | None) -> list[int]:
        """How many of ``action``'s rows (every row for None) each chunk holds."""
        if action is None:
            return [sum(chunk) for chunk in self.head["actions"]]
        position = ACTIONS.index(action)
        return [chunk[position] for chunk in self.head["actions"]]


class PlanRows:
    """The rows of a :class:`KeptPlan` (those of one action, or all) as a sequence a
    ``Paginator`` pages: its length from the index, a slice from the chunks it spans."""

    def __init__(self, plan: KeptPlan, action: str | None) -> None:
        self.plan, self.action = plan, action
        self.ends = list(itertools.accumulate(plan.sizes(action)))

    def __len__(self) -> int:
        return self.ends[-1] if self.ends else 0

    @overload
    def __getitem__(self, index: int) -> PlannedRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[PlannedRow]: ...
    def __getitem__(self, index: int | slice) -> PlannedRow | list[PlannedRow]:
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else self[len(self) + index :][:1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("A kept plan's rows are sliced with a step of 1.")
        rows: list[PlannedRow] = []
        chunk = bisect.bisect_right(self.ends, start)
        while start < stop and chunk < len(self.ends):
            before = self.ends[chunk - 1] if chunk else 0
            if self.ends[chunk] > before:  # a chunk with none of these rows is not read
                found = self._matching(self.plan.chunk(chunk))
                rows += found[start - before : stop - before]
                start = self.ends[chunk]
            chunk += 1
        return rows

    def __iter__(self) -> Iterator[PlannedRow]:
        for chunk, size in enumerate(self.plan.sizes(self.action)):
            if size:
                yield from self._matching(self.plan.chunk(chunk))

    def _matching(self, rows: list[PlannedRow]) -> list[PlannedRow]:
        return rows if self.action is None else [row for row in rows if row.action == self.action]
