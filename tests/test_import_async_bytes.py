"""Files above ``IMPORT_ASYNC_BYTES`` bytes go to the background job whatever their
number of rows: the upload request only keeps them, the preview job reads them (once),
and their import is a job too. Through the admin, as an editor uploads."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.checks import check_settings
from wagtail_redirect_tools.importing.tasks import preview_import_task, run_import_task
from wagtail_redirect_tools.models import ImportStatus, RedirectImport

UPLOAD = reverse("wagtail_redirect_tools:import")
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
# Ten rows, 171 bytes: far below the row threshold, above a byte threshold of 100.
TEN_ROWS = ("from,to\n" + "".join(f"/old-{i}/,/new-{i}/\n" for i in range(10))).encode()
FRENCH = Path(__file__).resolve().parent / "corpus" / "french_excel.csv"


@override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_BYTES=100, TASKS=DUMMY_TASKS)
class TestFilesAboveTheByteThreshold(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def upload(self, content: bytes, name: str = "r.csv") -> Any:
        response = self.client.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile(name, content),
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        return response["Location"]

    def test_the_upload_keeps_the_file_unread_and_the_job_reads_it(self) -> None:
        url = self.upload(TEN_ROWS)
        page = self.client.get(url)
        self.assertContains(page, "Waiting for the background job to start")
        record = RedirectImport.objects.get()
        self.assertEqual((record.status, record.total_rows), (ImportStatus.UPLOADED, 0))
        self.assertFalse(record.rows_file)  # not read in the request
        preview_import_task.call(record.pk)  # the worker
        record.refresh_from_db()
        self.assertEqual((record.status, record.total_rows), (ImportStatus.PREVIEWED, 10))
        page = self.client.get(url)
        self.assertEqual(page.context["plan"].counts["new"], 10)
        # The import is a job too (the file is large), and imports the rows read.
        self.client.post(url + "confirm/")
        self.assertEqual(RedirectImport.objects.get().status, ImportStatus.IMPORTING)
        self.assertFalse(Redirect.objects.exists())
        run_import_task.call(record.pk, self.superuser.pk)
        self.assertContains(self.client.get(url), "10 created")

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_BYTES=1000)
    def test_a_file_within_the_threshold_is_previewed_in_the_request(self) -> None:
        page = self.client.get(self.upload(TEN_ROWS))
        self.assertEqual(page.context["plan"].counts["new"], 10)

    def test_a_header_to_match_found_by_the_job_leads_to_the_matching_step(self) -> None:
        url = self.upload(FRENCH.read_bytes(), "french.csv")
        record = RedirectImport.objects.get()
        preview_import_task.call(record.pk)
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.UPLOADED)
        # The page that polls stops, reloads, and is sent to the matching step.
        self.assertTrue(self.client.get(url + "progress/").json()["finished"])
        # The import's address is signed with the time: the step's own address is signed
        # anew, so it is compared without its token (a second may pass between the two).
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        location = response["Location"]
        self.assertEqual(location.rsplit("/", 3)[0], url.rsplit("/", 2)[0])
        self.assertTrue(location.endswith("/columns/"), location)
        self.assertContains(self.client.get(location), "Ancienne URL")

    def test_a_file_the_job_cannot_read_says_why(self) -> None:
        url = self.upload(b"PK\x03\x04" + b"\x00" * 200, "r.xlsx")
        preview_import_task.call(RedirectImport.objects.get().pk)
        page = self.client.get(url)
        self.assertEqual(page.context["record"].status, ImportStatus.FAILED)
        self.assertContains(page, "The file is not a valid .xlsx workbook.")

    def test_an_empty_or_too_large_file_is_still_refused_on_the_form(self) -> None:
        for content, message in (
            (b" " * 200, "The file is empty."),
            (TEN_ROWS * 10, "the limit is 1,000 bytes"),
        ):
            with (
                self.subTest(message),
                override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_FILE_SIZE=1000),
            ):
                response = self.client.post(
                    UPLOAD,
                    {
                        "file": SimpleUploadedFile("r.csv", content),
                        "default_type": "301",
                        "on_existing": "update",
                        "file_format": "auto",
                        "encoding": "auto",
                    },
                )
                self.assertIn(message, " ".join(response.context["form"].errors["file"]))
        self.assertFalse(RedirectImport.objects.exists())

    def test_the_command_reads_and_imports_in_its_own_process(self) -> None:
        folder = self.enterContext(tempfile.TemporaryDirectory())
        path = Path(folder) / "r.csv"
        path.write_bytes(TEN_ROWS)
        out = io.StringIO()
        call_command("redirects_import", str(path), stdout=out, stderr=io.StringIO())
        self.assertIn("Imported: 10 created", out.getvalue())


@pytest.mark.parametrize("value", [-1, "1MB", 1.5, True])
def test_a_bad_byte_threshold_is_a_system_check_error(value: object) -> None:
    with override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_BYTES=value):
        messages = [m for m in check_settings() if m.id == "wagtail_redirect_tools.E006"]
    assert [m.msg for m in messages] == [
        f"WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_BYTES is {value!r}; it must be a whole number "
        "of bytes, 0 or more."
    ]
