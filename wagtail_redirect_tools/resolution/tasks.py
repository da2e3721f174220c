"""The resolution's background job (django-tasks): the hit counts of redirects."""

from __future__ import annotations

import logging

from django_tasks import task

from .hits import HitCounts, write_hits

logger = logging.getLogger(__name__)


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
