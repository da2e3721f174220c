"""A full export restores: ``redirects_export`` (and the admin's "everything" download)
imports into an emptied database with ``redirects_import`` later on, ended windows
included, and what had ended stays ended (issue 28, item 11)."""

from __future__ import annotations

import codecs
import datetime
import io
import tempfile
from pathlib import Path
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools import resolve, schedule_redirect
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.models import RedirectDetails, ScheduledRedirect
from wagtail_redirect_tools.scheduling import end_windows
from wagtail_redirect_tools.scheduling.transitions import run_transitions


def at(month: int, day: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, 0, tzinfo=datetime.UTC)


SET_UP = at(10, 1)
EXPORTED = at(11, 1)
# Seven weeks after the export, within the 90 days ended windows are kept.
RESTORED = at(12, 20)


def redirects() -> set[tuple[Any, ...]]:
    return {
        (
            r.site_id,
            r.old_path,
            r.redirect_page_id,
            r.redirect_page_route_path,
            r.redirect_link,
            RedirectDetails.effective_status_code(r),
        )
        for r in Redirect.objects.select_related("details")
    }


def windows() -> set[tuple[Any, ...]]:
    return set(
        ScheduledRedirect.objects.values_list(
            "site_id",
            "old_path",
            "source_page_id",
            "redirect_page_id",
            "redirect_link",
            "status_code",
            "starts_at",
            "expires_at",
            "reason",
        )
    )


class TestRestore(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(SET_UP, tick=False):
            cls.site, cls.home = fresh_site_tree("localhost")
            cls.shop = make_site("shop.example", cls.home, port=8080)
            cls.about = add_page(cls.home, "about", title="About")
            cls.superuser = get_user_model().objects.create_superuser(
                "admin", "a@example.com", "pw"
            )
            for code, path, target in ((301, "/old", "/about-us/"), (302, "/temp", "/offers/")):
                redirect = Redirect.objects.create(old_path=path, redirect_link=target)
                RedirectDetails.record(redirect, status_code=code)
            gone = Redirect.objects.create(old_path="/gone", site=cls.shop)
            RedirectDetails.record(gone, status_code=410)
            # Ended by the export: without a start, with one, on a page, and two
            # windows of one source, the first ended.
            schedule_redirect("/autumn", "/sale/", expires_at=at(10, 10), reason="autumn")
            schedule_redirect("/promo", "/a/", starts_at=at(10, 5), expires_at=at(10, 20))
            schedule_redirect("/promo", "/b/", starts_at=at(12, 1), expires_at=at(12, 10))
            schedule_redirect(cls.about, "/away/", starts_at=at(10, 2), expires_at=at(10, 25))
            early = schedule_redirect("/early", "/x/", expires_at=at(12, 1), site=cls.shop)
            # Running at the export, ended at the restore.
            schedule_redirect("/running", "/r/", expires_at=at(12, 15), status_code=307)
            # Still to come at the restore, and running then.
            schedule_redirect("/winter", "/w/", starts_at=at(1, 1, 2027), expires_at=at(3, 1, 2027))
            schedule_redirect("/now", "/n/", starts_at=at(12, 1), expires_at=at(2, 1, 2027))
        with time_machine.travel(at(10, 12), tick=False):
            end_windows([early])
        with time_machine.travel(EXPORTED, tick=False):
            run_transitions()

    def exported(self, file_format: str) -> Path:
        directory = Path(self.enterContext(tempfile.TemporaryDirectory()))
        path = directory / f"everything.{file_format}"
        with time_machine.travel(EXPORTED, tick=False):
            call_command("redirects_export", str(path))
        return path

    def restore(self, path: Path) -> str:
        """Empty the database of redirects and windows, then import ``path`` later on."""
        Redirect.objects.all().delete()
        ScheduledRedirect.objects.all().delete()
        out = io.StringIO()
        with time_machine.travel(RESTORED, tick=False):
            call_command("redirects_import", str(path), stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_the_commands_export_restores_everything(self) -> None:
        before = (redirects(), windows())
        self.assertEqual(len(before[1]), 8)
        files = [self.exported(file_format) for file_format in ("csv", "xlsx", "json")]
        for path in files:
            with self.subTest(path.suffix):
                output = self.restore(path)
                self.assertIn("11 created", output)
                self.assertEqual((redirects(), windows()), before)

    def test_the_admin_download_of_everything_restores_everything(self) -> None:
        before = (redirects(), windows())
        self.client.force_login(self.superuser)
        with time_machine.travel(EXPORTED, tick=False):
            response = self.client.get(
                "/admin/redirect-tools/redirects/", {"export": "csv", "include": "scheduled"}
            )
        directory = Path(self.enterContext(tempfile.TemporaryDirectory()))
        path = directory / "download.csv"
        path.write_bytes(response.content)
        # The same file as the command's, with the byte-order mark Excel needs.
        command_export = self.exported("csv").read_bytes()
        self.assertEqual(response.content, codecs.BOM_UTF8 + command_export)
        self.restore(path)
        self.assertEqual((redirects(), windows()), before)

    def test_an_ended_window_stays_ended_and_its_history_is_not_logged_again(self) -> None:
        self.restore(self.exported("csv"))
        with time_machine.travel(RESTORED, tick=False):
            for site, path in (
                (self.site, "/autumn"),
                (self.site, "/promo"),
                (self.site, "/running"),
                (self.shop, "/early"),
                (self.site, "/about/"),
            ):
                with self.subTest(path):
                    self.assertNotEqual(resolve(site, path).kind, "window")
            self.assertEqual(resolve(self.site, "/now").kind, "window")
            self.assertEqual(resolve(self.site, "/winter").kind, "none")
            logged = PageLogEntry.objects.count()
            report = run_transitions()
        # Only the window running here starts; nothing that ended elsewhere is logged as
        # started or ended, nor purged.
        self.assertEqual((report.started, report.ended), (1, 0))
        self.assertEqual(PageLogEntry.objects.count(), logged)
        with time_machine.travel(at(3, 2, 2027), tick=False):
            self.assertEqual(resolve(self.site, "/winter").kind, "none")

    def test_importing_the_same_file_again_changes_nothing(self) -> None:
        path = self.exported("csv")
        self.restore(path)
        with time_machine.travel(RESTORED, tick=False):
            plan = plan_import(read_table(path.read_bytes(), path.name), ImportOptions())
        self.assertEqual([row.errors for row in plan.rows if row.errors], [])
        self.assertEqual(plan.counts["unchanged"], 11)

    def test_an_ended_row_is_history_and_never_replaces_a_current_window(self) -> None:
        header = "from,to,type,starts_at,expires_at\n"
        rows = (
            # Ended while /now's window (from 1 December) was running: refused.
            "/now,/old-now/,302,2026-11-25T00:00:00Z,2026-12-02T00:00:00Z\n"
            # Ended before it: history beside it.
            "/now,/older/,302,2026-11-01T00:00:00Z,2026-11-10T00:00:00Z\n"
            # Without a start, the end is the one moment known: before /now's window,
            # history; inside it, refused.
            "/now,/no-start/,302,,2026-11-15T00:00:00Z\n"
            "/now,/inside/,302,,2026-12-03T00:00:00Z\n"
        )
        with time_machine.travel(RESTORED, tick=False):
            plan = plan_import(read_table((header + rows).encode(), "x.csv"), ImportOptions())
        self.assertEqual(
            [row.action for row in plan.rows], ["error", "new", "new", "error"], plan.rows
        )
        self.assertIn("still running or to come", plan.rows[0].errors[0])
        self.assertTrue(plan.rows[1].notes[0].startswith("Ended on 2026-11-10"), plan.rows[1])
