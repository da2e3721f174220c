"""An import row whose target path nothing answers (no live page, no redirect or
scheduled redirect, in the database or in the file, and no view of the site) is
importable, with a warning in the preview and in ``redirects_import --dry-run`` (issue 32,
item 4); the plan's queries stay the same however many rows warn."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Any

import time_machine
from wagtail.contrib.redirects.models import Redirect

from tests.test_import import ImportTestCase, csv_bytes
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
NOTHING = "No page, redirect or scheduled redirect answers"

FILE = csv_bytes(
    "from,to",
    "/a/,/about/",  # a live page
    "/b/,/nowhere/",  # nothing: warned
    "/c/,/old-news",  # an existing redirect
    "/d/,/e/",  # a row of the file
    "/e/,/about/",
    "/f/,/campaign/",  # a scheduled redirect
    "/g/,http://localhost/missing/",  # the site's own host, nothing there: warned
    "/h/,https://example.org/missing/",  # another host: not ours to know
    "/i/,/admin/",  # a view of the site (Wagtail's admin)
    "/j/,/admin",  # the same view, with the slash it redirects to
    "/k/,/nowhere/",  # a target already checked (its answer remembered): warned again
)
# The header is row 1.
WARNED = {3: "/nowhere/", 8: "http://localhost/missing/", 12: "/nowhere/"}


@time_machine.travel(NOW, tick=False)
class TestUnansweredTargets(ImportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Redirect.add_redirect("/old-news", "/about/")
        schedule_redirect("/campaign", "/about/", expires_at=NOW + datetime.timedelta(days=9))

    def test_warned_in_the_preview_and_imported(self) -> None:
        page = self.preview(FILE)
        rows = {row.number: row for row in page.context["plan"].rows}
        self.assertEqual({row.action for row in rows.values()}, {"new"})
        for number, row in rows.items():
            with self.subTest(row=number):
                if number in WARNED:
                    self.assertEqual(len(row.warnings), 1, row.warnings)
                    self.assertIn(f"{NOTHING} {WARNED[number]}", row.warnings[0])
                else:
                    self.assertEqual(row.warnings, ())
        html = page.content.decode()
        self.assertEqual(html.count("data-row-warning"), 3)
        self.assertIn("3 rows point at a path that nothing answers", html)
        self.confirm(page)
        self.assertTrue(Redirect.objects.filter(old_path="/b").exists())
        self.assertEqual(Redirect.objects.filter(old_path__in=["/a", "/b", "/g", "/i"]).count(), 4)

    def test_dry_run_prints_the_warnings_and_succeeds(self) -> None:
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "r.csv"
        path.write_bytes(FILE)
        code, output = self.cli(str(path), "--dry-run")
        self.assertEqual(code, 0, output)
        for number, target in WARNED.items():
            self.assertIn(f"Row {number} (warning): {NOTHING} {target}", output)
        self.assertEqual(output.count("(warning)"), 3)

    def test_the_plans_queries_do_not_grow_with_the_warned_rows(self) -> None:
        def plan(rows: int) -> Any:
            content = csv_bytes("from,to", *(f"/s{i}/,/t{i}/" for i in range(rows)))
            return plan_import(read_table(content, "x.csv"), ImportOptions())

        with self.assertNumQueries(5):
            small = plan(10)
        with self.assertNumQueries(5):
            big = plan(500)
        self.assertTrue(all(row.warnings for row in small.rows + big.rows))
