"""Who may do what with scheduled redirects (Wagtail's model permissions, plus page rights)."""

from __future__ import annotations

from typing import Any

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.permissions import ModelPermissionPolicy

from .models import ScheduledRedirect

scheduled_redirect_policy = ModelPermissionPolicy(ScheduledRedirect)


def can_redirect_page(user: Any, page: Page) -> bool:
    """Redirecting a page temporarily needs "add" on scheduled redirects and edit rights on it."""
    return bool(
        scheduled_redirect_policy.user_has_permission(user, "add")
        and page.permissions_for_user(user).can_edit()
    )


class RedirectPermissionPolicy(ModelPermissionPolicy):
    """Core's redirect permissions, plus the action "import": importing creates and
    changes redirects, so it needs both permissions."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action == "import":
            return bool(
                self.user_has_permission(user, "add") and self.user_has_permission(user, "change")
            )
        return bool(super().user_has_permission(user, action))


redirect_policy = RedirectPermissionPolicy(Redirect)
