"""An import whose job died (its worker killed or restarted) is shown as interrupted, and
the editor can retry it (issue 28, item 10).

A running job beats (``heartbeat_at``); one silent for ``IMPORT_HEARTBEAT_TIMEOUT``
counts as gone. Here the worker never runs the queued job (django-tasks' dummy backend
keeps it, as a killed worker leaves it) and the clock is moved; the slow test with a
real ``db_worker`` killed mid-import is in ``test_import_interrupted_worker.py``.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry

from tests.utils.pages import fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.models import ImportStatus, RedirectImport

CORPUS = Path(__file__).resolve().parent / "corpus"
UPLOAD = "/admin/redirect-tools/imports/"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
MOMENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
TIMEOUT = 300


@override_settings(
    WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_ROWS=2,
    WAGTAIL_REDIRECT_TOOLS_IMPORT_HEARTBEAT_TIMEOUT=TIMEOUT,
    TASKS=DUMMY_TASKS,
)
class TestAnInterruptedImportCanBeRetried(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.user)
        self.clock = self.enterContext(time_machine.travel(MOMENT, tick=False))

    def later(self, seconds: float) -> None:
        self.clock.shift(datetime.timedelta(seconds=seconds))

    def queued_jobs(self) -> list[Any]:
        from django_tasks import default_task_backend

        return list(default_task_backend.results)  # type: ignore[attr-defined]

    def run_queued(self) -> None:
        """What a worker does: run each queued job (once)."""
        from django_tasks import default_task_backend

        results = list(default_task_backend.results)  # type: ignore[attr-defined]
        default_task_backend.clear()  # type: ignore[attr-defined]
        for result in results:
            result.task.call(*result.args, **result.kwargs)

    def upload(self) -> str:
        """Upload the corpus's basic file; the import's URL (its preview job is queued)."""
        response = self.client.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile("big.csv", (CORPUS / "basic.csv").read_bytes()),
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        self.assertEqual(response.status_code, 302)
        return str(response["Location"])

    def upload_and_preview(self) -> tuple[str, RedirectImport]:
        url = self.upload()
        self.run_queued()  # the preview job
        self.assertEqual(RedirectImport.objects.get().status, ImportStatus.PREVIEWED)
        return url, RedirectImport.objects.get()

    def confirm(self, url: str) -> None:
        self.client.post(f"{url}confirm/")
        self.assertEqual(len(self.queued_jobs()), 1)
        self.assertEqual(RedirectImport.objects.get().status, ImportStatus.IMPORTING)

    def test_an_import_whose_worker_died_is_shown_as_interrupted_and_retried(self) -> None:
        url, record = self.upload_and_preview()
        self.confirm(url)
        from django_tasks import default_task_backend

        default_task_backend.clear()  # type: ignore[attr-defined]  # the worker was killed
        self.later(TIMEOUT - 10)
        page = self.client.get(url)
        self.assertContains(page, "data-import-progress")
        self.assertNotContains(page, "data-import-interrupted")
        self.client.post(f"{url}retry/")  # too early: the job may still be running
        self.assertEqual(self.queued_jobs(), [])
        self.later(20)
        page = self.client.get(url)
        self.assertContains(page, "data-import-interrupted")
        self.assertContains(page, "stopped before it finished")
        self.assertContains(page, f'action="{url}retry/"')
        self.assertNotContains(page, "data-import-progress")
        progress = self.client.get(f"{url}progress/").json()
        self.assertEqual((progress["finished"], progress["interrupted"]), (True, True))
        self.assertEqual(Redirect.objects.count(), 0)

        response = self.client.post(f"{url}retry/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(self.queued_jobs()), 1)
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.IMPORTING)
        self.assertNotContains(self.client.get(url), "data-import-interrupted")
        self.client.post(f"{url}retry/")  # a second click queues nothing more
        self.assertEqual(len(self.queued_jobs()), 1)
        self.run_queued()
        page = self.client.get(url)
        self.assertContains(page, "4 created, 0 updated, 0 unchanged.")
        self.assertEqual(Redirect.objects.count(), 4)

    def test_a_job_that_was_only_slow_and_its_retry_import_once(self) -> None:
        url, record = self.upload_and_preview()
        self.confirm(url)
        self.later(TIMEOUT + 1)
        self.client.post(f"{url}retry/")
        self.assertEqual(len(self.queued_jobs()), 2)  # the first job was not dead after all
        self.run_queued()
        record.refresh_from_db()
        self.assertEqual((record.status, record.counts["created"]), (ImportStatus.IMPORTED, 4))
        entries = ModelLogEntry.objects.filter(action="wagtail_redirect_tools.import")
        self.assertEqual(entries.count(), 1)

    def test_a_preview_whose_worker_died_is_retried(self) -> None:
        url = self.upload()
        from django_tasks import default_task_backend

        default_task_backend.clear()  # type: ignore[attr-defined]
        self.later(TIMEOUT + 1)
        page = self.client.get(url)
        self.assertContains(page, "data-import-interrupted")
        self.client.post(f"{url}retry/")
        self.run_queued()
        page = self.client.get(url)
        self.assertEqual(RedirectImport.objects.get().status, ImportStatus.PREVIEWED)
        self.assertContains(page, "Preview: nothing has been saved yet")

    def test_retry_needs_a_post_from_the_uploader(self) -> None:
        url, _record = self.upload_and_preview()
        self.confirm(url)
        self.later(TIMEOUT + 1)
        self.assertEqual(self.client.get(f"{url}retry/").status_code, 405)
        other = Client()
        other.force_login(make_user("importer", "add_redirect", "change_redirect"))
        self.assertEqual(other.post(f"{url}retry/").status_code, 404)
        self.assertEqual(len(self.queued_jobs()), 1)
        token = url.rstrip("/").rsplit("/", 1)[-1]
        self.assertEqual(
            reverse("wagtail_redirect_tools:import_retry", args=[token]), f"{url}retry/"
        )
