"""The import service's two actions, ``request_preview`` and ``request_import``, as the
admin calls them: who runs the work (now or a job) and which state an import moves
through; and what ``redirects_import``, which reads and plans by the same rules in
memory, leaves behind (more in ``test_import_storage.py``)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.admin.views.imports import import_token
from wagtail_redirect_tools.importing import jobs, service
from wagtail_redirect_tools.importing.planning import ImportOptions
from wagtail_redirect_tools.models import ImportStatus, RedirectImport

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
GOOD = b"from,to\n/a/,/x/\n/b/,/y/\n"
ONE_BAD = b"from,to\n/a/,/x/\n/b/,javascript:x\n"


class ActionTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def upload(self, content: bytes = GOOD, **options: object) -> RedirectImport:
        return service.start_upload(
            content,
            "r.csv",
            ImportOptions(**options),
            user=self.user,
        )

    def command(self, content: bytes, *args: str) -> tuple[int, str, str]:
        folder = self.enterContext(tempfile.TemporaryDirectory())
        path = Path(folder) / "r.csv"
        path.write_bytes(content)
        out = io.StringIO()
        try:
            call_command("redirects_import", str(path), *args, stdout=out, stderr=io.StringIO())
        except CommandError as error:
            return error.returncode, out.getvalue(), str(error)
        return 0, out.getvalue(), ""


class TestWhoRunsTheWork(ActionTestCase):
    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_ROWS=1, TASKS=DUMMY_TASKS)
    def test_large_files_are_queued_unless_the_caller_waits(self) -> None:
        from django_tasks import default_task_backend

        record = self.upload()
        self.assertIsNone(jobs.request_preview(record))
        self.assertEqual(record.status, ImportStatus.UPLOADED)  # the job has not run
        self.assertEqual(len(default_task_backend.results), 1)
        plan = jobs.request_preview(self.upload(), wait=True)
        assert plan is not None
        self.assertEqual(plan.counts["new"], 2)
        self.assertEqual(len(default_task_backend.results), 1)

    def test_small_files_are_previewed_and_imported_now(self) -> None:
        record = self.upload()
        plan = jobs.request_preview(record)
        assert plan is not None
        self.assertEqual(record.status, ImportStatus.PREVIEWED)
        outcome = jobs.request_import(record, user=self.user)
        assert outcome is not None
        self.assertEqual((outcome.created, record.status), (2, ImportStatus.IMPORTED))


class TestStates(ActionTestCase):
    def test_only_one_confirm_moves_an_import_on(self) -> None:
        record = self.upload()
        jobs.request_preview(record)
        self.assertIsNotNone(jobs.request_import(record, user=self.user))
        self.assertIsNone(jobs.request_import(record, user=self.user))
        self.assertEqual(Redirect.objects.count(), 2)

    def test_a_preview_job_that_comes_after_the_import_does_nothing(self) -> None:
        record = self.upload()
        jobs.request_import(record, user=self.user)  # as the command does, without a preview
        self.assertIsNone(service.preview_upload(record))
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.IMPORTED)

    def test_errors_refuse_the_import_until_valid_only_is_chosen(self) -> None:
        record = self.upload(ONE_BAD)
        jobs.request_preview(record)
        self.assertIsNone(jobs.request_import(record, user=self.user))
        self.assertEqual(record.status, ImportStatus.PREVIEWED)
        self.assertIn("1 rows have errors; nothing was written", record.problem)
        outcome = jobs.request_import(record, user=self.user, valid_only=True)
        assert outcome is not None
        self.assertEqual((outcome.created, record.problem), (1, ""))

    def test_discard_upload_deletes_the_record_and_its_files(self) -> None:
        record = self.upload()
        jobs.request_preview(record)
        names = [record.file.name, record.preview_file.name]
        service.discard_upload(record)
        self.assertFalse(RedirectImport.objects.exists())
        self.assertFalse(any(default_storage.exists(name) for name in names))


class TestWhatTheCommandLeaves(ActionTestCase):
    def test_a_dry_run_leaves_nothing_behind(self) -> None:
        code, output, _error = self.command(GOOD, "--dry-run")
        self.assertEqual(code, 0, output)
        self.assertIn("2 new", output)
        self.assertFalse(RedirectImport.objects.exists())
        self.assertFalse(Redirect.objects.exists())

    def test_an_import_is_an_import_record_the_admin_can_show(self) -> None:
        code, output, _error = self.command(GOOD, "--user", "admin")
        record = RedirectImport.objects.get()
        self.assertEqual(code, 0, output)
        self.assertIn(f"Imported: 2 created, 0 updated (import #{record.pk}).", output)
        self.assertEqual((record.status, record.created_by), (ImportStatus.IMPORTED, self.user))
        # No file is kept, not even the plan: the record keeps the counts.
        self.assertEqual((record.file, record.rows_file, record.preview_file), ("", "", ""))
        self.assertEqual(record.counts["created"], 2)
        self.client.force_login(self.user)
        summary = self.client.get(f"/admin/redirect-tools/imports/{import_token(record)}/")
        self.assertContains(summary, "2 created, 0 updated, 0 unchanged.")
        self.assertNotContains(summary, "What each row did")

    def test_a_refused_import_says_why_and_leaves_no_record(self) -> None:
        code, output, error = self.command(ONE_BAD)
        self.assertEqual(code, 1)
        self.assertIn("Row 3:", output)
        self.assertIn("nothing was written. Fix the rows, or use --valid-only.", error)
        self.assertFalse(RedirectImport.objects.exists())

    def test_rows_with_errors_exit_with_status_1_after_the_valid_ones(self) -> None:
        code, output, error = self.command(ONE_BAD, "--valid-only")
        self.assertEqual(code, 1)
        self.assertIn("Imported: 1 created", output)
        self.assertEqual(error, "1 rows have errors.")
