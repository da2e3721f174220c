"""Create and change scheduled windows: the one entry point for each window action.

Every write is validated with ``full_clean`` while holding the windows lock
(:func:`locks.hold`), so two writers cannot both add overlapping windows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site

from .. import conf
from ..database import locks
from ..models import ScheduledRedirect
from ..resolution import frontend_cache
from .transitions import record_end
from .translations import save_with_translations


def schedule_redirect(
    source: str | Page,
    target: str | Page,
    *,
    expires_at: datetime.datetime,
    starts_at: datetime.datetime | None = None,
    status_code: int = 302,
    site: Site | None = None,
    reason: str = "",
    user: Any = None,
    with_translations: bool = False,
) -> ScheduledRedirect:
    """Redirect ``source`` (a path or a page) to ``target`` (a path, URL or page) for a while.

    ``with_translations`` (a page source on a site with ``WAGTAIL_I18N_ENABLED``): the
    page's translations get a window each too, all or none, each to the target page's
    translation in its language where it has one; the page's own window is returned.

    Raises ``django.core.exceptions.ValidationError`` with the same messages the
    admin form shows (overlapping windows, expiry in the past, a loop, ...).
    """
    if with_translations and not isinstance(source, Page):
        raise ValueError("with_translations needs a page as the source.")
    window = ScheduledRedirect(
        site=site,
        status_code=status_code,
        starts_at=starts_at,
        expires_at=expires_at,
        reason=reason,
    )
    if isinstance(source, Page):
        window.source_page = source
    else:
        window.old_path = source
    if isinstance(target, Page):
        window.redirect_page = target
    else:
        window.redirect_link = target
    if with_translations:
        return save_with_translations(window, user=user)[0]
    return save_window(window, user=user)


def save_window(window: ScheduledRedirect, *, user: Any = None) -> ScheduledRedirect:
    """Validate and save a new or changed window (admin forms, the API, the Python API).

    Raises ``ValidationError`` when the window is invalid, or overlaps another window
    of its source, including one another writer saved a moment ago.
    """
    if window.pk is None and user is not None and user.is_authenticated:
        window.created_by = user
    with transaction.atomic():
        locks.hold(locks.WINDOWS)
        window.full_clean()
        window.save()
    return window


def end_windows(
    windows: Iterable[ScheduledRedirect], *, user: Any = None
) -> list[ScheduledRedirect]:
    """End the active windows among ``windows`` now; the others are left as they are.

    The end is recorded (audit log, cache purge) at once rather than at the next
    transitions run, so the original page is visible immediately.
    """
    now = timezone.now()
    ended = []
    with transaction.atomic():
        for window in windows:
            if window.state_at(now) != "active":
                continue
            window.expires_at = now
            window.save(update_fields=["expires_at", "updated_at"])
            record_end(window, now=now, user=user)
            ended.append(window)
    return ended


def when_visitors_see_the_end() -> str:
    """What ending a window now means for visitors, as true as this site's settings tell:
    browsers keep no window's answer, so they see the page again at once; a CDN may keep
    it ``TEMPORARY_MAX_AGE`` seconds, unless Wagtail's front-end cache purges it."""
    seconds = conf.temporary_max_age()
    if seconds == 0:
        return str(_("Visitors see the original page or path again at once."))
    if frontend_cache.configured():
        return str(
            _(
                "Visitors see the original page or path again at once; its URLs are purged "
                "from the front-end cache (CDN)."
            )
        )
    return ngettext(
        "Visitors see the original page or path again at once; a CDN or caching proxy in "
        "front of the site may keep sending them to the target for up to %(seconds)d second.",
        "Visitors see the original page or path again at once; a CDN or caching proxy in "
        "front of the site may keep sending them to the target for up to %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def was_ended_early(window: ScheduledRedirect) -> bool:
    """Whether someone ended ``window`` with :func:`end_windows`, which sets its expiry and
    records its end at one same moment; the bookkeeping records a window's own expiry
    later than that (at its next run)."""
    return window.end_logged_at is not None and window.end_logged_at == window.expires_at


def extend_windows(
    windows: Iterable[ScheduledRedirect], expires_at: datetime.datetime
) -> list[ScheduledRedirect]:
    """Move the expiry of each window to ``expires_at``, all or none.

    Raises ``ValidationError`` (naming the window) if any window would then be
    invalid, e.g. overlap the next window of the same source.
    """
    changed = []
    with transaction.atomic():
        locks.hold(locks.WINDOWS)
        for window in windows:
            window.expires_at = expires_at
            try:
                window.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    _("%(window)s: %(problem)s"),
                    code="invalid_extension",
                    params={"window": window, "problem": " ".join(error.messages)},
                ) from error
            window.save()
            changed.append(window)
    return changed
