"""Background jobs (django-tasks). Thin: each calls one capability."""

from __future__ import annotations

import dataclasses
import datetime
import logging

from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from . import conf
from .autoredirects import purge_old_links, redirect_old_urls
from .models import ScheduledRedirect
from .resolution.hits import HitCounts, write_hits
from .scheduling import run_transitions

logger = logging.getLogger(__name__)


@task()
def run_transitions_task() -> dict[str, int]:
    """Record due starts and ends, send due notices, delete old windows."""
    return dataclasses.asdict(run_transitions())


@task()
def redirect_old_urls_task(page_id: int, url_path_before: str) -> dict[str, int]:
    """Redirects for the old URLs of a large moved section, after the move."""
    page = Page.objects.get(pk=page_id)
    report = redirect_old_urls(page, url_path_before=url_path_before)
    if report is None:
        return {"created": 0}
    purge_old_links(report)
    return {"created": report.created, "conflicts": len(report.conflicts)}


def transition_times(window: ScheduledRedirect) -> list[datetime.datetime]:
    """When the bookkeeping of ``window`` has something to do."""
    times = [window.starts_at or window.created_at, window.expires_at]
    days = conf.expiry_notice_days()
    if days and window.created_by_id is not None:
        times.append(window.expires_at - datetime.timedelta(days=days))
    return times


def enqueue_transition_jobs(window: ScheduledRedirect) -> int:
    """Queue a transitions run for each of ``window``'s coming moments; how many were queued.

    Due moments are handled by one job now. Future ones are queued with
    ``run_after`` when the task backend can defer; otherwise the
    ``redirects_transitions`` command (or the next due job) picks them up. Either
    way the redirect itself starts and ends on time: that is decided per request.
    """
    now = timezone.now()
    supports_defer = run_transitions_task.get_backend().supports_defer
    queued = 0
    if any(when <= now for when in transition_times(window)):
        run_transitions_task.enqueue()
        queued += 1
    if supports_defer:
        for when in transition_times(window):
            if when > now:
                run_transitions_task.using(run_after=when).enqueue()
                queued += 1
    return queued


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
