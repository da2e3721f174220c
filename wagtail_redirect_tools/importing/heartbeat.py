"""Whether an import's job is still alive: a heartbeat in the database.

A job is given up for dead when nothing was heard of it for ``IMPORT_HEARTBEAT_TIMEOUT``
seconds: its worker was killed or restarted (django-tasks' database backend then leaves
its task RUNNING for ever), or no worker took it. The beat is the import's
``heartbeat_at``: set when its job is queued and when the job starts, then every
``EVERY_SECONDS`` by a thread beside the running job, on that thread's own database
connection, so a beat is not hidden in the import's transaction and the job never waits
for it. Where the database lets one writer at a time (SQLite) or the import's writes
hold the record's row (MySQL/MariaDB: its redirects refer to it), beats land only once
the import's transaction ends: choose the timeout longer than your largest import's
writing. The cache is not used: its progress need not be shared between processes.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Iterator

from django.db import DatabaseError, connection
from django.utils import timezone

from .. import conf
from ..models import ImportStatus, RedirectImport

logger = logging.getLogger(__name__)

EVERY_SECONDS = 5.0
# An upload counts as having a job once one was queued for it (``heartbeat_at`` is set):
# until then it is waiting for its editor (its columns), not for a worker.
JOB_STATUSES = (ImportStatus.UPLOADED, ImportStatus.PREVIEWING, ImportStatus.IMPORTING)


def beat(record: RedirectImport) -> None:
    """Say that ``record``'s job is alive now (a job queued, or starting)."""
    record.heartbeat_at = timezone.now()
    RedirectImport.objects.filter(pk=record.pk).update(heartbeat_at=record.heartbeat_at)


def is_interrupted(record: RedirectImport) -> bool:
    """``record`` waits for a job that has given no sign of life for the timeout."""
    if record.status not in JOB_STATUSES or record.heartbeat_at is None:
        return False
    if record.status == ImportStatus.UPLOADED and record.options.get("match_columns"):
        return False  # waiting for its editor to match the columns, not for a job
    silence = datetime.timedelta(seconds=conf.import_heartbeat_timeout())
    return record.heartbeat_at < timezone.now() - silence


@contextlib.contextmanager
def beating(record: RedirectImport) -> Iterator[None]:
    """Beat for ``record`` now and every ``EVERY_SECONDS`` while the block runs."""
    beat(record)
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat_until, args=(record.pk, stop), name=f"import-{record.pk}-heartbeat"
    )
    thread.daemon = True  # never keeps a worker that is stopping alive
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _beat_until(pk: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(EVERY_SECONDS):
            try:
                RedirectImport.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
            except DatabaseError as error:  # locked: the next beat tries again
                logger.debug("Import %s: heartbeat not written: %s", pk, error)
    finally:
        connection.close()  # this thread's own connection


__all__ = ["EVERY_SECONDS", "beat", "beating", "is_interrupted"]
