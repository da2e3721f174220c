"""The page rights a screen of one window asks for, besides the model permission: a
window on a page is changed, ended or deleted only by someone who may edit that page
(:func:`~wagtail_redirect_tools.editing.permissions.window_pages_refused`)."""

from __future__ import annotations

from django.http import HttpRequest

from ...editing.permissions import may_write_window
from ...models import ScheduledRedirect


class WindowPageRightsMixin:
    """For a ``PermissionCheckedMixin`` view of one window: each model permission it asks
    for (to open the screen, to show a button) holds only with edit rights on the
    window's source page, as it is saved."""

    request: HttpRequest

    def user_has_permission(self, permission: str) -> bool:
        if not super().user_has_permission(permission):  # type: ignore[misc]
            return False
        window: ScheduledRedirect = getattr(self, "object", None) or self.get_object()  # type: ignore[attr-defined]
        self.object = window
        return may_write_window(self.request.user, window.source_page_id)
