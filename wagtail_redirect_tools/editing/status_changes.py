"""Changes an editor makes to many core redirects at once (the listing's bulk actions):
each is written in one transaction and recorded in Wagtail's audit log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log

from .. import rules
from ..models import RedirectDetails
from ..resolution.stamps import redirects_changed

ACTION_STATUS_CHANGED = "wagtail_redirect_tools.change_status"


@dataclass(frozen=True, kw_only=True)
class StatusChange:
    """What :func:`change_status_codes` did: the redirects it changed, and those it left
    as they were because a redirect needs a target (a gone one has none)."""

    changed: list[Redirect] = field(default_factory=list)
    without_target: list[Redirect] = field(default_factory=list)


def has_target(redirect: Redirect) -> bool:
    return bool(redirect.redirect_page_id or redirect.redirect_link)


def change_status_codes(
    redirects: Iterable[Redirect], status_code: int, *, user: Any = None
) -> StatusChange:
    """Give each redirect ``status_code``; 410 Gone also clears its target.

    A redirect without a target cannot become a 301-308 and is left alone. Each change is
    one audit-log entry on the redirect, with the code before and after.
    """
    result = StatusChange()
    with transaction.atomic():
        for redirect in redirects:
            before = RedirectDetails.effective_status_code(redirect)
            if status_code != rules.GONE and not has_target(redirect):
                result.without_target.append(redirect)
                continue
            if status_code == rules.GONE and has_target(redirect):
                redirect.redirect_page = None
                redirect.redirect_page_route_path = ""
                redirect.redirect_link = ""
                redirect.save(
                    update_fields=["redirect_page", "redirect_page_route_path", "redirect_link"]
                )
            RedirectDetails.record(redirect, status_code=status_code, user=user)
            if before != status_code:
                log(
                    redirect,
                    ACTION_STATUS_CHANGED,
                    user=user,
                    data={"status_code": {"from": before, "to": status_code}},
                )
            result.changed.append(redirect)
        if result.changed:
            redirects_changed()  # our code alone may have changed: core's row did not
    return result


def delete_redirects(redirects: Iterable[Redirect], *, user: Any = None) -> int:
    """Delete ``redirects``, each with the audit-log entry Wagtail's delete view writes."""
    redirects = list(redirects)
    with transaction.atomic():
        for redirect in redirects:
            log(redirect, "wagtail.delete", user=user)
        Redirect.objects.filter(pk__in=[redirect.pk for redirect in redirects]).delete()
    return len(redirects)
