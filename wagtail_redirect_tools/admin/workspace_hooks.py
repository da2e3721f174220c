"""What the editor's redirect workspace (issue 16) plugs into Wagtail's admin: bulk
actions on the Redirects listing and their audit-log entries, the dashboard panel, and
a page's redirects (its header menu and screen). ``wagtail_hooks`` imports this module,
which registers its hooks when imported."""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from ..editing.status_changes import ACTION_STATUS_CHANGED
from ..editing.targets import pointing_at
from .bulk_actions.redirects import BULK_ACTIONS
from .dashboard import add_redirects_panel
from .views.page_redirects import PageRedirectsView, may_see_page_redirects, page_redirects_url

for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


class StatusChangedFormatter(LogFormatter):
    label = _("Change redirect status")

    def format_message(self, log_entry: Any) -> str:
        change = (log_entry.data or {}).get("status_code", {})
        return gettext("Status changed from %(before)s to %(after)s") % {
            "before": change.get("from", "?"),
            "after": change.get("to", "?"),
        }


@hooks.register("register_log_actions")
def register_log_actions(actions: Any) -> None:
    actions.register_action(ACTION_STATUS_CHANGED)(StatusChangedFormatter)


hooks.register("construct_homepage_panels", add_redirects_panel)


workspace_urls = (
    [path("pages/<int:page_id>/redirects/", PageRedirectsView.as_view(), name="page_redirects")],
    "redirect_tools_workspace",
)


@hooks.register("register_admin_urls")
def register_workspace_urls() -> list[Any]:
    return [path("redirect-tools/workspace/", include(workspace_urls))]


@hooks.register("register_page_header_buttons")
def page_redirects_button(
    page: Page, user: Any, view_name: str = "", next_url: str | None = None
) -> list[Any]:
    if not page.pk or not may_see_page_redirects(user):
        return []
    count = Redirect.objects.filter(pointing_at(page)).count()
    label = _("Redirects to this page (%(count)d)") % {"count": count}
    return [Button(label, url=page_redirects_url(page), icon_name="redirect", priority=61)]
