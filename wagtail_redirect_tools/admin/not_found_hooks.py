"""The 404 log's place in the admin: the Reports menu item, the ignore rules' viewset and
the audit log's wording of its fixes (imported by ``wagtail_hooks``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from ..editing.permissions import redirect_policy
from ..not_found.fixes import ACTION_GONE, ACTION_IGNORED
from .views.ignore_rules import ignore_rule_viewset
from .views.not_found import PERMISSION
from .views.not_found_panel import add_not_found_panel


class NotFoundMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(redirect_policy.user_has_permission(request.user, PERMISSION))


@hooks.register("register_reports_menu_item")
def register_not_found_report_menu_item() -> MenuItem:
    return NotFoundMenuItem(
        _("Not found"),
        reverse("wagtail_redirect_tools:not_found"),
        name="not-found",
        icon_name="warning",
        order=1300,
    )


@hooks.register("register_admin_viewset")
def register_ignore_rule_viewset() -> Any:
    return ignore_rule_viewset


class GoneFormatter(LogFormatter):
    label = _("Mark a not found path gone")

    def format_message(self, log_entry: Any) -> str:
        path = (log_entry.data or {}).get("path", "?")
        return str(_("%(path)s answers 410 Gone (from the Not found report)") % {"path": path})


class IgnoredFormatter(LogFormatter):
    label = _("Ignore a not found path")

    def format_message(self, log_entry: Any) -> str:
        path = (log_entry.data or {}).get("path", "?")
        return str(_("%(path)s is ignored in the Not found report") % {"path": path})


@hooks.register("register_log_actions")
def register_not_found_log_actions(actions: Any) -> None:
    actions.register_action(ACTION_GONE)(GoneFormatter)
    actions.register_action(ACTION_IGNORED)(IgnoredFormatter)


hooks.register("construct_homepage_panels", add_not_found_panel)
