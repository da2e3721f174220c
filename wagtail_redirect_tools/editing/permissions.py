"""Who may do what with scheduled redirects (Wagtail's model permissions, plus page rights)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import ModelPermissionPolicy

from ..models import ScheduledRedirect

scheduled_redirect_policy = ModelPermissionPolicy(ScheduledRedirect)


def window_pages_refused(user: Any, page_ids: Iterable[int | None]) -> set[int]:
    """The rule every writer of a window applies (issue 29, item 11): a window whose source
    is a page is created, changed, ended or deleted only by a user who may edit that page
    (Wagtail's ``can_edit``, as the page's own editor asks). Returns those of ``page_ids``
    (the source pages a write touches: before and after it) that ``user`` may not edit.

    ``None`` (a path source) is never refused, and neither is any *target* page: a window
    only links to its target, as a core redirect does, which needs no page rights. The
    model permissions (add, change, delete scheduled redirect) are checked besides, by
    each writer. Code that writes windows without a user (``schedule_redirect()``, the
    ``redirects_import`` command) is trusted and checks nothing.
    """
    wanted = {int(pk) for pk in page_ids if pk is not None}
    if not wanted:
        return set()
    if user is None or not getattr(user, "is_active", False):
        return wanted
    if user.is_superuser:
        return set()  # every page (the tree's root, which Wagtail excepts, has no URL)
    # Most editors may edit through a "change" permission: one query for all the pages.
    changeable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    allowed = set(changeable.filter(pk__in=wanted, depth__gt=1).values_list("pk", flat=True))
    # The others (an owner with "add", a workflow task's reviewer): Wagtail's own test.
    for page in Page.objects.filter(pk__in=wanted - allowed).prefetch_workflow_states():
        if page.permissions_for_user(user).can_edit():
            allowed.add(page.pk)
    return wanted - allowed


def may_write_window(user: Any, *page_ids: int | None) -> bool:
    """Whether ``user`` may write a window whose source page is each of ``page_ids`` (see
    :func:`window_pages_refused`)."""
    return not window_pages_refused(user, page_ids)


def can_redirect_page(user: Any, page: Page) -> bool:
    """Redirecting a page temporarily needs "add" on scheduled redirects and edit rights on it."""
    return bool(
        scheduled_redirect_policy.user_has_permission(user, "add")
        and may_write_window(user, page.pk)
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
