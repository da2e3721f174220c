"""The hostile-value corpus (``tests/corpus/hostile_values.json``) through every writer of
redirects (issue 29): the Redirects form, the import (admin and ``redirects_import``), the
404 log's fixes, page slug changes, the bulk actions and the scheduled-redirect form. Each
value is refused with a reason (for an import, on its row), or stored; then every export
(CSV, TSV, XLSX, JSON: the listings and ``redirects_export``) is written without error."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import rules, schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.writing import write_counts

CORPUS = Path(__file__).parent / "corpus" / "hostile_values.json"
VALUES: list[dict[str, str]] = json.loads(CORPUS.read_text(encoding="utf-8"))["values"]
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
REDIRECTS = reverse("redirect_tools_redirects:index")
ADD = reverse("redirect_tools_redirects:add")
WINDOWS = "/admin/scheduled-redirects/"
ADD_WINDOW = "/admin/scheduled-redirects/new/"
UPLOAD = reverse("wagtail_redirect_tools:import")


def storable(value: str) -> bool:
    """Whether this database can hold ``value`` in a 255-character path at all (as an
    older version may have stored it): PostgreSQL holds no NUL."""
    return len(value) <= 255 and not (connection.vendor == "postgresql" and "\x00" in value)


def csv_file(rows: list[tuple[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["from", "to"])
    writer.writerows(rows)
    return out.getvalue().encode()


@time_machine.travel(NOW, tick=False)
class HostileWritersTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.target = add_page(cls.home, "target", title="Target")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def assert_every_export_writes(self, at_least: int) -> None:
        """Every export of redirects and windows is written and read back whole."""
        self.assertGreaterEqual(Redirect.objects.count() + ScheduledRedirect.objects.count(), 1)
        with tempfile.TemporaryDirectory() as folder:
            for file_format in ("csv", "tsv", "xlsx", "json"):
                target = Path(folder) / f"all.{file_format}"
                call_command("redirects_export", str(target))
                self.assertGreater(target.stat().st_size, 0)
            book = openpyxl.load_workbook(Path(folder) / "all.xlsx")
            self.assertGreaterEqual(book.active.max_row - 1, at_least)
        for listing in (REDIRECTS, WINDOWS):
            for file_format in ("csv", "xlsx", "json"):
                with self.subTest(listing=listing, export=file_format):
                    response = self.client.get(listing, {"export": file_format})
                    self.assertEqual(response.status_code, 200)
        response = self.client.get(REDIRECTS, {"export": "xlsx", "include": "scheduled"})
        self.assertEqual(response.status_code, 200)
        openpyxl.load_workbook(io.BytesIO(response.content))

    def assert_refused_with_reason(self, response: Any, field: str, name: str) -> None:
        self.assertEqual(response.status_code, 200, name)
        errors = response.context["form"].errors
        self.assertTrue(errors, name)
        self.assertTrue(
            all(message.strip() for messages in errors.values() for message in messages)
        )


class TestForms(HostileWritersTestCase):
    def test_redirect_form_source_and_target(self) -> None:
        stored = refused = 0
        for number, item in enumerate(VALUES):
            name, value = item["name"], item["value"]
            with self.subTest(name=name, role="source"):
                before = Redirect.objects.count()
                response = self.client.post(
                    ADD,
                    {
                        "old_path": value,
                        "site": self.site.pk,
                        "status_code": "301",
                        "redirect_link": f"/to-{number}/",
                    },
                )
                if response.status_code == 302:
                    stored += 1
                    self.assertEqual(Redirect.objects.count(), before + 1)
                else:
                    refused += 1
                    self.assert_refused_with_reason(response, "old_path", name)
            with self.subTest(name=name, role="target"):
                response = self.client.post(
                    ADD,
                    {
                        "old_path": f"/from-{number}/",
                        "site": self.site.pk,
                        "status_code": "301",
                        "redirect_link": value,
                    },
                )
                if response.status_code != 302:
                    self.assert_refused_with_reason(response, "redirect_link", name)
        print(f"Redirects form, as a source: {stored} stored, {refused} refused")
        self.assertGreater(refused, 10)
        self.assert_every_export_writes(stored)

    def test_every_writer_says_the_same_for_the_same_source(self) -> None:
        """The Redirects form (which accepted these two before), a window, the import and
        Mark gone refuse a source with one message."""
        for value in ("/a%00b", "/admin/pages/", "/a\tb"):
            with self.subTest(value=value):
                expected = " ".join(rules.source_error(value).messages)  # type: ignore[union-attr]
                response = self.client.post(
                    ADD,
                    {
                        "old_path": value,
                        "site": self.site.pk,
                        "status_code": "301",
                        "redirect_link": "/x/",
                    },
                )
                self.assertEqual(response.context["form"].errors["old_path"], [expected])
                with self.assertRaises(ValidationError) as caught:
                    schedule_redirect(value, "/x/", expires_at=NOW + datetime.timedelta(days=1))
                self.assertEqual(caught.exception.message_dict["old_path"], [expected])
                out = io.StringIO()
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder) / "one.csv"
                    path.write_bytes(csv_file([(value, "/x/")]))
                    with self.assertRaises(CommandError):
                        call_command(
                            "redirects_import",
                            str(path),
                            "--dry-run",
                            stdout=out,
                            stderr=io.StringIO(),
                        )
                self.assertIn(f"Row 2: {expected}", out.getvalue())
        self.assertFalse(Redirect.objects.exists())

    def test_scheduled_redirect_form_source_and_target(self) -> None:
        def post(old_path: str, link: str) -> Any:
            return self.client.post(
                ADD_WINDOW,
                {
                    "source_kind": "path",
                    "old_path": old_path,
                    "site": "",
                    "source_page": "",
                    "redirect_page": "",
                    "redirect_page_route_path": "",
                    "redirect_link": link,
                    "status_code": "302",
                    "starts_at": "",
                    "expires_at": "2026-12-10 18:00",
                    "reason": old_path,
                },
            )

        for number, item in enumerate(VALUES):
            name, value = item["name"], item["value"]
            with self.subTest(name=name, role="source"):
                response = post(value, f"/to-{number}/")
                if response.status_code != 302:
                    self.assert_refused_with_reason(response, "old_path", name)
            with self.subTest(name=name, role="target"):
                response = post(f"/from-{number}/", value)
                if response.status_code != 302:
                    self.assert_refused_with_reason(response, "redirect_link", name)
        self.assertGreater(ScheduledRedirect.objects.count(), 40)
        self.assert_every_export_writes(40)

    def test_schedule_redirect_source_and_target(self) -> None:
        """The package's Python API: the same rules, as a ValidationError per field."""
        expires_at = NOW + datetime.timedelta(days=3)
        for number, item in enumerate(VALUES):
            name, value = item["name"], item["value"]
            for field, source, target in [
                ("old_path", value, f"/to-{number}/"),
                ("redirect_link", f"/from-{number}/", value),
            ]:
                with self.subTest(name=name, field=field):
                    try:
                        schedule_redirect(source, target, expires_at=expires_at)
                    except ValidationError as error:
                        messages = error.message_dict
                        self.assertTrue(messages, name)
                        self.assertTrue(all(m.strip() for ms in messages.values() for m in ms))
        self.assertGreater(ScheduledRedirect.objects.count(), 40)
        self.assert_every_export_writes(40)


class TestImports(HostileWritersTestCase):
    rows = [
        *[(item["value"], f"/to-{number}/") for number, item in enumerate(VALUES)],
        *[(f"/from-{number}/", item["value"]) for number, item in enumerate(VALUES)],
    ]

    def test_through_the_admin(self) -> None:
        response = self.client.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile("hostile.csv", csv_file(self.rows)),
                "site": "",
                "default_type": "301",
                "on_existing": "update",
                "file_format": "csv",
                "encoding": "utf-8",
                "valid_only": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        plan = page.context["plan"]
        self.assertEqual(len(plan.rows), len(self.rows))
        # Rows are numbered by the file's lines (a cell with a line break takes two).
        for (source, target), row in zip(self.rows, plan.rows, strict=True):
            with self.subTest(row=row.number, source=source[:40], target=target[:40]):
                self.assertTrue(row.errors or row.action == "new", (row.action, row.errors))
                self.assertTrue(all(error.strip() for error in row.errors))
        refused = sum(1 for row in plan.rows if row.errors)
        url = reverse("wagtail_redirect_tools:import_confirm", args=[page.context["token"]])
        self.client.post(url, {"valid_only": "on"})
        self.assertEqual(Redirect.objects.count(), len(plan.rows) - refused)
        self.assert_every_export_writes(len(plan.rows) - refused)

    def test_through_the_command(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "hostile.csv"
            path.write_bytes(csv_file(self.rows))
            out = io.StringIO()
            # With --valid-only the valid rows are written, and the exit status says
            # that some rows were not.
            with self.assertRaisesMessage(CommandError, "rows have errors"):
                call_command(
                    "redirects_import", str(path), "--valid-only", stdout=out, stderr=io.StringIO()
                )
        reasons = dict(re.findall(r"^Row (\d+): (.+)$", out.getvalue(), re.MULTILINE))
        stored = Redirect.objects.count()
        self.assertEqual(stored + len(reasons), len(self.rows), out.getvalue()[-2000:])
        self.assertTrue(all(reason.strip() for reason in reasons.values()))
        self.assert_every_export_writes(stored)


class TestNotFoundFixes(HostileWritersTestCase):
    def log_values(self) -> list[NotFoundPath]:
        """Each storable value in the 404 log, as an older version may have stored it."""
        counts = NotFoundCounts(max_paths=1000)
        for number, _item in enumerate(VALUES):
            counts.add(
                (self.site.pk, f"/placeholder-{number}"), bot=False, when=time.time(), referer=""
            )
        write_counts(counts)
        for number, item in enumerate(VALUES):
            if storable(item["value"]):
                NotFoundPath.objects.filter(path=f"/placeholder-{number}").update(
                    path=item["value"]
                )
            else:
                NotFoundPath.objects.filter(path=f"/placeholder-{number}").delete()
        return list(NotFoundPath.objects.all())

    def test_mark_gone(self) -> None:
        entries = self.log_values()
        url = reverse("wagtail_redirect_tools:not_found_fix", args=["gone"])
        response = self.client.post(url, {"id": [entry.pk for entry in entries]}, follow=True)
        self.assertEqual(response.status_code, 200)
        made = set(Redirect.objects.values_list("old_path", flat=True))
        messages = [str(message) for message in response.context["messages"]]
        for entry in entries:
            with self.subTest(path=entry.path[:40]):
                if entry.path not in made:
                    self.assertTrue(
                        any("got no redirect" in message for message in messages), entry.path
                    )
        self.assertGreater(len(made), 30)
        self.assert_every_export_writes(len(made))

    def test_redirect_to_each_value(self) -> None:
        self.log_values()
        entry = NotFoundPath.objects.filter(path="/a+b").get()
        url = reverse("wagtail_redirect_tools:not_found_fix", args=["redirect"])
        for item in VALUES:
            name, value = item["name"], item["value"]
            with self.subTest(name=name):
                Redirect.objects.all().delete()
                response = self.client.post(url, {"id": [entry.pk], "redirect_link": value})
                if response.status_code != 302:
                    self.assert_refused_with_reason(response, "redirect_link", name)
                elif rules.link_loops(entry.path, value, entry.site):
                    # The path sent to itself: refused with the reason (issue 32, item 6).
                    self.assertFalse(Redirect.objects.exists())
                else:
                    self.assertEqual(Redirect.objects.get().redirect_link, value)
                    self.assert_every_export_writes(1)


class TestSlugChangesAndBulkActions(HostileWritersTestCase):
    def test_slug_changes(self) -> None:
        page = add_page(self.home, "moving", title="Moving")
        for item in VALUES:
            name, slug = item["name"], item["value"].strip("/")
            if not storable(slug):  # Wagtail's own slug check queries it: PostgreSQL fails
                continue
            with self.subTest(name=name):
                page = Page.objects.get(pk=page.pk).specific
                page.slug = slug
                try:
                    with self.captureOnCommitCallbacks(execute=True):
                        page.save_revision().publish()
                except ValidationError as error:
                    self.assertIn("slug", error.message_dict)
        made = list(Redirect.objects.values_list("old_path", flat=True))
        self.assertIn("/moving", made)  # the first rename's
        self.assertEqual([path for path in made if rules.source_error(path)], [])
        self.assert_every_export_writes(len(made))

    def test_bulk_actions_on_stored_values(self) -> None:
        """Values an older version stored, through the listing's bulk actions."""
        redirects = [
            Redirect.objects.create(old_path=item["value"], site=self.site, redirect_link="/x/")
            for item in VALUES
            if storable(item["value"])
        ]
        ids = "&".join(f"id={redirect.pk}" for redirect in redirects)
        for action, data in [
            ("change_status", {"status_code": "308"}),
            ("export_selected", {"format": "xlsx"}),
            ("export_selected", {"format": "csv"}),
        ]:
            with self.subTest(action=action, data=data):
                url = reverse("wagtail_bulk_action", args=["wagtailredirects", "redirect", action])
                response = self.client.post(f"{url}?next={REDIRECTS}&{ids}", data)
                self.assertIn(response.status_code, (200, 302))
                if data.get("format") == "xlsx":
                    openpyxl.load_workbook(io.BytesIO(response.content))
        self.assert_every_export_writes(len(redirects))
