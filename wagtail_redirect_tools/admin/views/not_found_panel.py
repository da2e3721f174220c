"""The dashboard's "Not found" panel: 404 paths first seen this week, how many and the five
most hit, linked to the report. Two queries (and one for the ignore rules, and one for the
logged paths a pattern redirect could answer when there are any: see
``not_found.queries.pattern_answered_ids``); only for those who may see the report."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import set_query_params

from ...editing.permissions import redirect_policy
from ...not_found.queries import open_paths
from .not_found import PERMISSION

WEEK = datetime.timedelta(days=7)


class NotFoundPanel(Component):
    name = "redirect_tools_not_found"
    order = 160
    template_name = "wagtail_redirect_tools/dashboard/not_found_panel.html"
    #: Paths listed.
    limit = 5

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @property
    def is_shown(self) -> bool:
        return bool(redirect_policy.user_has_permission(self.request.user, PERMISSION))

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        since = timezone.now() - WEEK
        new = open_paths().filter(first_seen_at__gte=since)
        return {
            "count": new.count(),
            "top": list(new.select_related("site").order_by("-hits", "path")[: self.limit]),
            "report_url": set_query_params(
                reverse("wagtail_redirect_tools:not_found"),
                {"since": since.date().isoformat(), "ordering": "-hits"},
            ),
        }


def add_not_found_panel(request: HttpRequest, panels: list[Any]) -> None:
    panel = NotFoundPanel(request)
    if panel.is_shown:
        panels.append(panel)
