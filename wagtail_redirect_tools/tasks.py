"""Background jobs (django-tasks). Thin: each calls one capability."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task
from wagtail.models import Page

from .autoredirects import purge_old_links, redirect_old_urls
from .importing.service import confirm_upload, forget_old_imports, preview_upload
from .models import RedirectImport
from .not_found.log import NotFoundCounts
from .not_found.writing import write_counts
from .resolution.hits import HitCounts, write_hits
from .scheduling import run_transitions

logger = logging.getLogger(__name__)


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


@task()
def redirect_old_urls_task(page_id: int, url_path_before: str) -> dict[str, int]:
    """Redirects for the old URLs of a large moved section, after the move."""
    page = Page.objects.get(pk=page_id)
    report = redirect_old_urls(page, url_path_before=url_path_before)
    if report is None:
        return {"created": 0}
    purge_old_links(report)
    return {"created": report.created, "conflicts": len(report.conflicts)}


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


@task()
def flush_hits_task(counts: dict[str, list[list[int | str]]]) -> dict[str, int]:
    """Add the hit counts one process gathered to the database."""
    return write_hits(HitCounts.from_json(counts))


def enqueue_hit_flush(counts: HitCounts) -> None:
    """Hand counts to a worker; a failure to queue loses them but never a request."""
    try:
        flush_hits_task.enqueue(counts.to_json())
    except Exception:
        logger.exception("Could not queue the hit counts of %s redirects", len(counts.redirect))


@task()
def flush_not_found_task(counts: list[list[Any]]) -> dict[str, int]:
    """Add the 404 counts one process gathered to the 404 log; forget old entries."""
    return dataclasses.asdict(write_counts(NotFoundCounts.from_json(counts)))


def enqueue_not_found_flush(counts: NotFoundCounts) -> None:
    """Hand 404 counts to a worker; a failure to queue loses them but never a request."""
    try:
        flush_not_found_task.enqueue(counts.to_json())
    except Exception:
        logger.exception("Could not queue the 404 counts of %s paths", len(counts))
