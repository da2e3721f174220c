"""The scheduling's background job (django-tasks): the bookkeeping of windows."""

from __future__ import annotations

import dataclasses

from django_tasks import task

from ..importing.service import forget_old_imports
from .transitions import run_transitions


@task()
def run_transitions_task() -> dict[str, int]:
    """Record due starts and ends, send due notices, delete old windows; delete old
    imports (see ``IMPORT_RETENTION_DAYS``)."""
    forgotten = forget_old_imports()
    return {
        **dataclasses.asdict(run_transitions()),
        "imports_deleted": forgotten.imports,
        "uploads_deleted": forgotten.uploads,
    }
