"""Exports for people and for machines (issue 15): page targets with their title and URL,
CSV that Excel opens as UTF-8, redirects and scheduled windows in one file."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree, make_site
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.models import RedirectDetails, ScheduledRedirect

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
LATER = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
REDIRECTS = "/admin/redirect-tools/redirects/"
WINDOWS = "/admin/scheduled-redirects/"
# A cache of this process's own: tests sharing a Redis server empty it at any time.
OWN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def command_output(*args: str) -> str:
    out = io.StringIO()
    call_command("redirects_export", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
class ExportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.shop_home = add_page(cls.home, "shop-home", title="Shop")
        cls.shop = make_site("shop.example", cls.shop_home, port=8080)
        cls.about = add_page(cls.home, "about", title="About us")
        cls.sale = add_page(cls.shop_home, "sale", title="=Winter sale")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        to_page = Redirect.objects.create(old_path="/old-about", redirect_page=cls.about)
        RedirectDetails.record(to_page, status_code=301)
        routed = Redirect.objects.create(
            old_path="/old-sale",
            site=cls.shop,
            redirect_page=cls.sale,
            redirect_page_route_path="/past/",
        )
        RedirectDetails.record(routed, status_code=302)
        to_path = Redirect.objects.create(old_path="/kaffee", redirect_link="/café/")
        RedirectDetails.record(to_path, status_code=308)
        schedule_redirect(cls.about, "/elsewhere/", expires_at=LATER, reason="Renovation")
        schedule_redirect("/promo", cls.sale, expires_at=LATER, site=cls.shop, status_code=307)

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def reimport_counts(self, content: bytes, name: str) -> dict[str, int]:
        table = read_table(content, name)
        self.assertEqual(table.ignored_columns, [])
        plan = plan_import(table, ImportOptions())
        self.assertEqual([row.errors for row in plan.rows if row.errors], [])
        return plan.counts


@pytest.mark.collation
class TestPageColumns(ExportTestCase):
    def test_listing_csv_gives_each_page_target_its_url_title_and_id(self) -> None:
        response = self.client.get(REDIRECTS, {"export": "csv"})
        rows = {row["from"]: row for row in csv_rows(response.content)}
        about = rows["/old-about"]
        self.assertEqual(
            (about["to"], about["target_page_title"], about["to_page"]),
            ("http://localhost/about/", "About us", f"page:{self.about.pk}"),
        )
        # A route on the page is part of its URL; a title a spreadsheet would run is escaped.
        sale = rows["/old-sale"]
        self.assertEqual(
            (sale["to"], sale["target_page_title"], sale["to_page"]),
            ("http://shop.example:8080/sale/past/", "'=Winter sale", f"page:{self.sale.pk}/past/"),
        )
        # A target that is not a page leaves them empty.
        self.assertEqual(
            (rows["/kaffee"]["target_page_title"], rows["/kaffee"]["to_page"]), ("", "")
        )

    def test_page_columns_come_after_the_import_columns(self) -> None:
        response = self.client.get(REDIRECTS, {"export": "csv"})
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            header,
            [
                "from",
                "to",
                "type",
                "site",
                "starts_at",
                "expires_at",
                "reason",
                "is_pattern",  # yes for a pattern redirect (issue 33)
                "origin",
                "hits",
                "last_hit",
                "to_page",
                "target_page_title",
                "source_page_title",
                "source_page_url",
            ],
        )

    def test_windows_on_a_page_carry_the_source_page_title_and_url(self) -> None:
        response = self.client.get(WINDOWS, {"export": "csv"})
        rows = {row["from"]: row for row in csv_rows(response.content)}
        on_page = rows[f"page:{self.about.pk}"]
        self.assertEqual(
            (on_page["source_page_title"], on_page["source_page_url"]),
            ("About us", "http://localhost/about/"),
        )
        self.assertEqual(on_page["target_page_title"], "")
        promo = rows["/promo"]
        self.assertEqual(
            (promo["target_page_title"], promo["to"]),
            ("'=Winter sale", "http://shop.example:8080/sale/"),
        )

    def test_command_writes_the_same_page_columns(self) -> None:
        rows = {row["from"]: row for row in csv_rows(command_output("--format", "csv").encode())}
        self.assertEqual(rows["/old-about"]["to"], "http://localhost/about/")
        self.assertEqual(rows[f"page:{self.about.pk}"]["source_page_title"], "About us")

    def test_json_has_the_page_columns_unescaped(self) -> None:
        response = self.client.get(REDIRECTS, {"export": "json"})
        rows = {row["from"]: row for row in response.json()}
        self.assertEqual(rows["/old-sale"]["target_page_title"], "=Winter sale")

    def test_the_import_reads_past_the_page_columns_quietly(self) -> None:
        for file_format in ("csv", "xlsx", "json"):
            with self.subTest(file_format):
                response = self.client.get(REDIRECTS, {"export": file_format})
                counts = self.reimport_counts(response.content, f"r.{file_format}")
                self.assertEqual(counts["unchanged"], 3)

    def test_a_page_no_site_serves_has_a_title_but_no_url(self) -> None:
        elsewhere = add_page(self.home.get_parent(), "elsewhere", title="Orphan")
        Redirect.objects.create(old_path="/orphan", redirect_page=elsewhere)
        rows = {row["from"]: row for row in csv_rows(command_output().encode())}
        self.assertEqual(
            (rows["/orphan"]["target_page_title"], rows["/orphan"]["to"]),
            ("Orphan", ""),
        )
        self.assertEqual(rows["/orphan"]["to_page"], f"page:{elsewhere.pk}")

    def test_a_page_column_alone_is_not_a_target(self) -> None:
        # Only "to" is read: a file whose only target column is a page's URL has none.
        content = b"from,target_page_url\n/x,http://localhost/about/\n"
        with self.assertRaisesMessage(Exception, "'to' was not found"):
            read_table(content, "x.csv")


class TestExcelCsv(ExportTestCase):
    def test_listing_csv_download_starts_with_a_byte_order_mark(self) -> None:
        for url in (REDIRECTS, WINDOWS):
            with self.subTest(url):
                response = self.client.get(url, {"export": "csv"})
                self.assertTrue(response.content.startswith(codecs.BOM_UTF8))
                self.assertIn("text/csv", response["Content-Type"])
                self.assertIn("charset=utf-8", response["Content-Type"])
        response = self.client.get(REDIRECTS, {"export": "csv"})
        self.assertIn("/café/", response.content.decode("utf-8-sig"))
        self.assertEqual(self.reimport_counts(response.content, "r.csv")["unchanged"], 3)

    def test_other_downloads_have_no_byte_order_mark(self) -> None:
        for file_format in ("json", "xlsx"):
            with self.subTest(file_format):
                response = self.client.get(REDIRECTS, {"export": file_format})
                self.assertFalse(response.content.startswith(codecs.BOM_UTF8))

    def test_command_writes_plain_utf8_unless_asked_for_excel(self) -> None:
        directory = Path(self.enterContext(TemporaryDirectory()))
        plain, excel = directory / "plain.csv", directory / "excel.csv"
        call_command("redirects_export", str(plain))
        call_command("redirects_export", "--excel", str(excel))
        self.assertTrue(plain.read_bytes().startswith(b"from,"))
        self.assertEqual(excel.read_bytes(), codecs.BOM_UTF8 + plain.read_bytes())
        self.assertFalse(command_output("--format", "csv").startswith("\ufeff"))
        self.assertTrue(command_output("--format", "tsv", "--excel").startswith("\ufeff"))
        for path in (plain, excel):
            self.assertEqual(self.reimport_counts(path.read_bytes(), path.name)["unchanged"], 5)

    def test_excel_means_nothing_to_json_and_xlsx(self) -> None:
        self.assertEqual(command_output("--format", "json", "--excel")[:1], "[")


@pytest.mark.collation
class TestRedirectsAndWindowsTogether(ExportTestCase):
    def test_the_listing_offers_one_download_of_redirects_and_windows(self) -> None:
        html = self.client.get(REDIRECTS).content.decode()
        self.assertIn("Download redirects and scheduled redirects", html)
        self.assertIn("export=xlsx&amp;include=scheduled", html)
        # The scheduled listing has windows only: no such choice there.
        self.assertNotIn("include=scheduled", self.client.get(WINDOWS).content.decode())

    def test_the_download_holds_every_redirect_and_window(self) -> None:
        for file_format in ("csv", "xlsx", "json"):
            with self.subTest(file_format):
                response = self.client.get(
                    REDIRECTS, {"export": file_format, "include": "scheduled"}
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("redirects-and-scheduled-redirects", response["Content-Disposition"])
                counts = self.reimport_counts(response.content, f"all.{file_format}")
                self.assertEqual(counts["unchanged"], 5)

    def test_the_download_is_everything_whatever_the_listing_shows(self) -> None:
        response = self.client.get(
            REDIRECTS, {"export": "csv", "include": "scheduled", "kind": "gone", "q": "nothing"}
        )
        self.assertEqual(len(csv_rows(response.content)), 5)

    def test_windows_only_for_those_who_may_see_them(self) -> None:
        changer = Client()
        changer.force_login(make_user("changer", "change_redirect"))
        self.assertNotIn("include=scheduled", changer.get(REDIRECTS).content.decode())
        response = changer.get(REDIRECTS, {"export": "csv", "include": "scheduled"})
        self.assertEqual(response.status_code, 200)
        sources = sorted(row["from"] for row in csv_rows(response.content))
        self.assertEqual(sources, ["/kaffee", "/old-about", "/old-sale"])

    def test_command_kind_redirects_leaves_the_windows_out(self) -> None:
        rows = csv_rows(command_output("--kind", "redirects").encode())
        self.assertEqual(
            sorted(row["from"] for row in rows), ["/kaffee", "/old-about", "/old-sale"]
        )
        self.assertEqual(len(csv_rows(command_output("--kind", "all").encode())), 5)

    def test_command_kind_all_is_the_same_file(self) -> None:
        response = self.client.get(REDIRECTS, {"export": "csv", "include": "scheduled"})
        self.assertEqual(response.content, codecs.BOM_UTF8 + command_output().encode())


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every redirect and window as the rows a round trip must give back."""
    redirects = [
        (
            redirect.site_id,
            redirect.old_path,
            redirect.redirect_page_id,
            redirect.redirect_page_route_path,
            redirect.redirect_link,
            RedirectDetails.effective_status_code(redirect),
            redirect.details.reason if hasattr(redirect, "details") else "",
        )
        for redirect in Redirect.objects.select_related("details").order_by("old_path")
    ]
    windows = [
        (
            window.site_id,
            window.old_path,
            window.source_page_id,
            window.redirect_page_id,
            window.redirect_link,
            window.status_code,
            window.starts_at,
            window.expires_at,
            window.reason,
        )
        for window in ScheduledRedirect.objects.order_by("old_path", "source_page_id")
    ]
    return {"redirects": redirects, "windows": windows}


def wipe() -> None:
    Redirect.objects.all().delete()
    ScheduledRedirect.objects.all().delete()


class TestRoundTrip(ExportTestCase):
    def test_command_export_wipe_import_gives_the_same_rows(self) -> None:
        before = snapshot()
        directory = Path(self.enterContext(TemporaryDirectory()))
        for name, extra in (
            ("all.csv", ()),
            ("excel.csv", ("--excel",)),
            ("all.xlsx", ()),
            ("all.json", ()),
        ):
            with self.subTest(name):
                path = directory / name
                call_command("redirects_export", *extra, str(path))
                wipe()
                call_command("redirects_import", str(path), stdout=io.StringIO())
                self.assertEqual(snapshot(), before)

    def test_admin_download_wipe_import_gives_the_same_rows(self) -> None:
        before = snapshot()
        directory = Path(self.enterContext(TemporaryDirectory()))
        for file_format in ("csv", "xlsx"):
            with self.subTest(file_format):
                response = self.client.get(
                    REDIRECTS, {"export": file_format, "include": "scheduled"}
                )
                path = directory / f"download.{file_format}"
                path.write_bytes(response.content)
                wipe()
                call_command("redirects_import", str(path), stdout=io.StringIO())
                self.assertEqual(snapshot(), before)


# The window index's stamps are read on every request, so the warm-up request is the
# one that reads the windows again after ``add``, never the measured one.
@time_machine.travel(NOW, tick=False)
@override_settings(CACHES=OWN_CACHE, WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0)
class TestQueries(TestCase):
    """Titles and URLs come with the rows: the number of queries does not grow with them."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.pages = [add_page(cls.home, f"page-{index}") for index in range(60)]
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def add(self, start: int, stop: int) -> None:
        """Two redirects to each of the pages ``start:stop``, and a window on each."""
        for page in self.pages[start:stop]:
            Redirect.objects.create(old_path=f"/r-{page.pk}", redirect_page=page)
            Redirect.objects.create(old_path=f"/s-{page.pk}", redirect_page=page)
            schedule_redirect(page, "/away/", expires_at=LATER)

    def queries(self, export: Any) -> int:
        export()  # the sites' root paths and the window index are cached after this one
        with CaptureQueriesContext(connection) as captured:
            content = export()
        self.assertIn(b"http://localhost/page-", content)
        return len(captured)

    def test_listing_export(self) -> None:
        def export() -> bytes:
            response = self.client.get(REDIRECTS, {"export": "csv", "include": "scheduled"})
            return bytes(response.content)

        self.add(0, 5)
        few = self.queries(export)
        self.add(5, 55)
        self.assertEqual(Redirect.objects.count(), 110)
        self.assertEqual(self.queries(export), few)

    def test_listing_export_reads_its_rows_once(self) -> None:
        self.add(0, 55)
        for url, table in ((REDIRECTS, "wagtailredirects_redirect"), (WINDOWS, "scheduled")):
            for file_format in ("csv", "xlsx", "json"):
                with self.subTest(url, file_format=file_format):
                    with CaptureQueriesContext(connection) as captured:
                        response = self.client.get(url, {"export": file_format})
                    self.assertEqual(response.status_code, 200)
                    reads = [
                        query["sql"]
                        for query in captured.captured_queries
                        if query["sql"].startswith("SELECT") and table in query["sql"].split()[1]
                    ]
                    # Wagtail counts the listing's rows; the export writes those same rows.
                    self.assertEqual(len(reads), 1, reads)

    def test_command_export(self) -> None:
        def export() -> bytes:
            return command_output().encode()

        self.add(0, 5)
        few = self.queries(export)
        self.add(5, 55)
        self.assertEqual(self.queries(export), few)
        self.assertEqual(few, 2)  # one for the redirects, one for the windows
