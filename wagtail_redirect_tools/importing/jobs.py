"""What a face asks of an import: a preview, the import, a retry. Each runs now, or is
queued for a worker (see :mod:`.tasks`) when the file is large; the work itself is the
service's (:mod:`.service`)."""

from __future__ import annotations

from typing import Any

from ..models import ImportStatus, RedirectImport
from . import heartbeat, service
from .planning import ImportPlan
from .service import CONFIRMABLE, ImportOutcome, Progress
from .tasks import preview_import_task, run_import_task


def request_preview(
    record: RedirectImport, *, wait: bool = False, progress: Progress | None = None
) -> ImportPlan | None:
    """Someone asks what the upload ``record`` would do.

    A file of more than ``IMPORT_ASYNC_ROWS`` rows is previewed by a background job,
    unless the caller waits for the result (a command). Returns the plan when it was
    made now; otherwise None, and ``record`` says why (queued, failed, or waiting for
    the editor to match its columns).
    """
    if service.awaits_columns(record):
        return None
    if not wait and service.runs_in_background(record):
        service.queue_job(record, preview_import_task, record.pk)
        return None
    return service.preview_upload(record, progress=progress)


def request_import(
    record: RedirectImport,
    *,
    user: Any = None,
    valid_only: bool = False,
    wait: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome | None:
    """Someone confirms the import of ``record`` (with ``valid_only``: skip rows with errors).

    Only one confirm moves an import on (a double click, two tabs); the rows are planned
    again against the database as it is then. A file of more than ``IMPORT_ASYNC_ROWS``
    rows is imported by a background job, unless the caller waits for the result (a
    command). Returns the outcome when imported now; otherwise None, and ``record`` says
    why (not confirmable, queued, refused because rows have errors, or failed).
    """
    options = {**record.options, "valid_only": True} if valid_only else record.options
    claimed = RedirectImport.objects.filter(pk=record.pk, status__in=CONFIRMABLE).update(
        status=ImportStatus.IMPORTING, options=options, problem=""
    )
    if not claimed:
        return None
    record.refresh_from_db()
    if not wait and service.runs_in_background(record):
        service.queue_job(record, run_import_task, record.pk, getattr(user, "pk", None))
        return None
    return service.confirm_upload(record, user=user, progress=progress)


def retry_job(record: RedirectImport, *, user: Any = None) -> bool:
    """The editor retries ``record``, whose job is given up for dead (see
    :mod:`.heartbeat`): its import, or its preview, is requested again (queued, or run
    now for a small file). False when its job is not interrupted (alive, or done) or
    another retry came first. A job that was only slow and the retried one import it
    once: the second finds it done."""
    if not heartbeat.is_interrupted(record):
        return False
    importing = record.status == ImportStatus.IMPORTING
    back_to = ImportStatus.PREVIEWED if importing else ImportStatus.UPLOADED
    claimed = RedirectImport.objects.filter(
        pk=record.pk, status=record.status, heartbeat_at=record.heartbeat_at
    ).update(status=back_to, problem="")
    if not claimed:
        return False
    record.status, record.problem = back_to, ""
    if importing:
        request_import(record, user=user, valid_only=bool(record.options.get("valid_only")))
    else:
        request_preview(record)
    return True
