"""Queries on scheduled windows (and their computed states) and on core redirects."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WindowState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")


class ScheduledRedirectQuerySet(models.QuerySet[Any]):
    def active(self, now: datetime.datetime | None = None) -> ScheduledRedirectQuerySet:
        now = now or timezone.now()
        return self.filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now), expires_at__gt=now)

    def scheduled(self, now: datetime.datetime | None = None) -> ScheduledRedirectQuerySet:
        return self.filter(starts_at__gt=now or timezone.now())

    def expired(self, now: datetime.datetime | None = None) -> ScheduledRedirectQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())

    def not_expired(self, now: datetime.datetime | None = None) -> ScheduledRedirectQuerySet:
        return self.filter(expires_at__gt=now or timezone.now())

    def in_state(
        self, state: str, now: datetime.datetime | None = None
    ) -> ScheduledRedirectQuerySet:
        by_state = {
            WindowState.SCHEDULED: self.scheduled,
            WindowState.ACTIVE: self.active,
            WindowState.EXPIRED: self.expired,
        }
        return by_state[WindowState(state)](now)

    def same_source_as(self, window: Any) -> ScheduledRedirectQuerySet:
        if window.source_page_id is not None:
            found = self.filter(source_page_id=window.source_page_id)
        else:
            found = self.filter(source_page__isnull=True, old_path=window.old_path)
            if window.site_id is None:
                found = found.filter(site__isnull=True)
            else:
                found = found.filter(site_id=window.site_id)
        return found.exclude(pk=window.pk) if window.pk else found


# A core redirect answered with 410 Gone: our details say so and it has no target.
GONE_REDIRECTS = Q(details__status_code=410, redirect_page__isnull=True, redirect_link="")


def unused_for(days: int, now: datetime.datetime | None = None) -> Q:
    """Core redirects created at least ``days`` ago that no request followed in the last
    ``days`` days (clean-up candidates)."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    not_followed = Q(details__last_hit_at__isnull=True) | Q(details__last_hit_at__lt=since)
    return Q(created_at__lte=since) & not_followed
