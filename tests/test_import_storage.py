"""What imports leave in file storage (issue 28, item 6).

``redirects_import`` keeps nothing in storage: a dry run writes nothing there at all
(a site on S3-like storage is not written to), and a real run no file either, whether
it succeeds or fails. Admin uploads keep their files while the editor needs them;
finished imports are deleted, files and rows, ``IMPORT_RETENTION_DAYS`` after they
finished, by ``redirects_transitions`` (and its job) and at each upload.
"""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.models import ImportStatus, RedirectDetails, RedirectImport

CORPUS = Path(__file__).resolve().parent / "corpus"
UPLOAD = "/admin/redirect-tools/imports/"
MOMENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


class RefusingStorage(InMemoryStorage):
    """A storage that cannot be written to (a read-only bucket, no credentials)."""

    def _save(self, name: str, content: Any) -> str:
        raise PermissionError(f"This storage may not be written to: {name}")


def storage_settings(backend: str, **options: Any) -> dict[str, Any]:
    return {
        "default": {"BACKEND": backend, "OPTIONS": options},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def stored_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def run_command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("redirects_import", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@time_machine.travel(MOMENT, tick=False)
class TestTheCommandKeepsNothing(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")

    def setUp(self) -> None:
        self.media = Path(self.enterContext(_TemporaryDirectory()))
        self.enterContext(
            override_settings(
                STORAGES=storage_settings(
                    "django.core.files.storage.FileSystemStorage", location=str(self.media)
                )
            )
        )
        self.files = Path(self.enterContext(_TemporaryDirectory()))

    def write(self, name: str, *lines: str) -> str:
        path = self.files / name
        path.write_text("\n".join(lines) + "\n")
        return str(path)

    def test_a_dry_run_writes_nothing_to_storage(self) -> None:
        code, output = run_command(str(CORPUS / "basic.csv"), "--dry-run")
        self.assertEqual(code, 0, output)
        self.assertIn("4 new", output)
        self.assertEqual(stored_files(self.media), [])
        self.assertFalse(RedirectImport.objects.exists())

    def test_a_dry_run_on_a_storage_that_refuses_writes(self) -> None:
        refusing = storage_settings(f"{__name__}.RefusingStorage")
        with override_settings(STORAGES=refusing):
            code, output = run_command(str(CORPUS / "basic.csv"), "--dry-run")
            self.assertEqual(code, 0, output)
            self.assertIn("4 new", output)
            code, output = run_command(str(CORPUS / "bad_rows.csv"), "--dry-run")
            self.assertEqual(code, 1, output)
            self.assertIn("Row 6: Enter a path", output)
        self.assertEqual(Redirect.objects.count(), 0)

    def test_an_import_leaves_no_file_and_keeps_its_record(self) -> None:
        code, output = run_command(str(CORPUS / "basic.csv"))
        self.assertEqual(code, 0, output)
        self.assertIn("Imported: 4 created", output)
        self.assertEqual(stored_files(self.media), [])
        record = RedirectImport.objects.get()
        self.assertEqual(record.status, ImportStatus.IMPORTED)
        self.assertEqual(
            (record.file.name, record.rows_file.name, record.preview_file.name), ("", "", "")
        )
        self.assertEqual(
            set(RedirectDetails.objects.values_list("source_import", flat=True)), {record.pk}
        )

    def test_an_import_on_a_storage_that_refuses_writes(self) -> None:
        with override_settings(STORAGES=storage_settings(f"{__name__}.RefusingStorage")):
            code, output = run_command(str(CORPUS / "basic.csv"))
        self.assertEqual(code, 0, output)
        self.assertEqual(Redirect.objects.count(), 4)

    def test_a_refused_or_failed_import_leaves_nothing(self) -> None:
        code, output = run_command(str(CORPUS / "bad_rows.csv"))
        self.assertEqual(code, 1, output)
        self.assertIn("Fix the rows, or use --valid-only", output)
        columns = self.write("unnamed.csv", "a,b", "/x/,/y/")
        code, output = run_command(columns)
        self.assertEqual(code, 1, output)
        self.assertEqual(stored_files(self.media), [])
        self.assertFalse(RedirectImport.objects.exists())
        self.assertEqual(Redirect.objects.count(), 0)

    def test_valid_only_imports_the_valid_rows_and_leaves_no_file(self) -> None:
        path = self.write("mixed.csv", "from,to", "/fine/,/about/", "/bad/,javascript:x")
        code, output = run_command(path, "--valid-only")
        self.assertEqual(code, 1, output)  # the bad row is still reported
        self.assertEqual(list(Redirect.objects.values_list("old_path", flat=True)), ["/fine"])
        self.assertEqual(stored_files(self.media), [])

    def test_without_media_root_no_folder_appears_where_the_command_runs(self) -> None:
        here = os.getcwd()
        os.chdir(self.files)
        self.addCleanup(os.chdir, here)
        default = storage_settings("django.core.files.storage.FileSystemStorage")
        with override_settings(MEDIA_ROOT="", STORAGES=default):
            code, output = run_command(str(CORPUS / "basic.csv"))
            self.assertEqual(code, 0, output)
            code, output = run_command(str(CORPUS / "basic.csv"), "--dry-run")
            self.assertEqual(code, 0, output)
        self.assertEqual(sorted(os.listdir(self.files)), [])


RETENTION = 30


@override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_RETENTION_DAYS=RETENTION)
class TestFinishedAdminImportsExpire(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.user)
        self.media = Path(self.enterContext(_TemporaryDirectory()))
        self.enterContext(
            override_settings(
                STORAGES=storage_settings(
                    "django.core.files.storage.FileSystemStorage", location=str(self.media)
                )
            )
        )

    def import_through_the_admin(self, name: str = "basic.csv") -> RedirectImport:
        upload = self.client.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile(name, (CORPUS / "basic.csv").read_bytes()),
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        self.assertEqual(upload.status_code, 302)
        preview = self.client.get(upload["Location"])
        url = reverse("wagtail_redirect_tools:import_confirm", args=[preview.context["token"]])
        with self.captureOnCommitCallbacks(execute=True):  # the preview's plan goes
            self.client.post(url)
        record = RedirectImport.objects.get(original_name=name)
        self.assertEqual(record.status, ImportStatus.IMPORTED)
        return record

    def transitions(self) -> str:
        out = io.StringIO()
        call_command("redirects_transitions", stdout=out)
        return out.getvalue()

    def test_the_clean_up_deletes_finished_imports_after_the_retention(self) -> None:
        with time_machine.travel(MOMENT, tick=False):
            record = self.import_through_the_admin()
        # Only the plan is kept, for the summary page.
        self.assertEqual(stored_files(self.media), [record.preview_file.name])
        summary = self.client.get(UPLOAD)
        self.assertContains(summary, "basic.csv")
        with time_machine.travel(MOMENT + datetime.timedelta(days=RETENTION - 1), tick=False):
            self.assertIn("Finished imports deleted: 0.", self.transitions())
        self.assertTrue(RedirectImport.objects.filter(pk=record.pk).exists())
        with time_machine.travel(MOMENT + datetime.timedelta(days=RETENTION, hours=1), tick=False):
            self.assertIn("Finished imports deleted: 1.", self.transitions())
            self.assertIn("Finished imports deleted: 0.", self.transitions())
        self.assertFalse(RedirectImport.objects.filter(pk=record.pk).exists())
        self.assertEqual(stored_files(self.media), [])
        # The redirects stay, as imported, without the link to an import that is gone.
        self.assertEqual(Redirect.objects.count(), 4)
        self.assertEqual(
            set(RedirectDetails.objects.values_list("origin", "source_import")), {("import", None)}
        )
        self.assertNotContains(self.client.get(UPLOAD), "basic.csv")

    def test_the_next_upload_cleans_up_as_well(self) -> None:
        with time_machine.travel(MOMENT, tick=False):
            old = self.import_through_the_admin("old.csv")
        with time_machine.travel(MOMENT + datetime.timedelta(days=RETENTION + 1), tick=False):
            new = self.import_through_the_admin("new.csv")
        self.assertEqual(list(RedirectImport.objects.values_list("pk", flat=True)), [new.pk])
        self.assertFalse(old.preview_file.storage.exists(old.preview_file.name))
        self.assertEqual(stored_files(self.media), [new.preview_file.name])

    def test_the_transitions_job_cleans_up_too(self) -> None:
        from wagtail_redirect_tools.scheduling.tasks import run_transitions_task

        with time_machine.travel(MOMENT, tick=False):
            self.import_through_the_admin()
        with time_machine.travel(MOMENT + datetime.timedelta(days=RETENTION + 1), tick=False):
            result = run_transitions_task.call()
        self.assertEqual(result["imports_deleted"], 1)
        self.assertFalse(RedirectImport.objects.exists())


@pytest.mark.parametrize("value", [0, -1, "30", 2.5, True, None])
def test_a_bad_retention_is_a_system_check_error(value: object) -> None:
    with override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_RETENTION_DAYS=value):
        messages = [m for m in run_checks() if m.id == "wagtail_redirect_tools.E006"]
    assert [m.msg for m in messages] == [
        f"WAGTAIL_REDIRECT_TOOLS_IMPORT_RETENTION_DAYS is {value!r}; "
        "it must be a whole number of days, 1 or more."
    ]


class _TemporaryDirectory:
    def __enter__(self) -> str:
        import tempfile

        self._dir = tempfile.TemporaryDirectory()
        return self._dir.name

    def __exit__(self, *args: object) -> None:
        self._dir.cleanup()
