"""When the bookkeeping of windows (audit log, purge, notices) has to run, and queueing it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from .. import conf
from ..models import ScheduledRedirect
from .tasks import run_transitions_task


def transition_times(window: ScheduledRedirect) -> list[datetime.datetime]:
    """When the bookkeeping of ``window`` has something to do."""
    times = [window.starts_at or window.created_at, window.expires_at]
    days = conf.expiry_notice_days()
    if days and window.created_by_id is not None:
        times.append(window.expires_at - datetime.timedelta(days=days))
    return times


def queue_bookkeeping(windows: Iterable[ScheduledRedirect]) -> int:
    """Queue a transitions run for each coming moment of ``windows``; how many were queued.

    Due moments are handled by one job now. Future ones are queued with
    ``run_after`` (one job per distinct moment, however many windows share it) when
    the task backend can defer; otherwise the ``redirects_transitions`` command (or
    the next due job) picks them up. Either way the redirect itself starts and ends
    on time: that is decided per request.
    """
    now = timezone.now()
    moments = {when for window in windows for when in transition_times(window)}
    queued = 0
    if any(when <= now for when in moments):
        run_transitions_task.enqueue()
        queued += 1
    if run_transitions_task.get_backend().supports_defer:
        for when in sorted(moments):
            if when > now:
                run_transitions_task.using(run_after=when).enqueue()
                queued += 1
    return queued
