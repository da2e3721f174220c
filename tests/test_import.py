"""Bulk import through the admin (upload → preview → confirm) and ``redirects_import``:
every corpus file, atomicity, re-import, loops and chains, windows and time zones."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry

from tests.utils.pages import add_page, fresh_site_tree, make_site
from tests.utils.users import make_user
from wagtail_redirect_tools.importing.errors import ImportFileError
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.importing.service import ProgressReporter
from wagtail_redirect_tools.models import (
    ImportStatus,
    RedirectDetails,
    RedirectImport,
    ScheduledRedirect,
)

CORPUS = Path(__file__).resolve().parent / "corpus"
UPLOAD = "/admin/redirect-tools/imports/"
# The corpus's scheduled rows lie in 2026 and 2027: run before they start.
BEFORE_THE_WINDOWS = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)
UTC = datetime.UTC


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def targets() -> dict[str, str]:
    """old_path → link (or 'page:ID') of every core redirect."""
    return {
        redirect.old_path: redirect.redirect_link or f"page:{redirect.redirect_page_id}"
        for redirect in Redirect.objects.all()
    }


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.other_port = make_site("localhost", cls.home, port=8000)
        cls.about = add_page(cls.home, "about", title="About")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    # -- The admin flow ----------------------------------------------------------------

    def upload(self, content: bytes, name: str = "redirects.csv", **options: Any) -> Any:
        data = {
            "file": SimpleUploadedFile(name, content),
            "site": "",
            "default_type": "301",
            "on_existing": "update",
            "file_format": "auto",
            "encoding": "auto",
            **options,
        }
        return self.client.post(UPLOAD, data)

    def preview(self, content: bytes, name: str = "redirects.csv", **options: Any) -> Any:
        response = self.upload(content, name, **options)
        self.assertEqual(
            response.status_code,
            302,
            getattr(response, "context", None) and response.context.get("form").errors,
        )
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        return page

    def confirm(self, preview: Any, **data: Any) -> Any:
        url = reverse("wagtail_redirect_tools:import_confirm", args=[preview.context["token"]])
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        return self.client.get(response["Location"])

    def counts(self, page: Any) -> dict[str, int]:
        return {action: count for action, _label, count in page.context["tabs"]}

    def errors(self, page: Any) -> dict[int, str]:
        plan = page.context["plan"]
        return {row.number: " ".join(row.errors) for row in plan.rows if row.errors}

    def cli(self, *args: str) -> tuple[int, str]:
        out = io.StringIO()
        try:
            call_command("redirects_import", *args, stdout=out, stderr=io.StringIO())
            code = 0
        except CommandError as error:
            code = error.returncode
        return code, out.getvalue()


@time_machine.travel(BEFORE_THE_WINDOWS, tick=False)
class TestCorpusThroughTheAdmin(ImportTestCase):
    def test_basic_imports_four_and_again_changes_nothing(self) -> None:
        page = self.preview(corpus("basic.csv"))
        self.assertEqual(self.counts(page)["new"], 4)
        self.assertEqual(Redirect.objects.count(), 0, "nothing is written before confirm")
        summary = self.confirm(page)
        self.assertContains(summary, "4 created")
        self.assertEqual(
            targets(),
            {
                "/old-about": f"page:{self.about.pk}",  # /about/ is a live page's URL
                "/team.html": "/about/team/",
                "/blog/2019/launch": "https://example.org/news/launch/",
                "/contact-us.php?ref=footer": "/contact/",
            },
        )
        details = RedirectDetails.objects.get(redirect__old_path="/team.html")
        self.assertEqual((details.origin, details.status_code), ("import", 301))
        self.assertEqual(details.source_import.created_by, self.superuser)
        again = self.preview(corpus("basic.csv"))
        self.assertEqual(self.counts(again)["unchanged"], 4)

    def test_an_update_keeps_the_creator_and_the_hits(self) -> None:
        editor = get_user_model().objects.create_user("editor", password="x")
        kept = Redirect.objects.create(old_path="/kept", redirect_link="/old-target/")
        RedirectDetails.objects.create(
            redirect=kept, status_code=301, origin="manual", created_by=editor, hits=42
        )
        fresh = Redirect.objects.create(old_path="/fresh", redirect_link="/old-target/")
        page = self.preview(
            csv_bytes("from,to,type,reason", "/kept,/new/,308,moved", "/fresh,/x/,")
        )
        self.assertEqual(self.counts(page)["update"], 2)
        self.assertContains(self.confirm(page), "2 updated")
        kept.refresh_from_db()
        self.assertEqual(kept.redirect_link, "/new/")
        details = RedirectDetails.objects.get(redirect=kept)
        self.assertEqual(
            (details.status_code, details.origin, details.reason, details.hits, details.created_by),
            (308, "import", "moved", 42, editor),
        )
        self.assertEqual(details.source_import, RedirectImport.objects.latest("pk"))
        # A redirect without details (core's own) gets them, with no hits.
        added = RedirectDetails.objects.get(redirect=fresh)
        self.assertEqual((added.status_code, added.hits, added.origin), (301, 0, "import"))

    def test_excel_semicolon_bom(self) -> None:
        page = self.preview(corpus("excel_semicolon_bom.csv"))
        self.assertEqual(self.counts(page)["new"], 3)
        self.confirm(page)
        codes = {
            redirect.old_path: RedirectDetails.effective_status_code(redirect)
            for redirect in Redirect.objects.select_related("details")
        }
        self.assertEqual(codes, {"/produkte": 301, "/über-uns": 301, "/aktion": 302})
        # Stored as core stores it: the IRI, which core's middleware matches for /%C3%BCber-uns/.
        response = self.client.get("/%C3%BCber-uns/")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].endswith("/about/"), response["Location"])

    def test_windows_1252_detected_and_chosen(self) -> None:
        page = self.preview(corpus("windows1252.csv"))
        self.assertEqual(self.counts(page)["new"], 3)
        sources = [row.old_path for row in page.context["plan"].rows]
        self.assertEqual(sources, ["/café", "/naïve-page", "/£-pricing"])
        chosen = self.preview(corpus("windows1252.csv"), encoding="cp1252")
        self.assertEqual([row.old_path for row in chosen.context["plan"].rows], sources)

    def test_excel_unicode_text(self) -> None:
        page = self.preview(corpus("excel_unicode_text.txt"), name="export.txt")
        rows = page.context["plan"].rows
        self.assertEqual([row.old_path for row in rows], ["/日本語", "/straße"])
        self.assertEqual([row.link for row in rows], ["/ja/", "/street/"])

    @override_settings(TIME_ZONE="Europe/Berlin")
    def test_mixed_types(self) -> None:
        page = self.preview(corpus("mixed_types.csv"))
        self.assertEqual(self.counts(page)["new"], 6, self.errors(page))
        self.confirm(page)
        codes = {
            (redirect.site_id, redirect.old_path): RedirectDetails.effective_status_code(redirect)
            for redirect in Redirect.objects.select_related("details")
        }
        self.assertEqual(
            codes,
            {(None, "/old-home"): 301, (None, "/legacy"): 308, (self.other_port.pk, "/news"): 301},
        )
        windows = {window.old_path: window for window in ScheduledRedirect.objects.all()}
        summer = windows["/summer-sale"]
        self.assertEqual(summer.starts_at, datetime.datetime(2026, 5, 31, 22, 0, tzinfo=UTC))
        self.assertEqual(summer.expires_at, datetime.datetime(2026, 8, 31, 22, 0, tzinfo=UTC))
        # Naive times are in TIME_ZONE (Berlin, UTC+1 in winter).
        black_friday = windows["/black-friday"]
        self.assertEqual(black_friday.starts_at, datetime.datetime(2026, 11, 26, 23, 0, tzinfo=UTC))
        self.assertEqual(black_friday.status_code, 302)
        register = windows["/register"]
        self.assertEqual((register.status_code, register.starts_at), (307, None))
        self.assertEqual(
            register.expires_at, datetime.datetime(2027, 3, 31, 23, 59, 59, tzinfo=UTC)
        )
        self.assertEqual(register.reason, "ticket sales until end of March")
        self.assertEqual(
            {window.source_import_id for window in windows.values()},
            {RedirectImport.objects.get().pk},
        )

    @override_settings(TIME_ZONE="America/New_York")
    def test_xlsx_first_sheet_dates_and_blank_row(self) -> None:
        page = self.preview(corpus("redirects.xlsx"), name="redirects.xlsx")
        plan = page.context["plan"]
        self.assertEqual(
            [(row.number, row.old_path, row.action) for row in plan.rows],
            [
                (2, "/xlsx-old", "new"),
                (3, "/xlsx-promo", "new"),
                (4, "/xlsx-event", "new"),
                (6, "/after-blank", "new"),
            ],
        )
        self.confirm(page)
        promo = ScheduledRedirect.objects.get(old_path="/xlsx-promo")
        self.assertEqual(promo.starts_at, datetime.datetime(2026, 12, 1, 14, 0, tzinfo=UTC))
        event = ScheduledRedirect.objects.get(old_path="/xlsx-event")
        # A date-only expiry is the end of that day in New York.
        self.assertEqual(event.expires_at, datetime.datetime(2026, 12, 28, 5, 0, tzinfo=UTC))
        self.assertEqual(event.starts_at, datetime.datetime(2026, 12, 24, 5, 0, tzinfo=UTC))
        old = Redirect.objects.get(old_path="/xlsx-old")
        self.assertEqual(RedirectDetails.effective_status_code(old), 301)

    def test_bad_rows_each_get_their_reason_and_nothing_is_written(self) -> None:
        page = self.preview(corpus("bad_rows.csv"))
        errors = self.errors(page)
        self.assertEqual(sorted(errors), list(range(2, 16)))
        expected = {
            2: "'to' cell is empty",
            3: "'303-ish' is not a redirect type",
            4: "expiry must be after the start",
            5: "permanent redirect cannot expire",
            6: "javascript:alert(1)",
            7: "data:text/html",
            8: "Loop: /loop-a → /loop-b → /loop-a",
            9: "Loop: /loop-b → /loop-a → /loop-b",
            10: "the source itself",
            11: "Row 11 and row 12",
            12: "Row 11 and row 12",
            13: "No site has the host 'no-such-host.example'",
            14: "'next tuesday' is not a date",
            15: "null byte",
        }
        for number, reason in expected.items():
            self.assertIn(reason, errors[number], number)
        self.assertContains(page, "javascript:alert(1)")
        self.assertNotContains(page, "<script>alert")
        confirm_url = reverse("wagtail_redirect_tools:import_confirm", args=[page.context["token"]])
        self.client.post(confirm_url)  # without "valid rows only": refused
        self.assertEqual((Redirect.objects.count(), ScheduledRedirect.objects.count()), (0, 0))
        record = RedirectImport.objects.get()
        self.assertEqual(record.status, ImportStatus.PREVIEWED)
        self.assertIn("14 rows have errors; nothing was written", record.problem)

    def test_too_long_names_the_limit(self) -> None:
        errors = self.errors(self.preview(corpus("too_long.csv")))
        self.assertIn("301 characters long; the limit is 255", errors[2])
        self.assertIn("320 characters long; the limit is 255", errors[3])

    def test_formula_cells_stored_as_is_and_exported_escaped(self) -> None:
        page = self.preview(corpus("formula_cells.csv"))
        self.confirm(page)
        self.assertEqual(Redirect.objects.count(), 3)
        reasons = dict(RedirectDetails.objects.values_list("redirect__old_path", "reason"))
        self.assertEqual(reasons["/f3"], "@SUM(1+1)")
        self.assertTrue(reasons["/f1"].startswith("=HYPERLINK("))
        for file_format in ("csv", "xlsx"):
            export = self.client.get("/admin/redirect-tools/redirects/", {"export": file_format})
            rows = read_table(export.content, f"export.{file_format}").rows
            exported = {row["from"]: row["reason"] for row in rows}
            self.assertEqual(exported["/f3"], "'@SUM(1+1)")
            self.assertEqual(exported["/f2"], "'+cmd|' /C calc'!A0")
        # Imported again, the export is the same redirects: nothing changes.
        again = self.preview(export.content, "export.xlsx")
        self.assertEqual(self.counts(again)["unchanged"], 3)


@time_machine.travel(BEFORE_THE_WINDOWS, tick=False)
class TestCorpusThroughTheCommand(ImportTestCase):
    def test_every_file(self) -> None:
        expected = {
            "basic.csv": (0, "4 new"),
            "excel_semicolon_bom.csv": (0, "3 new"),
            "windows1252.csv": (0, "3 new"),
            "excel_unicode_text.txt": (0, "2 new"),
            "mixed_types.csv": (0, "6 new"),
            "redirects.xlsx": (0, "4 new"),
            "formula_cells.csv": (0, "3 new"),
            "bad_rows.csv": (1, "14 error"),
            "too_long.csv": (1, "2 error"),
        }
        for name, (code, summary) in expected.items():
            with self.subTest(name):
                result, output = self.cli(str(CORPUS / name), "--dry-run")
                self.assertEqual(result, code, output)
                self.assertIn(summary, output)
                self.assertIn("Dry run: nothing was written.", output)
        self.assertEqual(Redirect.objects.count(), 0)

    def test_import_then_reimport_unchanged(self) -> None:
        code, output = self.cli(str(CORPUS / "mixed_types.csv"), "--user", "admin")
        self.assertEqual(code, 0, output)
        self.assertIn("Imported: 6 created, 0 updated", output)
        self.assertEqual((Redirect.objects.count(), ScheduledRedirect.objects.count()), (3, 3))
        code, output = self.cli(str(CORPUS / "mixed_types.csv"))
        self.assertIn("0 new, 0 update, 6 unchanged", output)
        entry = ModelLogEntry.objects.filter(action="wagtail_redirect_tools.import").last()
        self.assertEqual(entry.user, self.superuser)
        self.assertEqual(entry.data["counts"]["created"], 6)

    def test_bad_rows_print_row_and_reason_and_valid_only_imports_the_rest(self) -> None:
        code, output = self.cli(str(CORPUS / "bad_rows.csv"))
        self.assertEqual(code, 1)
        self.assertIn("Row 6: Enter a path", output)
        self.assertEqual(Redirect.objects.count(), 0)
        good = csv_bytes("from,to", "/fine/,/about/", "/bad/,javascript:x")
        path = Path(self.enterContext(TemporaryDir())) / "mixed.csv"
        path.write_bytes(good)
        code, output = self.cli(str(path), "--valid-only")
        self.assertEqual(code, 1)  # errors are still reported
        self.assertEqual(list(Redirect.objects.values_list("old_path", flat=True)), ["/fine"])

    def test_progress_bar_on_a_terminal(self) -> None:
        path = Path(self.enterContext(TemporaryDir())) / "plain.csv"
        path.write_bytes(csv_bytes("from,to", *(f"/p{i}/,/x/" for i in range(2500))))
        terminal = Terminal()
        call_command("redirects_import", str(path), stdout=io.StringIO(), stderr=terminal)
        drawn = terminal.getvalue()
        self.assertIn("Checking [####", drawn)
        self.assertIn("100% 2,500/2,500 rows", drawn)
        self.assertIn("Importing [", drawn)
        not_a_terminal = io.StringIO()
        call_command("redirects_import", str(path), stdout=io.StringIO(), stderr=not_a_terminal)
        self.assertEqual(not_a_terminal.getvalue(), "")

    def test_the_sandbox_sample_file(self) -> None:
        sample = Path(__file__).resolve().parents[1] / "sandbox/demo/files/sample-import.csv"
        code, output = self.cli(str(sample), "--dry-run")
        self.assertEqual(code, 1)
        self.assertIn("5 new, 0 update, 0 unchanged, 0 skip, 1 error", output)
        self.assertIn("Row 7: Enter a path", output)

    def test_site_and_type_options(self) -> None:
        path = Path(self.enterContext(TemporaryDir())) / "plain.csv"
        path.write_bytes(csv_bytes("from,to", "/a/,/b/"))
        code, output = self.cli(str(path), "--site", "localhost:8000", "--type", "302")
        self.assertEqual(code, 0, output)
        redirect = Redirect.objects.get()
        self.assertEqual((redirect.site, redirect.is_permanent), (self.other_port, False))
        self.assertEqual(RedirectDetails.objects.get().status_code, 302)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class TemporaryDir:
    def __enter__(self) -> str:
        import tempfile

        self.path = tempfile.mkdtemp()
        return self.path

    def __exit__(self, *args: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


@pytest.mark.collation
class TestRules(ImportTestCase):
    def plan(self, content: bytes, **options: Any) -> Any:
        return plan_import(read_table(content, "x.csv"), ImportOptions(**options))

    def test_existing_source_update_skip_or_error(self) -> None:
        Redirect.add_redirect("/old", "/first/")
        content = csv_bytes("from,to", "/old,/second/")
        self.assertEqual(self.plan(content).rows[0].action, "update")
        self.assertEqual(self.plan(content, on_existing="skip").rows[0].action, "skip")
        row = self.plan(content, on_existing="error").rows[0]
        self.assertIn("/old already has a redirect", " ".join(row.errors))

    def test_loop_through_an_existing_redirect(self) -> None:
        Redirect.add_redirect("/b", "/a/")
        row = self.plan(csv_bytes("from,to", "/a/,/b/")).rows[0]
        self.assertEqual(row.errors, ("Loop: /a → /b → /a.",))

    def test_chain_through_existing_is_flattened(self) -> None:
        Redirect.add_redirect("/b", "/c/")
        row = self.plan(csv_bytes("from,to", "/a/,/b/")).rows[0]
        self.assertEqual((row.action, row.link), ("new", "/c/"))
        self.assertIn("Chain: /a → /b", row.notes[0])

    def test_chain_inside_the_file_is_flattened(self) -> None:
        rows = self.plan(csv_bytes("from,to", "/a/,/b/", "/b/,https://example.org/")).rows
        self.assertEqual(
            [row.link for row in rows], ["https://example.org/", "https://example.org/"]
        )

    def test_a_chain_through_a_row_flattened_before_is_told_whole(self) -> None:
        rows = self.plan(
            csv_bytes("from,to", "/b/,/c/", "/c/,https://example.org/", "/a/,/b/")
        ).rows
        self.assertEqual({row.link for row in rows}, {"https://example.org/"})
        self.assertIn("Chain: /a → /b → /c;", rows[2].notes[0])

    def test_live_page_source_only_for_windows(self) -> None:
        rows = self.plan(
            csv_bytes("from,to,expires_at", "/about/,/x/,", "/about/,/x/,2099-01-01")
        ).rows
        self.assertIn("A live page is at /about", rows[0].errors[0])
        self.assertEqual((rows[1].kind, rows[1].action), ("scheduled", "new"))

    def test_identical_duplicate_is_skipped(self) -> None:
        rows = self.plan(csv_bytes("from,to", "/a/,/x/", "/a,/x/")).rows
        self.assertEqual([row.action for row in rows], ["new", "skip"])

    def test_windows_on_one_source_may_follow_each_other(self) -> None:
        rows = self.plan(
            csv_bytes(
                "from,to,starts_at,expires_at",
                "/sale/,/nov/,2099-11-01,2099-11-30",
                "/sale/,/dec/,2099-12-01,2099-12-31",
                "/sale/,/overlap/,2099-12-15,2100-01-31",
            )
        ).rows
        self.assertEqual([row.action for row in rows], ["new", "error", "error"])

    def test_page_references(self) -> None:
        rows = self.plan(
            csv_bytes(
                "from,to,expires_at",
                f"/x/,page:{self.about.pk}/past/,",
                "/y/,page:999999,",
                f"page:{self.about.pk},/elsewhere/,2099-01-01",
            )
        ).rows
        self.assertEqual((rows[0].page_id, rows[0].route_path), (self.about.pk, "/past/"))
        self.assertIn("not an existing page", rows[1].errors[0])
        self.assertEqual((rows[2].source_page_id, rows[2].kind), (self.about.pk, "scheduled"))
        row = self.plan(csv_bytes("from,to", f"page:{self.about.pk},/elsewhere/")).rows[0]
        self.assertIn("only be redirected for a while", row.errors[0])

    def test_gone(self) -> None:
        rows = self.plan(csv_bytes("from,to,type", "/gone/,,410", "/gone2/,/x/,gone")).rows
        self.assertEqual((rows[0].action, rows[0].status_code), ("new", 410))
        self.assertIn("410", rows[1].errors[0])

    def test_short_and_long_rows(self) -> None:
        rows = self.plan(b"from,to,type\n/short/\n/long/,/x/,301,extra\n").rows
        self.assertIn("'to' cell is empty", rows[0].errors[0])
        self.assertIn("more cells than the header", rows[1].errors[0])

    def test_planning_costs_the_same_queries_for_10_or_1000_rows(self) -> None:
        small = csv_bytes("from,to", *(f"/s{i}/,/t{i}/" for i in range(10)))
        big = csv_bytes("from,to", *(f"/s{i}/,/t{i}/" for i in range(1000)))
        with self.assertNumQueries(5):
            self.plan(small)
        with self.assertNumQueries(5):
            self.plan(big)

    def test_import_writes_in_batches(self) -> None:
        from wagtail_redirect_tools.importing.service import import_plan

        content = csv_bytes("from,to", *(f"/s{i}/,/t{i}/" for i in range(2500)))
        plan = self.plan(content)
        record = RedirectImport.objects.create(original_name="x.csv", total_rows=2500)
        # Batches of INSERTs (SQLite splits them further by its parameter limit), the
        # import's own row and one audit-log entry; never a query per row.
        with CaptureQueriesContext(connection) as queries:
            import_plan(plan, ImportOptions(), record=record)
        inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
        self.assertLess(len(queries), 2500 / 25)
        self.assertEqual(sum("modellogentry" in sql for sql in inserts), 1)
        self.assertEqual(Redirect.objects.count(), 2500)


class TestDaylightSaving(ImportTestCase):
    @override_settings(TIME_ZONE="Europe/London")
    def test_naive_times_on_both_sides_of_the_change(self) -> None:
        with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=UTC), tick=False):
            rows = plan_import(
                read_table(
                    csv_bytes(
                        "from,to,starts_at,expires_at",
                        "/spring/,/x/,2026-03-29 00:30,2026-03-29 03:00",
                        "/autumn/,/x/,2026-10-25 00:30,2026-10-25 03:00",
                    ),
                    "x.csv",
                ),
                ImportOptions(),
            ).rows
        self.assertEqual(rows[0].starts_at, datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
        self.assertEqual(rows[0].expires_at, datetime.datetime(2026, 3, 29, 2, 0, tzinfo=UTC))
        self.assertEqual(rows[1].starts_at, datetime.datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
        self.assertEqual(rows[1].expires_at, datetime.datetime(2026, 10, 25, 3, 0, tzinfo=UTC))


class TestAtomicity(ImportTestCase):
    def test_ids_read_back_where_the_insert_returns_none(self) -> None:
        """MySQL returns no ids from a multi-row INSERT (MariaDB, PostgreSQL and SQLite
        do): the details rows must still belong to the right redirects. The feature flag
        is what Django's MySQL backend reports; the database underneath is real."""
        Redirect.objects.create(old_path="/dup", redirect_link="/older/")  # all sites
        content = csv_bytes(
            "from,to,type,site", "/a,/x/,302,", "/b,/y/,308,localhost", "/dup,/z/,307,"
        )
        page = self.preview(content, on_existing="skip")
        features = type(connection.features)
        with mock.patch.object(features, "can_return_rows_from_bulk_insert", False):
            self.confirm(page)
        codes = dict(RedirectDetails.objects.values_list("redirect__old_path", "status_code"))
        self.assertEqual(codes, {"/a": 302, "/b": 308})
        self.assertEqual(Client().get("/a/", HTTP_HOST="localhost").status_code, 302)
        self.assertEqual(Client().get("/b/", HTTP_HOST="localhost").status_code, 308)

    def test_confirm_plans_again_against_todays_database(self) -> None:
        content = csv_bytes("from,to", *(f"/s{i}/,/t{i}/" for i in range(1500)))
        page = self.preview(content)
        # Between preview and confirm, someone adds a redirect for one of the rows.
        Redirect.objects.create(old_path="/s1200", redirect_link="/x/")
        summary = self.confirm(page)
        # The confirm planned again: that row is now an update, all others new.
        self.assertContains(summary, "1499 created, 1 updated")
        self.assertEqual(Redirect.objects.count(), 1500)

    def test_database_error_rolls_everything_back(self) -> None:
        from django.db import connection

        content = csv_bytes("from,to", *(f"/s{i}/,/t{i}/" for i in range(1500)))
        page = self.preview(content)
        statements = []

        details = connection.ops.quote_name(RedirectDetails._meta.db_table)

        def fail_after_the_redirects(execute: Any, sql: str, *args: Any) -> Any:
            # The redirects are written (an INSERT, or on PostgreSQL a COPY); then the
            # first statement that writes their details fails.
            if sql.startswith((f"INSERT INTO {details}", f"COPY {details}")):
                statements.append(Redirect.objects.count())
                raise RuntimeError("disk full")
            return execute(sql, *args)

        with connection.execute_wrapper(fail_after_the_redirects):
            result = self.confirm(page)
        self.assertGreaterEqual(statements[0], 1000)  # a batch (or all) written by then
        self.assertEqual(Redirect.objects.count(), 0)
        self.assertEqual(RedirectDetails.objects.count(), 0)
        record = RedirectImport.objects.get()
        self.assertEqual(record.status, ImportStatus.FAILED)
        self.assertContains(result, "nothing was written: disk full")


class TestUploadChecks(ImportTestCase):
    def test_file_errors_are_shown_on_the_form(self) -> None:
        cases = {
            b"": "The file is empty",
            b"source,destination\n": "has a header but no rows",
            b"PK\x03\x04garbage": "not a valid .xlsx",
        }
        for content, message in cases.items():
            with self.subTest(message):
                response = self.upload(content or b" ", "f.csv")
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, " ".join(response.context["form"].errors["file"]))
        self.assertEqual(RedirectImport.objects.count(), 0)
        # A header that names no 'to' is not refused: the editor matches the columns
        # (tests/test_import_mapping.py), the file kept.
        response = self.upload(b"old,whatever\n/a/,/b/\n", "f.csv")
        self.assertIn("/columns/", response["Location"])
        self.assertTrue(RedirectImport.objects.get().file)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_ROWS=3)
    def test_row_limit(self) -> None:
        response = self.upload(csv_bytes("from,to", *(f"/{i}/,/x/" for i in range(4))))
        self.assertIn("more than 3 rows", str(response.context["form"].errors))

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_FILE_SIZE=100)
    def test_size_limit(self) -> None:
        response = self.upload(csv_bytes("from,to", *(f"/{i}/,/x/" for i in range(40))))
        self.assertIn("the limit is 100 bytes", str(response.context["form"].errors))

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_FILE_SIZE=100_000)
    def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened(self) -> None:
        import zipfile

        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", " " * 2_000_000)
        self.assertLess(len(packed.getvalue()), 100_000)
        response = self.upload(packed.getvalue(), "bomb.xlsx")
        self.assertIn("unpacks to 2,000,000 bytes", str(response.context["form"].errors))

    def test_tampered_or_foreign_token_is_refused(self) -> None:
        page = self.preview(corpus("basic.csv"))
        token = page.context["token"]
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        self.assertEqual(self.client.get(f"{UPLOAD}{tampered}/").status_code, 404)
        other = get_user_model().objects.create_superuser("other", "o@example.com", "pw")
        other.is_superuser = False
        other.save()
        other_client = Client()
        other_client.force_login(make_user("importer", "add_redirect", "change_redirect"))
        self.assertEqual(other_client.get(f"{UPLOAD}{token}/").status_code, 404)
        self.assertEqual(other_client.post(f"{UPLOAD}{token}/confirm/").status_code, 404)
        self.assertEqual(Redirect.objects.count(), 0)

    def test_uploads_never_imported_are_deleted_after_a_week(self) -> None:
        with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=UTC)):
            old = self.preview(corpus("basic.csv"))
        record = RedirectImport.objects.get()
        names = (record.file.name, record.preview_file.name)
        with time_machine.travel(datetime.datetime(2026, 1, 9, tzinfo=UTC)):
            self.assertEqual(self.client.get(f"{UPLOAD}{old.context['token']}/").status_code, 404)
            self.preview(corpus("basic.csv"))
        self.assertFalse(RedirectImport.objects.filter(pk=record.pk).exists())
        from django.core.files.storage import default_storage

        self.assertFalse(any(default_storage.exists(name) for name in names))
        self.assertEqual(RedirectImport.objects.count(), 1)

    def test_permissions(self) -> None:
        for codenames, allowed in (
            ((), False),
            (("add_redirect",), False),
            (("add_redirect", "change_redirect"), True),
        ):
            with self.subTest(codenames):
                client = Client()
                client.force_login(make_user("u" + "-".join(codenames), *codenames))
                status = client.get(UPLOAD).status_code
                self.assertEqual(status == 200, allowed, status)

    def test_csrf(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.superuser)
        response = client.post(UPLOAD, {"file": SimpleUploadedFile("a.csv", corpus("basic.csv"))})
        self.assertEqual(response.status_code, 403)

    def test_templates_download_and_import_cleanly(self) -> None:
        for file_format in ("csv", "xlsx"):
            with self.subTest(file_format):
                response = self.client.get(f"{UPLOAD}template.{file_format}")
                self.assertEqual(response.status_code, 200)
                page = self.preview(response.content, f"template.{file_format}")
                self.assertEqual(self.counts(page)["error"], 0, self.errors(page))
                self.assertEqual(self.counts(page)["new"], 4)


@override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_ROWS=2)
class TestLargeFilesRunAsJobs(ImportTestCase):
    def test_with_a_worker_that_has_not_run_yet_the_page_shows_progress(self) -> None:
        dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        with override_settings(TASKS=dummy):
            response = self.upload(corpus("basic.csv"))
            page = self.client.get(response["Location"])
            self.assertContains(page, "data-import-progress")
            self.assertContains(page, "Waiting for the background job to start")
            token = page.context["token"]
            progress = self.client.get(f"{UPLOAD}{token}/progress/").json()
            self.assertEqual((progress["finished"], progress["total"]), (False, 4))
            record = RedirectImport.objects.get()
            self.assertEqual(record.status, ImportStatus.UPLOADED)
            # A worker half-way through shares its progress through the cache.
            ProgressReporter(record, "preview")(2, 4)
            progress = self.client.get(f"{UPLOAD}{token}/progress/").json()
            self.assertEqual(progress["percent"], 50)
            self.assertEqual(progress["text"], "Checking every row: 50% — 2 of 4 rows")
            self.assertContains(self.client.get(f"{UPLOAD}{token}/"), 'value="50"')
            from wagtail_redirect_tools.importing.tasks import preview_import_task

            preview_import_task.call(RedirectImport.objects.get().pk)  # the worker runs it
        page = self.client.get(f"{UPLOAD}{token}/")
        self.assertEqual(self.counts(page)["new"], 4)

    def test_a_second_confirm_does_nothing(self) -> None:
        from django_tasks import default_task_backend

        dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        with override_settings(TASKS=dummy):
            page = self.preview(corpus("basic.csv"))  # queued, not run: run it here
            from wagtail_redirect_tools.importing.tasks import preview_import_task

            preview_import_task.call(RedirectImport.objects.get().pk)
            page = self.client.get(f"{UPLOAD}{page.context['token']}/")
            url = reverse("wagtail_redirect_tools:import_confirm", args=[page.context["token"]])
            self.client.post(url)
            self.client.post(url)
            self.assertEqual(len(default_task_backend.results), 2)  # the preview and one import
            # The finished preview's 100% is not shown as the import's progress.
            progress = self.client.get(url.replace("/confirm/", "/progress/")).json()
            self.assertEqual((progress["status"], progress["percent"]), ("importing", 0))
            self.assertTrue(progress["text"].startswith("Checking every row against"))
        self.assertEqual(RedirectImport.objects.get().status, ImportStatus.IMPORTING)

    def test_the_upload_page_lists_my_recent_imports_to_come_back_to(self) -> None:
        page = self.preview(corpus("basic.csv"), name="mine.csv")
        other = Client()
        other.force_login(make_user("importer", "add_redirect", "change_redirect"))
        other.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile("theirs.csv", corpus("basic.csv")),
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        listing = self.client.get(UPLOAD)
        self.assertContains(listing, "mine.csv")
        self.assertNotContains(listing, "theirs.csv")
        ((_batch, url),) = listing.context["recent"]
        self.assertEqual(self.client.get(url).context["record"].pk, page.context["record"].pk)

    def test_with_the_immediate_backend_the_whole_flow_works(self) -> None:
        page = self.preview(corpus("basic.csv"))
        summary = self.confirm(page)
        self.assertContains(summary, "4 created")
        progress = self.client.get(f"{UPLOAD}{page.context['token']}/progress/").json()
        self.assertEqual((progress["finished"], progress["status"]), (True, "imported"))


class TestPreviewPages(ImportTestCase):
    def test_big_preview_is_paginated_and_filtered(self) -> None:
        rows = [f"/s{i}/,/t{i}/" for i in range(250)] + ["/bad/,javascript:x"]
        page = self.preview(csv_bytes("from,to", *rows))
        self.assertEqual(len(page.context["rows"]), 100)
        self.assertContains(page, "Page 1 of 3")
        token = page.context["token"]
        errors = self.client.get(f"{UPLOAD}{token}/", {"show": "error"})
        self.assertEqual([item["row"].number for item in errors.context["rows"]], [252])


class TestHostileFiles(ImportTestCase):
    def plan(self, content: bytes, name: str = "x.csv") -> Any:
        return plan_import(read_table(content, name), ImportOptions())

    def test_cells_that_break_parsers_are_row_errors(self) -> None:
        rows = self.plan(
            csv_bytes(
                "from,to,type,expires_at",
                "/never/,/x/,temporary,9999-12-31",
                "/ipv6/,http://[x/a,301,",
                "//[x/a,/x/,301,",
                "/fine/,/x/,301,",
            )
        ).rows
        self.assertIn("is not a date", rows[0].errors[0])
        self.assertIn("'http://[x/a' is neither", rows[1].errors[0])
        self.assertIn("not a valid path or URL", rows[2].errors[0])
        self.assertEqual(rows[3].action, "new")

    def test_json_objects_are_read_by_key_whatever_their_order(self) -> None:
        content = b'[{"from": "/a", "to": "/b"}, {"to": "/d", "from": "/c", "type": 1e999}]'
        rows = self.plan(content, "x.json").rows
        self.assertEqual([(row.old_path, row.link) for row in rows], [("/a", "/b"), ("/c", "/d")])
        self.assertIn("is not a redirect type", rows[1].errors[0])
        for bad in (b"{}", b"[1, 2]", b"[{"):
            with self.subTest(bad), self.assertRaises(ImportFileError):
                read_table(bad, "x.json")

    def test_a_workbook_claiming_a_million_rows_is_read_to_its_rows(self) -> None:
        import re
        import zipfile

        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["from", "to"])
        book.active.append(["/a/", "/b/"])
        saved = io.BytesIO()
        book.save(saved)
        source = zipfile.ZipFile(saved)
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = re.sub(
                        rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data
                    )
                    data = data.replace(
                        b"</sheetData>",
                        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
                        b"</c></row></sheetData>",
                    )
                archive.writestr(item, data)
        # Blank rows do not count toward the row limit, and a cell past the columns
        # the import uses is not read: the file is its one row.
        table = read_table(bomb.getvalue(), "bomb.xlsx")
        self.assertEqual((table.numbers, table.rows), ([2], [{"from": "/a/", "to": "/b/"}]))


@time_machine.travel(datetime.datetime(2026, 11, 1, 12, 0, tzinfo=UTC), tick=False)
@pytest.mark.collation
class TestReviewedRules(ImportTestCase):
    def plan(self, content: bytes, **options: Any) -> Any:
        return plan_import(read_table(content, "x.csv"), ImportOptions(**options))

    def test_scheduled_rows_need_the_scheduled_permissions(self) -> None:
        client = Client()
        client.force_login(make_user("importer", "add_redirect", "change_redirect"))
        response = client.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile(
                    "w.csv", csv_bytes("from,to,expires_at", "/a/,/b/,", "/w/,/x/,2027-01-01")
                ),
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        page = client.get(response["Location"])
        rows = page.context["plan"].rows
        self.assertEqual(rows[0].action, "new")
        self.assertIn("permission to add or change scheduled redirects", rows[1].errors[0])

    def test_two_rows_cannot_replace_one_window(self) -> None:
        ScheduledRedirect.objects.create(
            old_path="/sale",
            redirect_link="/old/",
            starts_at=datetime.datetime(2026, 11, 1, tzinfo=UTC),
            expires_at=datetime.datetime(2027, 1, 1, tzinfo=UTC),
        )
        rows = self.plan(
            csv_bytes(
                "from,to,starts_at,expires_at",
                "/sale/,/nov/,2026-11-01,2026-11-30",
                "/sale/,/dec/,2026-12-01,2026-12-31",
            )
        ).rows
        self.assertEqual(rows[0].action, "update")
        self.assertIn("Row 2 already replaces", rows[1].errors[0])

    def test_a_window_without_a_start_does_not_overlap_an_expired_one(self) -> None:
        ScheduledRedirect.objects.create(
            old_path="/sale",
            redirect_link="/october/",
            starts_at=datetime.datetime(2026, 10, 1, tzinfo=UTC),
            expires_at=datetime.datetime(2026, 10, 31, tzinfo=UTC),
        )
        row = self.plan(csv_bytes("from,to,expires_at", "/sale/,/dec/,2026-12-31")).rows[0]
        self.assertEqual(row.action, "new")

    def test_a_chain_through_another_site_keeps_its_absolute_link(self) -> None:
        shop = make_site("shop.example", self.home)
        Redirect.objects.create(site=shop, old_path="/new", redirect_link="/final/")
        row = self.plan(csv_bytes("from,to", "/old/,http://shop.example/new")).rows[0]
        self.assertEqual(row.link, "http://shop.example/new")
        self.assertIn("through another site; kept", row.notes[0])

    def test_chains_go_through_what_will_be_written_only(self) -> None:
        Redirect.add_redirect("/b", "/c/")
        rows = self.plan(csv_bytes("from,to", "/a/,/b/", "/b/,/x/"), on_existing="skip").rows
        self.assertEqual([row.action for row in rows], ["new", "skip"])
        self.assertEqual(rows[0].link, "/c/")  # /b stays → /c/, so /a goes straight there

    def test_a_flattened_chain_equal_to_what_exists_is_unchanged(self) -> None:
        Redirect.add_redirect("/b", "/c/")
        Redirect.add_redirect("/a", "/c/")
        row = self.plan(csv_bytes("from,to", "/a/,/b/")).rows[0]
        self.assertEqual(row.action, "unchanged")

    def test_a_link_with_a_fragment_or_query_stays_a_link(self) -> None:
        rows = self.plan(csv_bytes("from,to", "/x/,/about/#team", "/y/,/about/?tab=2")).rows
        self.assertEqual(
            [(row.page_id, row.link) for row in rows],
            [(None, "/about/#team"), (None, "/about/?tab=2")],
        )

    def test_page_routes_are_normalised_and_limited(self) -> None:
        rows = self.plan(
            csv_bytes(
                "from,to",
                f"/x/,page:{self.about.pk}/past/?x=1",
                f"/y/,page:{self.about.pk}/" + "r" * 300,
            )
        ).rows
        self.assertEqual(rows[0].route_path, "/past/")
        self.assertIn("page route is", rows[1].errors[0])

    def test_the_command_refuses_an_unknown_type(self) -> None:
        from django.core.management.base import CommandError

        path = Path(self.enterContext(TemporaryDir())) / "plain.csv"
        path.write_bytes(csv_bytes("from,to", "/a/,/b/"))
        with self.assertRaisesMessage(CommandError, "'302x' is not a redirect type"):
            call_command("redirects_import", str(path), "--type", "302x", stdout=io.StringIO())
        call_command("redirects_import", str(path), "--type", "temporary", stdout=io.StringIO())
        self.assertFalse(Redirect.objects.get().is_permanent)

    def import_over(self, window: ScheduledRedirect, *lines: str) -> RedirectImport:
        """Import ``lines`` (a header and a row that updates ``window``); ``window`` reloaded."""
        from wagtail_redirect_tools.importing.service import import_plan

        plan = self.plan(csv_bytes(*lines))
        self.assertEqual(plan.rows[0].action, "update")
        record = RedirectImport.objects.create(original_name="x.csv")
        import_plan(plan, ImportOptions(), record=record)
        window.refresh_from_db()
        return record

    def test_updating_an_active_window_keeps_its_history(self) -> None:
        started = datetime.datetime(2026, 10, 1, tzinfo=UTC)
        window = ScheduledRedirect.objects.create(
            old_path="/sale",
            redirect_link="/x/",
            starts_at=started,
            expires_at=datetime.datetime(2027, 1, 1, tzinfo=UTC),
            start_logged_at=started,
        )
        record = self.import_over(
            window,
            "from,to,starts_at,expires_at,reason",
            "/sale/,/x/,2026-10-01T00:00Z,2027-01-01T00:00Z,now with a reason",
        )
        self.assertEqual(
            (window.reason, window.start_logged_at, window.source_import),
            ("now with a reason", started, record),
        )

    def test_a_window_moved_later_is_written_whole_with_its_transitions_to_come(self) -> None:
        window = ScheduledRedirect.objects.create(
            old_path="/sale",
            redirect_link="/x/",
            starts_at=datetime.datetime(2026, 10, 1, tzinfo=UTC),
            expires_at=datetime.datetime(2026, 12, 1, tzinfo=UTC),
            start_logged_at=datetime.datetime(2026, 10, 1, tzinfo=UTC),
            expiry_notice_sent_at=datetime.datetime(2026, 10, 30, tzinfo=UTC),
        )
        record = self.import_over(
            window,
            "from,to,type,starts_at,expires_at",
            f"/sale/,page:{self.about.pk},307,2026-11-15T00:00Z,2027-02-01T00:00Z",
        )
        self.assertEqual(
            (window.redirect_page_id, window.redirect_link, window.status_code),
            (self.about.pk, "", 307),
        )
        self.assertEqual(
            (window.starts_at, window.expires_at),
            (
                datetime.datetime(2026, 11, 15, tzinfo=UTC),
                datetime.datetime(2027, 2, 1, tzinfo=UTC),
            ),
        )
        self.assertEqual((window.start_logged_at, window.expiry_notice_sent_at), (None, None))
        self.assertEqual(window.source_import, record)
        self.assertEqual(window.updated_at, datetime.datetime(2026, 11, 1, 12, 0, tzinfo=UTC))

    def test_what_exists_imports_back_unchanged_even_where_pages_now_are(self) -> None:
        # A link that is a live page's URL, and a redirect whose source became a live page.
        Redirect.add_redirect("/x", "/about/")
        Redirect.add_redirect("/about", "/elsewhere/")
        secure = make_site("secure.example", self.home, port=443)
        Redirect.objects.create(site=secure, old_path="/s", redirect_link="/about/team/")
        out = io.StringIO()
        call_command("redirects_export", "--format", "csv", stdout=out)
        self.assertIn("/s,/about/team/,301,secure.example,", out.getvalue())  # 443: no port
        rows = self.plan(out.getvalue().encode()).rows
        self.assertEqual([row.action for row in rows], ["unchanged"] * 3, [r.errors for r in rows])

    def test_a_page_redirected_to_itself_is_a_loop(self) -> None:
        rows = self.plan(
            csv_bytes(
                "from,to,expires_at",
                f"page:{self.about.pk},page:{self.about.pk},2027-01-01",
                f"/about/,page:{self.about.pk},2027-01-01",
                f"/about/,page:{self.about.pk}/past/,2027-02-01",
            )
        ).rows
        self.assertIn("source itself", rows[0].errors[0])
        self.assertIn("source itself", rows[1].errors[0])
        self.assertEqual(rows[2].errors, ())
