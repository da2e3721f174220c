"""The kept plan of an import (``importing.plan_store``): written in chunks as lists of
fields, read back as the same rows; plans kept by the version before (a dict per row)
still open."""

from __future__ import annotations

import datetime
import io
import json

from django.test import SimpleTestCase

from wagtail_redirect_tools.importing import plan_store
from wagtail_redirect_tools.importing.planning import Action, ImportPlan, PlannedRow

START = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC)


def sample_rows(count: int) -> list[PlannedRow]:
    rows = []
    for number in range(2, count + 2):
        row = PlannedRow(number=number, old_path=f"/old/{number}", link=f"/new/{number}/")
        if number % 3 == 0:
            row.kind, row.status_code = "scheduled", 302
            row.starts_at, row.expires_at = START, START + datetime.timedelta(days=number)
        if number % 5 == 0:
            row.fail(f"Row {number} is wrong: «{number}»")
        row.note("Chain: /a → /b")
        rows.append(row)
    return rows


class TestPlanStore(SimpleTestCase):
    def round_trip(self, plan: ImportPlan) -> tuple[ImportPlan, bytes]:
        kept = io.BytesIO()
        plan_store.write_plan(plan, kept)
        kept.seek(0)
        return plan_store.read_plan(kept), kept.getvalue()

    def test_rows_come_back_as_they_were_planned(self) -> None:
        # More rows than one chunk, and a last chunk that is not full.
        plan = ImportPlan(rows=sample_rows(2 * plan_store.CHUNK + 7), ignored_columns=["hits"])
        read, data = self.round_trip(plan)
        self.assertEqual(read, plan)
        self.assertEqual(read.rows[1].starts_at, START)  # a datetime again, not text
        self.assertEqual(read.counts[Action.ERROR], len(plan.errors))
        # A head line, then a line per chunk: one list of fields per row, the names once.
        head, *chunks = data.splitlines()
        parsed = json.loads(head)
        self.assertEqual(parsed["version"], plan_store.VERSION)
        self.assertEqual(len(chunks), 3)
        self.assertEqual([len(json.loads(chunk)) for chunk in chunks], [1000, 1000, 7])
        self.assertIsInstance(json.loads(chunks[0])[0], list)
        self.assertEqual(data.count(b'"old_path"'), 1)

    def test_an_empty_plan(self) -> None:
        read, _data = self.round_trip(ImportPlan(rows=[]))
        self.assertEqual(read, ImportPlan(rows=[]))

    def test_a_page_reads_only_the_chunks_that_hold_its_rows(self) -> None:
        plan = ImportPlan(rows=sample_rows(3 * plan_store.CHUNK + 11), ignored_columns=["hits"])
        kept = io.BytesIO()
        plan_store.write_plan(plan, kept)
        opened = []

        def opener() -> io.BytesIO:
            opened.append(1)
            return io.BytesIO(kept.getvalue())

        with opener() as stored:
            head = json.loads(stored.readline())
            start = stored.tell()
        paged = plan_store.KeptPlan(head, opener, start)
        self.assertEqual(paged.counts, plan.counts)
        self.assertEqual(paged.warned_count, len(plan.warned))
        self.assertTrue(paged.has_windows)
        self.assertEqual(paged.ignored_columns, ["hits"])
        for action in (None, Action.NEW, Action.ERROR, Action.UPDATE):
            every = [row for row in plan.rows if action is None or row.action == action]
            rows = paged.rows_of(action)
            self.assertEqual(len(rows), len(every))
            for start, stop in ((0, 50), (980, 1030), (len(every) - 3, len(every) + 5)):
                with self.subTest(action=action, start=start):
                    opened.clear()
                    self.assertEqual(rows[start:stop], every[max(start, 0) : stop])
                    # A page within one chunk reads that chunk; one across two, both.
                    self.assertLessEqual(len(opened), 2)
            if every:
                self.assertEqual(rows[-1], every[-1])
        self.assertEqual(list(paged.rows), plan.rows)
        self.assertEqual(paged.rows_of(Action.UNCHANGED)[0:50], [])

    def test_a_plan_kept_by_version_2_still_opens(self) -> None:
        rows = sample_rows(4)
        values = [[getattr(row, name) for name in plan_store.FIELDS] for row in rows]
        for row_values in values:
            for index in plan_store.MOMENTS:
                if row_values[index] is not None:
                    row_values[index] = row_values[index].isoformat()
        head = {"version": 2, "fields": plan_store.FIELDS, "ignored_columns": [], "rows": values}
        read = plan_store.read_plan(io.BytesIO(json.dumps(head).encode()))
        self.assertEqual(read, ImportPlan(rows=rows))

    def test_a_plan_kept_by_the_version_before_still_opens(self) -> None:
        rows = sample_rows(4)
        old_rows = []
        for row in rows:  # as version 1 wrote them: a dict of every field, no version
            values = {name: getattr(row, name) for name in PlannedRow.__slots__}
            for name in ("starts_at", "expires_at"):
                if values[name] is not None:
                    values[name] = values[name].isoformat()
            old_rows.append(values)
        data = json.dumps({"ignored_columns": ["x"], "rows": old_rows}).encode()
        read = plan_store.read_plan(io.BytesIO(data))
        self.assertEqual(read, ImportPlan(rows=rows, ignored_columns=["x"]))
