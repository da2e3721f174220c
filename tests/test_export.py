"""Export from the listings and ``redirects_export``: every kind imports back unchanged."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree, make_site
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.models import RedirectDetails

pytestmark = pytest.mark.collation  # compares our path columns with core's

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class TestRoundTrip(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.shop = make_site("shop.example", cls.home, port=8080)
        cls.about = add_page(cls.home, "about", title="About")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        for code, path, target in (
            (301, "/perm", "/about/team/"),
            (308, "/perm-308", "https://example.org/x"),
            (302, "/temp", "/offers/"),
            (307, "/temp-307", "/pay/"),
        ):
            redirect = Redirect.objects.create(old_path=path, redirect_link=target)
            RedirectDetails.record(redirect, status_code=code)
        page_target = Redirect.objects.create(
            old_path="/to-page",
            site=cls.shop,
            redirect_page=cls.about,
            redirect_page_route_path="/past/",
        )
        RedirectDetails.record(page_target, status_code=301)
        gone = Redirect.objects.create(old_path="/gone")
        RedirectDetails.record(gone, status_code=410)
        RedirectDetails.objects.filter(redirect=gone).update(reason="=withdrawn")
        later = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
        schedule_redirect("/promo", "/sale/", expires_at=later, reason="+campaign")
        schedule_redirect(
            cls.about,
            "/elsewhere/",
            expires_at=later,
            status_code=307,
            starts_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
        )

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def reimport(self, content: bytes, name: str) -> dict[str, int]:
        plan = plan_import(read_table(content, name), ImportOptions())
        self.assertEqual([row.errors for row in plan.rows if row.errors], [])
        return plan.counts

    def test_listing_exports_import_back_unchanged(self) -> None:
        for file_format in ("csv", "xlsx", "json"):
            with self.subTest(file_format):
                response = self.client.get(
                    "/admin/redirect-tools/redirects/", {"export": file_format}
                )
                self.assertEqual(response.status_code, 200)
                counts = self.reimport(response.content, f"x.{file_format}")
                self.assertEqual(counts["unchanged"], 6)
                windows = self.client.get("/admin/scheduled-redirects/", {"export": file_format})
                counts = self.reimport(windows.content, f"w.{file_format}")
                self.assertEqual(counts["unchanged"], 2)

    def test_listing_export_respects_filters(self) -> None:
        response = self.client.get(
            "/admin/redirect-tools/redirects/", {"export": "json", "kind": "gone"}
        )
        rows = json.loads(response.content)
        self.assertEqual(
            [(row["from"], row["type"], row["to"]) for row in rows], [("/gone", 410, "")]
        )

    def test_command_exports_every_kind_in_one_file_that_imports_back(self) -> None:
        directory = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        for file_format in ("csv", "xlsx", "json", "tsv"):
            with self.subTest(file_format):
                path = directory / f"all.{file_format}"
                call_command("redirects_export", str(path))
                self.assertEqual(self.reimport(path.read_bytes(), path.name)["unchanged"], 8)
        out = io.StringIO()
        call_command("redirects_export", "--kind", "scheduled", "--format", "csv", stdout=out)
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertIn("'+campaign", out.getvalue())
        self.assertIn(f"page:{self.about.pk}", out.getvalue())

    def test_escaped_cells_are_read_back_as_written(self) -> None:
        response = self.client.get("/admin/redirect-tools/redirects/", {"export": "csv"})
        self.assertIn("'=withdrawn", response.content.decode())
        json_export = self.client.get("/admin/redirect-tools/redirects/", {"export": "json"})
        self.assertIn('"=withdrawn"', json_export.content.decode())  # JSON is not a spreadsheet

    def test_export_needs_permission_on_what_it_lists(self) -> None:
        redirects, windows = "/admin/redirect-tools/redirects/", "/admin/scheduled-redirects/"
        nobody = Client()
        nobody.force_login(make_user("nobody"))
        for url in (redirects, windows):
            with self.subTest(url):
                response = nobody.get(url, {"export": "csv"})
                # Sent to the dashboard, as Wagtail refuses a screen: no file, no rows.
                self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
                self.assertNotIn("Content-Disposition", response)
                self.assertNotIn(b"/perm", response.content)
                self.assertNotIn(b"/promo", response.content)

        # Rights on redirects only: their export, but not the scheduled windows'.
        changer = Client()
        changer.force_login(make_user("changer", "change_redirect"))
        response = changer.get(redirects, {"export": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(self.reimport(response.content, "x.csv")["unchanged"], 6)
        response = changer.get(windows, {"export": "csv"})
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertNotIn(b"/promo", response.content)
