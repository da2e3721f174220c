"""A real ``db_worker`` killed in the middle of a 100,000-row import (issue 28, item 10).

Nothing is written, the import is seen as interrupted once its heartbeat is older than
the timeout, and a retry run by a new worker imports every row. Needs a database two
processes share and django-tasks' database queue: ``WRT_DATABASE=postgres`` (or
``mariadb``) ``WRT_TASKS=database``. The fast test of the same screens, with the clock
moved, is ``test_import_interrupted.py``. On the real clock: these are processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from tests.utils.processes import shared_database, start_django, wait_until
from wagtail_redirect_tools.importing import jobs, service
from wagtail_redirect_tools.importing.planning import ImportOptions
from wagtail_redirect_tools.models import ImportStatus, RedirectImport

ROWS = 100_000
TIMEOUT = 3  # IMPORT_HEARTBEAT_TIMEOUT as the checking process (the admin) sees it

pytestmark = [
    pytest.mark.slow,
    shared_database,
    pytest.mark.skipif(
        os.environ.get("WRT_TASKS") != "database", reason="needs WRT_TASKS=database"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def media() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        storages = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": folder},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages):
            yield folder


def start_worker(media: str) -> subprocess.Popen[str]:
    return start_django(
        "db_worker", "--interval", "0.1", "--no-startup-delay", env={"WRT_MEDIA_ROOT": media}
    )


def test_a_killed_worker_leaves_an_interrupted_import_that_a_retry_finishes(media: str) -> None:
    fresh_site_tree("localhost")
    user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
    lines = ["from,to", *(f"/old/{index}/,/new/{index}/" for index in range(ROWS))]
    record = service.start_upload(
        ("\n".join(lines) + "\n").encode(), "large.csv", ImportOptions(), user=user
    )
    assert jobs.request_preview(record, wait=True) is not None
    assert jobs.request_import(record, user=user) is None  # queued for a worker
    queued_beat = RedirectImport.objects.get(pk=record.pk).heartbeat_at

    worker = start_worker(media)
    try:
        # The job starts (it beats), runs 1.5 s, and its worker is killed.
        wait_until(
            lambda: RedirectImport.objects.get(pk=record.pk).heartbeat_at != queued_beat,
            timeout=60,
        )
        time.sleep(1.5)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    record.refresh_from_db()
    assert record.status == ImportStatus.IMPORTING
    assert Redirect.objects.count() == 0  # all or nothing

    with override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_HEARTBEAT_TIMEOUT=TIMEOUT):
        waited = wait_until(
            lambda: service.is_interrupted(RedirectImport.objects.get(pk=record.pk)),
            timeout=TIMEOUT + 10,
            step=0.2,
        )
        record.refresh_from_db()
        assert jobs.retry_job(record, user=user)
        assert not jobs.retry_job(RedirectImport.objects.get(pk=record.pk), user=user)
    print(f"seen as interrupted {waited:.1f} s after the kill")

    worker = start_worker(media)
    try:
        wait_until(
            lambda: RedirectImport.objects.get(pk=record.pk).status == ImportStatus.IMPORTED,
            timeout=180,
            step=0.5,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    assert Redirect.objects.count() == ROWS
    assert RedirectImport.objects.get(pk=record.pk).counts["created"] == ROWS
