"""The dashboard's "Redirects" panel: what is redirected right now and what needs an
editor's eye this week. Four queries at most, however many redirects and windows there are."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import set_query_params
from wagtail.contrib.redirects.models import Redirect

from ..editing.permissions import redirect_policy, scheduled_redirect_policy
from ..editing.targets import target_unavailable
from ..models import ScheduledRedirect, WindowState
from .views.window_columns import WINDOWS_CSS, zoned_datetime

WEEK = datetime.timedelta(days=7)
REDIRECT_ACTIONS = ("add", "change", "delete")
WINDOW_ACTIONS = ("add", "change", "delete", "view")


def windows_active(now: datetime.datetime) -> Any:
    """Windows active at ``now``, the one ending soonest first."""
    return (
        ScheduledRedirect.objects.active(now)
        .select_related("site", "source_page", "redirect_page")
        .order_by("expires_at", "pk")
    )


def windows_starting(now: datetime.datetime, until: datetime.datetime) -> Any:
    """Windows that start between ``now`` and ``until``, the soonest first (those that end
    then are active now, and listed as such)."""
    return (
        ScheduledRedirect.objects.filter(starts_at__gt=now, starts_at__lte=until)
        .select_related("site", "source_page", "redirect_page")
        .order_by("starts_at", "pk")
    )


def busiest_redirects(since: datetime.datetime) -> Any:
    """Redirects followed since ``since``, most hits first (hits are counted in total:
    a redirect last followed before ``since`` is left out)."""
    return (
        Redirect.objects.filter(details__last_hit_at__gte=since)
        .select_related("site", "details")
        .order_by("-details__hits", "old_path")
    )


def window_row(window: ScheduledRedirect, now: datetime.datetime) -> dict[str, Any]:
    """A window and its next change: when it starts, or else when it ends (with the zone)."""
    starts_at = window.starts_at
    starts = starts_at is not None and starts_at > now
    moment = starts_at if starts_at is not None and starts else window.expires_at
    return {"window": window, "starts": starts, "when": zoned_datetime(moment)}


class RedirectsPanel(Component):
    class Media:
        css = {"all": [WINDOWS_CSS]}

    name = "redirect_tools"
    order = 150
    template_name = "wagtail_redirect_tools/dashboard/panel.html"
    #: Rows per list.
    limit = 5

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        user = request.user
        self.may_see_redirects = redirect_policy.user_has_any_permission(user, REDIRECT_ACTIONS)
        self.may_see_windows = scheduled_redirect_policy.user_has_any_permission(
            user, WINDOW_ACTIONS
        )

    @property
    def is_shown(self) -> bool:
        return bool(self.may_see_redirects or self.may_see_windows)

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        now = timezone.now()
        context: dict[str, Any] = {"now": now}
        if self.may_see_windows:
            listing = reverse("scheduled_redirects:index")
            # One row more than shown tells whether the listing has more.
            active = list(windows_active(now)[: self.limit + 1])
            context["active_windows"] = [window_row(window, now) for window in active[: self.limit]]
            context["more_active"] = len(active) > self.limit
            context["active_url"] = set_query_params(
                listing, {"state": WindowState.ACTIVE, "ordering": "expires_at"}
            )
            starting = list(windows_starting(now, now + WEEK)[: self.limit])
            context["windows"] = [window_row(window, now) for window in starting]
            context["windows_url"] = set_query_params(
                listing, {"state": WindowState.SCHEDULED, "ordering": "starts_at"}
            )
        if self.may_see_redirects:
            listing = reverse("redirect_tools_redirects:index")
            context["unavailable_count"] = Redirect.objects.filter(target_unavailable()).count()
            context["unavailable_url"] = set_query_params(listing, {"target": "unavailable"})
            context["busiest"] = list(busiest_redirects(now - WEEK)[: self.limit])
            context["busiest_url"] = set_query_params(listing, {"ordering": "-hit_count"})
        return context


def add_redirects_panel(request: HttpRequest, panels: list[Any]) -> None:
    panel = RedirectsPanel(request)
    if panel.is_shown:
        panels.append(panel)
