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


redirect_policy = ModelPermissionPolicy(Redirect)


def can_import_redirects(user: Any) -> bool:
    """Importing creates and changes redirects: it needs both permissions."""
    return bool(redirect_policy.user_has_permission(user, "add")) and bool(
        redirect_policy.user_has_permission(user, "change")
    )
