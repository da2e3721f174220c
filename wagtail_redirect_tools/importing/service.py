"""The one import service: upload → preview → import, for the admin, the jobs and the CLI.

Faces only call these functions and render what they return. Progress is shared
through the Django cache (``CACHE_ALIAS``): a job's own transaction would hide it
from the page that polls.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.log_actions import log

from .. import conf
from ..database import locks
from ..models import ImportStatus, RedirectImport
from . import heartbeat, kept_uploads, matching
from .columns import ColumnMapping
from .errors import ImportFileError
from .limits import cut
from .options import ImportOptions
from .plan import ImportPlan
from .plan_store import keep_plan, open_plan
from .planning import plan_import
from .reading import Table, check_content, detect_format
from .signals import windows_imported
from .uploads import forget_rows, keep_rows, load_rows, read_file, read_upload
from .writing import write_rows

logger = logging.getLogger(__name__)

LOG_ACTION = "wagtail_redirect_tools.import"
# An upload not imported within this time is deleted (its link stops working too).
UPLOAD_MAX_AGE = datetime.timedelta(days=7)
PROGRESS_EVERY_SECONDS = 0.5
PROBLEM_LENGTH = 2000  # what an import keeps and shows of why it failed
# An import can be confirmed once it is previewed, or right after the upload by a caller
# that imports without a separate preview (the command): the import plans every row anyway.
CONFIRMABLE = (ImportStatus.PREVIEWED, ImportStatus.UPLOADED)

Progress = Callable[[str, int, int], None]
"""``(phase, rows done, rows in all)``: where a caller that waits shows progress (a
terminal). Without one, progress is shared through the cache for the page that polls."""


class ImportBlocked(Exception):
    """The plan has errors and the editor did not choose to import only the valid rows."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        count = len(plan.errors)
        super().__init__(_("%(count)s rows have errors; nothing was written.") % {"count": count})


@dataclass
class ImportOutcome:
    plan: ImportPlan
    created: int
    updated: int

    @property
    def counts(self) -> dict[str, int]:
        return {**self.plan.counts, "created": self.created, "updated": self.updated}


# -- Progress ------------------------------------------------------------------------


def _progress_key(pk: int) -> str:
    return f"wagtail_redirect_tools:import:{pk}:progress"


class ProgressReporter:
    """Callable ``(done, total)`` that shares progress at most twice a second."""

    def __init__(self, record: RedirectImport, phase: str) -> None:
        self.record, self.phase = record, phase
        self._sent_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._sent_at < PROGRESS_EVERY_SECONDS:
            return
        self._sent_at = now
        with contextlib.suppress(Exception):  # progress is a nicety; the import goes on
            caches[conf.cache_alias()].set(
                _progress_key(self.record.pk),
                {"phase": self.phase, "done": done, "total": total},
                timeout=24 * 3600,
            )


def _reporter(record: RedirectImport, phase: str, progress: Progress | None) -> Any:
    return (
        ProgressReporter(record, phase) if progress is None else functools.partial(progress, phase)
    )


PHASE_LABELS = {
    "preview": gettext_lazy("Checking every row"),
    "check": gettext_lazy("Checking every row against the redirects as they are now"),
    "import": gettext_lazy("Writing the redirects"),
}
# The phases that belong to a status: progress left by an earlier phase is not shown.
STATUS_PHASES: dict[str, tuple[str, ...]] = {
    ImportStatus.UPLOADED: ("preview",),
    ImportStatus.PREVIEWING: ("preview",),
    ImportStatus.IMPORTING: ("check", "import"),
}


def read_progress(record: RedirectImport) -> dict[str, Any]:
    """How far the job of ``record`` is: phase, rows done, total, percent, and a sentence."""
    try:
        found = caches[conf.cache_alias()].get(_progress_key(record.pk)) or {}
    except Exception:
        found = {}
    if found.get("phase") not in STATUS_PHASES.get(record.status, ()):
        found = {}
    total = found.get("total") or record.total_rows or 1
    done = min(found.get("done", 0), total)
    percent = int(100 * done / total)
    interrupted = heartbeat.is_interrupted(record)
    if record.status == ImportStatus.UPLOADED and not found:
        text = _("Waiting for the background job to start…")
    else:
        phase = found.get("phase") or STATUS_PHASES.get(record.status, ("preview",))[0]
        text = ngettext(
            "%(phase)s: %(percent)s%% — %(done)s of %(total)s row",
            "%(phase)s: %(percent)s%% — %(done)s of %(total)s rows",
            total,
        ) % {"phase": PHASE_LABELS[phase], "percent": percent, "done": done, "total": total}
    return {
        "status": record.status,
        "phase": found.get("phase", ""),
        "done": done,
        "total": total,
        "percent": percent,
        "text": text,
        # A file read by its job may turn out to need its columns matched, and a job may
        # die: the page that polls then reloads, and is sent to that step or shows that.
        "finished": not record.is_running or awaits_columns(record) or interrupted,
        "interrupted": interrupted,
    }


# -- Steps ---------------------------------------------------------------------------


def import_plan(
    plan: ImportPlan,
    options: ImportOptions,
    *,
    record: RedirectImport,
    user: Any = None,
    progress: Any = None,
) -> ImportOutcome:
    """Write ``plan`` in one transaction, with one audit-log entry; or raise ImportBlocked."""
    if plan.errors and not options.valid_only:
        raise ImportBlocked(plan)
    with transaction.atomic():
        written = write_rows(plan.to_write(), record=record, user=user, progress=progress)
        outcome = ImportOutcome(plan=plan, created=written.created, updated=written.updated)
        record.counts = outcome.counts
        record.status = ImportStatus.IMPORTED
        record.finished_at = timezone.now()
        record.save(update_fields=["counts", "status", "finished_at", "preview_file"])
        log(instance=record, action=LOG_ACTION, user=user, data={"counts": outcome.counts})
        windows = written.windows
        if windows:
            transaction.on_commit(
                lambda: windows_imported.send(sender=RedirectImport, windows=windows),
                robust=True,
            )
    return outcome


def start_upload(
    content: bytes,
    filename: str,
    options: ImportOptions,
    *,
    user: Any = None,
    background: bool = False,
) -> RedirectImport:
    """Read the file, then keep it, its rows and the options for the preview.

    When the editor must say what the file's columns hold (see :mod:`.matching`), the
    file is kept and the record waits for that (:func:`awaits_columns`), unread further.
    With ``background`` (a caller that does not wait), a file of more than
    ``IMPORT_ASYNC_BYTES`` bytes is kept unread: the preview job reads it.
    Raises :class:`ImportFileError` for a file that cannot be imported at all.
    """
    table: Table | None = None
    if background and len(content) > conf.import_async_bytes():
        check_content(content)
    else:
        options, table = read_upload(content, filename, options)
    record = RedirectImport(
        original_name=os.path.basename(filename)[:255],
        options=options.to_json(),
        total_rows=len(table) if table is not None else 0,
        created_by=user if getattr(user, "pk", None) else None,
    )
    record.file.save(record.original_name, ContentFile(content), save=False)
    if table is not None:
        keep_rows(record, table)
    record.save()
    forget_old_imports()
    return record


def awaits_columns(record: RedirectImport) -> bool:
    """The upload waits for the editor to match its columns (see :mod:`.matching`)."""
    return record.status == ImportStatus.UPLOADED and bool(record.options.get("match_columns"))


def can_match_columns(record: RedirectImport) -> bool:
    """The columns of ``record``'s file can be matched (again): it waits for that, or is
    previewed, or its preview failed, and its file is kept."""
    if not record.file:
        return False
    if not awaits_columns(record) and record.status not in (
        ImportStatus.PREVIEWED,
        ImportStatus.FAILED,
    ):
        return False
    return _stored_format(record) in matching.MATCHABLE_FORMATS


def _stored_format(record: RedirectImport) -> str:
    """The format of ``record``'s file, as chosen or as its name and first bytes say."""
    chosen = str(record.options.get("file_format") or "auto")
    if chosen != "auto":
        return chosen
    with record.file.open("rb") as stored:
        start = stored.read(64 * 1024)
    return detect_format(start, record.original_name)


def column_proposal(record: RedirectImport) -> matching.ColumnProposal | None:
    """What the columns of ``record``'s file hold: as matched, or as proposed."""
    options = ImportOptions.from_json(record.options)
    if options.match_columns:
        options = dataclasses.replace(options, columns=None)
    with record.file.open("rb") as stored:
        content = stored.read()
    return matching.propose(content, record.original_name, options)


def match_columns(record: RedirectImport, mapping: ColumnMapping) -> None:
    """The editor says what the columns of ``record``'s file hold: the file is read with
    that (raising :class:`ImportFileError` if it cannot be, ``record`` unchanged), the
    matching is kept in its options, and the upload is previewed again."""
    if not can_match_columns(record):
        raise ImportFileError(_("The columns of this import can no longer be changed."))
    mapping.check()
    with record.file.open("rb") as stored:
        content = stored.read()
    options = dataclasses.replace(
        ImportOptions.from_json(record.options),
        columns=mapping.meanings,
        has_header=mapping.has_header,
        column_labels=(),
        match_columns=False,
    )
    options, table = read_upload(content, record.original_name, options)
    old_rows = record.rows_file.name or ""
    if table is not None:
        keep_rows(record, table)
    else:
        record.rows_file.name = ""
    claimed = RedirectImport.objects.filter(
        pk=record.pk,
        status__in=(ImportStatus.UPLOADED, ImportStatus.PREVIEWED, ImportStatus.FAILED),
    ).update(
        status=ImportStatus.UPLOADED,
        options=options.to_json(),
        total_rows=len(table) if table is not None else 0,
        rows_file=record.rows_file.name,
        problem="",
        counts={},
    )
    storage = record.rows_file.storage
    if not claimed:
        if record.rows_file.name and record.rows_file.name != old_rows:
            storage.delete(record.rows_file.name)
        raise ImportFileError(_("The columns of this import can no longer be changed."))
    if old_rows and old_rows != record.rows_file.name:
        storage.delete(old_rows)
    record.refresh_from_db()


@dataclass(frozen=True)
class ForgottenImports:
    uploads: int  # never imported within ``UPLOAD_MAX_AGE`` (and files of refused uploads)
    imports: int  # imported longer ago than ``IMPORT_RETENTION_DAYS``


def forget_old_imports() -> ForgottenImports:
    """Delete what imports keep once it has served: uploads (files, rows, previews) never
    imported within ``UPLOAD_MAX_AGE``, files kept from refused uploads as long, and
    imports finished more than ``IMPORT_RETENTION_DAYS`` ago, their plan and their row
    (their redirects stay, without the link to the import).

    Called at each upload and by ``redirects_transitions`` (and its job), so no job of
    its own is needed.
    """
    now = timezone.now()
    stale = RedirectImport.objects.exclude(status=ImportStatus.IMPORTED).filter(
        created_at__lt=now - UPLOAD_MAX_AGE
    )
    uploads = kept_uploads.forget_stale()  # files kept from refused uploads
    for record in stale:
        discard_upload(record)
        uploads += 1
    finished = RedirectImport.objects.filter(
        status=ImportStatus.IMPORTED,
        finished_at__lt=now - datetime.timedelta(days=conf.import_retention_days()),
    )
    imports = 0
    for record in finished:
        discard_upload(record)
        imports += 1
    return ForgottenImports(uploads=uploads, imports=imports)


def discard_upload(record: RedirectImport) -> None:
    """Delete an upload that will not be imported, or an import that is no longer kept:
    its files and its record."""
    for stored in (record.file, record.rows_file, record.preview_file):
        if stored:
            stored.delete(save=False)
    record.delete()


def is_interrupted(record: RedirectImport) -> bool:
    """``record``'s job has given no sign of life for ``IMPORT_HEARTBEAT_TIMEOUT``."""
    return heartbeat.is_interrupted(record)


def runs_in_background(record: RedirectImport) -> bool:
    """More than ``IMPORT_ASYNC_ROWS`` rows, or a file of more than ``IMPORT_ASYNC_BYTES``
    bytes (whose rows may not be counted yet: the preview job reads it)."""
    if record.total_rows > conf.import_async_rows():
        return True
    return bool(record.file) and record.file.size > conf.import_async_bytes()


def queue_job(record: RedirectImport, task: Any, *args: Any) -> bool:
    """Queue ``task`` for ``record``; if the queue refuses, the import fails with a reason.
    From now on a worker is expected to take it (see :mod:`.heartbeat`)."""
    heartbeat.beat(record)
    try:
        task.enqueue(*args)
    except Exception as error:
        _fail(record, _("The background job could not be started: %(error)s"), error)
        return False
    return True


def _set_status(record: RedirectImport, status: str, problem: str = "") -> None:
    """Never over an import that is done: a job given up for dead and retried may have
    been alive, and the other one finished it meanwhile. The problem is kept cut short:
    an unexpected error may quote a value of the file whole, and the page shows it."""
    problem = cut(problem, PROBLEM_LENGTH)
    record.status, record.problem = status, problem
    RedirectImport.objects.filter(pk=record.pk).exclude(status=ImportStatus.IMPORTED).update(
        status=status, problem=problem
    )


def _fail(record: RedirectImport, message: str, error: Exception) -> None:
    """An unexpected error: logged with its traceback, and shown to the editor."""
    logger.exception("Import %s: %s", record.pk, error)
    _set_status(record, ImportStatus.FAILED, message % {"error": error})


def preview_upload(
    record: RedirectImport, *, progress: Progress | None = None
) -> ImportPlan | None:
    """Plan the stored file of ``record`` and keep the plan for the preview pages (the
    preview job's work). Nothing happens unless ``record`` is still just uploaded."""
    claimed = RedirectImport.objects.filter(pk=record.pk, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.PREVIEWING, problem=""
    )
    if not claimed:
        return None
    record.status, record.problem = ImportStatus.PREVIEWING, ""
    try:
        with heartbeat.beating(record):
            options, table = load_rows(record, ImportOptions.from_json(record.options))
            if table is None:
                _set_status(record, ImportStatus.UPLOADED)
                return None  # its columns wait for the editor
            forget_rows(record)  # let go as planned: the confirm loads them from their file
            plan = plan_import(
                table,
                options,
                progress=_reporter(record, "preview", progress),
                user=record.created_by,
                consume=True,
            )
    except ImportFileError as error:
        _set_status(record, ImportStatus.FAILED, str(error))
        return None
    except Exception as error:
        _fail(record, _("The preview failed: %(error)s"), error)
        return None
    keep_plan(record, plan)
    record.counts = plan.counts
    record.status = ImportStatus.PREVIEWED
    record.save(update_fields=["preview_file", "counts", "status"])
    return plan


def confirm_upload(
    record: RedirectImport, *, user: Any = None, progress: Progress | None = None
) -> ImportOutcome | None:
    """Import the stored file of ``record``, planned again against today's database (the
    import job's work, once :func:`.jobs.request_import` claimed it).

    On errors (when only valid rows were not chosen) or a failure, nothing is
    written and ``record`` says why. Nothing happens unless ``record`` is (still) being
    imported: a second job for it (a retry, see :func:`.jobs.retry_job`) finds it done.
    """
    with heartbeat.beating(record):
        return _confirm(record, user=user, progress=progress)


def _confirm(
    record: RedirectImport, *, user: Any, progress: Progress | None
) -> ImportOutcome | None:
    if not RedirectImport.objects.filter(pk=record.pk, status=ImportStatus.IMPORTING).exists():
        return None
    record.status = ImportStatus.IMPORTING
    kept_plan = record.preview_file.name if record.preview_file else ""
    checking = _reporter(record, "check", progress)
    writing = _reporter(record, "import", progress)
    options = ImportOptions.from_json(record.options)
    try:
        # As read before: checked again, never parsed again.
        options, table = load_rows(record, options)
        if table is None:  # its columns need the editor: the import fails, and says so
            raise ImportFileError(_("Match the columns of the file before importing it."))
        with transaction.atomic():
            # Another import (or window write) running now finishes first, and this plan
            # then sees what it wrote: two imports never add the same path twice.
            locks.hold(locks.REDIRECTS)
            locks.hold(locks.WINDOWS)
            if not RedirectImport.objects.filter(
                pk=record.pk, status=ImportStatus.IMPORTING
            ).exists():
                return None  # another job for it finished while this one waited
            forget_rows(record)
            plan = plan_import(table, options, progress=checking, user=user, consume=True)
            # Kept before the import says "imported": the page that polls then shows it.
            # Its name is saved with the counts, at the end: until then this transaction
            # holds no lock on the import's row, so the heartbeat's updates are not held up.
            keep_plan(record, plan)
            outcome = import_plan(plan, options, record=record, user=user, progress=writing)
    except ImportBlocked as blocked:
        # Its plan is the one just kept, with the counts (the rollback undid both).
        record.counts = blocked.plan.counts
        record.save(update_fields=["counts", "preview_file"])
        if kept_plan and kept_plan != record.preview_file.name:
            record.preview_file.storage.delete(kept_plan)
        _set_status(record, ImportStatus.PREVIEWED, str(blocked))
        return None
    except Exception as error:
        unnamed = record.preview_file.name or ""
        if unnamed != kept_plan:  # a plan file the rollback left unnamed
            record.preview_file.storage.delete(unnamed)
            record.preview_file.name = kept_plan
        _fail(record, _("The import failed and nothing was written: %(error)s"), error)
        return None
    # The upload and its rows are not needed any more; its plan is kept for the summary.
    record.file.delete(save=False)
    record.rows_file.delete(save=False)
    record.save(update_fields=["file", "rows_file"])
    return outcome


__all__ = [
    "ImportBlocked",
    "ImportFileError",
    "ImportOptions",
    "ImportOutcome",
    "ImportPlan",
    "confirm_upload",
    "discard_upload",
    "forget_old_imports",
    "import_plan",
    "is_interrupted",
    "open_plan",
    "preview_upload",
    "read_file",
    "read_progress",
    "runs_in_background",
    "start_upload",
]
