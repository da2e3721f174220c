"""The 404 log's background job (django-tasks): the counts of 404s."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from django_tasks import task

from .log import NotFoundCounts
from .writing import write_counts

logger = logging.getLogger(__name__)


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
