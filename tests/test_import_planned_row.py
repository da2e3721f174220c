"""A planned row holds the warning for a target nothing answers as the plan's one
message, its link put in when read: what it says, in what order, and what the kept plan
keeps are as if the text were made whole for each row."""

from __future__ import annotations

import io

from django.test import SimpleTestCase

from wagtail_redirect_tools.importing import plan_store
from wagtail_redirect_tools.importing.plan import ImportPlan, PlannedRow

MESSAGE = "Nothing answers %(path)s."


class PlannedRowWarningsTests(SimpleTestCase):
    def test_the_warning_names_the_rows_link(self) -> None:
        row = PlannedRow(number=2, link="/nowhere/")
        row.warn_unanswered(MESSAGE)
        self.assertEqual(row.warnings, ("Nothing answers /nowhere/.",))
        self.assertEqual(row, PlannedRow(number=2, link="/nowhere/", said=row.warnings))

    def test_warnings_keep_the_order_they_were_said_in(self) -> None:
        row = PlannedRow(number=2, link="/nowhere/")
        row.warn("First.")
        row.warn_unanswered(MESSAGE)
        row.warn("Last.")
        self.assertEqual(row.warnings, ("First.", "Nothing answers /nowhere/.", "Last."))

    def test_the_kept_plan_holds_the_whole_text(self) -> None:
        rows = [PlannedRow(number=n, link=f"/to/{n}/") for n in range(2, 5)]
        rows[1].warn_unanswered(MESSAGE)
        plan = ImportPlan(rows=rows)
        kept = io.BytesIO()
        plan_store.write_plan(plan, kept)
        self.assertIn(b'["Nothing answers /to/3/."]', kept.getvalue())
        kept.seek(0)
        read = plan_store.read_plan(kept)
        self.assertEqual(read, plan)
        self.assertEqual(read.rows[1].said, ("Nothing answers /to/3/.",))
        self.assertEqual([row.number for row in read.warned], [3])
