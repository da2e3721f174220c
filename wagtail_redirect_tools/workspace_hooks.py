"""What the editor's redirect workspace (issue 16) plugs into Wagtail's admin: bulk
actions on the Redirects listing and their audit-log entries, and the dashboard panel.
``wagtail_hooks`` imports this module, which registers its hooks when imported."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .dashboard import add_redirects_panel
from .redirect_bulk_actions import BULK_ACTIONS
from .redirect_changes import ACTION_STATUS_CHANGED

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
