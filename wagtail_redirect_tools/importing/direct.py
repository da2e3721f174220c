"""An import for a caller that waits for it and keeps no file: ``redirects_import``.

The admin keeps an upload, its rows and its plan in file storage between the screens
(see :mod:`.service`); a command has them in memory from start to end, so it stores
nothing. A dry run writes nothing anywhere (neither storage nor database); an import
writes the redirects and one :class:`~wagtail_redirect_tools.models.RedirectImport`
row, in the same transaction: the origin of the redirects and the subject of the
audit-log entry. A refused or failed import leaves no row.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ..database import locks
from ..models import ImportStatus, RedirectImport
from . import matching
from .options import ImportOptions
from .plan import ImportPlan
from .planning import plan_import
from .reading import Table
from .service import ImportOutcome, Progress, import_plan
from .uploads import read_upload


@dataclass(frozen=True)
class FileRead:
    """A file read in memory: its rows, or None while its columns must be said."""

    content: bytes
    filename: str
    options: ImportOptions
    table: Table | None

    @property
    def awaits_columns(self) -> bool:
        return self.table is None

    def column_proposal(self) -> matching.ColumnProposal | None:
        """What the file's columns seem to hold, guessed from their values."""
        return matching.propose(
            self.content, self.filename, dataclasses.replace(self.options, columns=None)
        )


def read(content: bytes, filename: str, options: ImportOptions) -> FileRead:
    """Read ``content`` as an upload is read; raises ``ImportFileError``."""
    options, table = read_upload(content, filename, options)
    return FileRead(content=content, filename=filename, options=options, table=table)


def _rows(file: FileRead) -> Table:
    if file.table is None:
        raise ValueError("The columns of this file must be matched first.")
    return file.table


def preview(file: FileRead, *, user: Any = None, progress: Progress | None = None) -> ImportPlan:
    """What importing ``file`` would do now; writes nothing."""
    return plan_import(_rows(file), file.options, progress=_phase(progress, "preview"), user=user)


def run(
    file: FileRead, *, user: Any = None, progress: Progress | None = None
) -> tuple[RedirectImport, ImportOutcome]:
    """Import ``file`` in one transaction, planned under the writers' locks: the import's
    row and what it did. Raises ``ImportBlocked`` (rows have errors and ``valid_only``
    is not set), or any error of the writing, with nothing written, not even the row."""
    table = _rows(file)
    with transaction.atomic():
        # As for the admin's confirm: another import running now finishes first.
        locks.hold(locks.REDIRECTS)
        locks.hold(locks.WINDOWS)
        record = RedirectImport.objects.create(
            original_name=os.path.basename(file.filename)[:255],
            options=file.options.to_json(),
            total_rows=len(table),
            status=ImportStatus.IMPORTING,
            created_by=user if getattr(user, "pk", None) else None,
        )
        plan = plan_import(table, file.options, progress=_phase(progress, "check"), user=user)
        outcome = import_plan(
            plan, file.options, record=record, user=user, progress=_phase(progress, "import")
        )
    return record, outcome


def _phase(progress: Progress | None, phase: str) -> Any:
    if progress is None:
        return None
    return lambda done, total: progress(phase, done, total)


__all__ = ["FileRead", "preview", "read", "run"]
