"""Bookkeeping when windows start and end: audit log, front-end cache purge, notices, clean-up.

Idempotent and safe to run concurrently: each transition is claimed with one
conditional ``UPDATE`` before anything is logged, so two workers (or a worker and
a cron job) never record the same transition twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail.log_actions import log

from .. import conf
from ..editing.page_titles import with_locale
from ..models import ScheduledRedirect
from .notices import send_expiry_notice
from .purging import purge_window_urls

ACTION_STARTED = "wagtail_redirect_tools.window_started"
ACTION_ENDED = "wagtail_redirect_tools.window_ended"


@dataclass(frozen=True, kw_only=True)
class TransitionReport:
    started: int = 0
    ended: int = 0
    notices_sent: int = 0
    deleted: int = 0


def run_transitions(now: datetime.datetime | None = None) -> TransitionReport:
    """Record every start and end that is due, send due notices, delete old windows."""
    now = now or timezone.now()
    return TransitionReport(
        started=_record_due_starts(now),
        ended=_record_due_ends(now),
        notices_sent=_send_due_notices(now),
        deleted=_delete_old_windows(now),
    )


def _claim(window: ScheduledRedirect, field: str, now: datetime.datetime) -> bool:
    """Mark one transition of ``window`` as handled; False if someone else already did."""
    claimed = ScheduledRedirect.objects.filter(pk=window.pk, **{f"{field}__isnull": True})
    return claimed.update(**{field: now}) == 1


def _record_due_starts(now: datetime.datetime) -> int:
    due = ScheduledRedirect.objects.filter(
        Q(starts_at__isnull=True) | Q(starts_at__lte=now), start_logged_at__isnull=True
    )
    return sum(
        _record(window, "start_logged_at", ACTION_STARTED, now=now, user=None)
        for window in due.select_related("site", *with_locale("source_page", "redirect_page"))
    )


def _record_due_ends(now: datetime.datetime) -> int:
    due = ScheduledRedirect.objects.filter(expires_at__lte=now, end_logged_at__isnull=True)
    return sum(
        record_end(window, now=now, user=None)
        for window in due.select_related("site", *with_locale("source_page", "redirect_page"))
    )


def record_end(window: ScheduledRedirect, *, now: datetime.datetime, user: Any) -> bool:
    """Log and purge the end of ``window`` unless that was done already."""
    return _record(window, "end_logged_at", ACTION_ENDED, now=now, user=user)


def _record(
    window: ScheduledRedirect, field: str, action: str, *, now: datetime.datetime, user: Any
) -> bool:
    """Claim one transition, log it and purge the window's URLs; False if already done."""
    with transaction.atomic():
        if not _claim(window, field, now):
            return False
        _log(window, action, user=user)
    purge_window_urls(window)
    return True


def _send_due_notices(now: datetime.datetime) -> int:
    days = conf.expiry_notice_days()
    if days == 0:
        return 0
    due = ScheduledRedirect.objects.filter(
        expires_at__gt=now,
        expires_at__lte=now + datetime.timedelta(days=days),
        expiry_notice_sent_at__isnull=True,
        created_by__isnull=False,
        # Whoever created a window already inside the notice period knows when it ends.
        created_at__lt=F("expires_at") - datetime.timedelta(days=days),
    ).select_related("created_by", "site", *with_locale("source_page", "redirect_page"))
    count = 0
    for window in due:
        if _claim(window, "expiry_notice_sent_at", now) and send_expiry_notice(window):
            count += 1
    return count


def _delete_old_windows(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=conf.keep_expired_days())
    # Only windows whose end has been recorded, so no end goes unlogged.
    deleted, _by_model = ScheduledRedirect.objects.filter(
        expires_at__lte=cutoff, end_logged_at__isnull=False
    ).delete()
    return deleted


def _log(window: ScheduledRedirect, action: str, *, user: Any) -> None:
    data = {
        "source": window.source_label,
        "target": window.target_label,
        "status_code": window.status_code,
        "starts_at": window.starts_at.isoformat() if window.starts_at else None,
        "expires_at": window.expires_at.isoformat(),
    }
    log(window, action, user=user, data=data)
    if window.source_page_id is not None:
        # Also in the page's own history, where editors look first.
        log(window.source_page, action, user=user, data=data)
