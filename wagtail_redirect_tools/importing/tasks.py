"""The import's background jobs (django-tasks): a large file's preview and its import."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from ..models import RedirectImport
from .service import confirm_upload, preview_upload


@task()
def preview_import_task(import_id: int) -> dict[str, int]:
    """Preview a large import file (see ``IMPORT_ASYNC_ROWS``)."""
    record = RedirectImport.objects.get(pk=import_id)
    plan = preview_upload(record)
    return plan.counts if plan is not None else {}


@task()
def run_import_task(import_id: int, user_id: int | None) -> dict[str, int]:
    """Import a large file after its preview was confirmed: all rows or none."""
    record = RedirectImport.objects.get(pk=import_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    outcome = confirm_upload(record, user=user)
    return outcome.counts if outcome is not None else {}
