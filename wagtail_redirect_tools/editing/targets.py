"""Which core redirects point where: at a page, or at a page visitors can no longer see.
One rule each, shared by the Redirects listing's filters, the dashboard and the page's
redirects section."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .. import rules


def pointing_at(page: Page | int) -> Q:
    """Redirects whose target is ``page`` (at any of its routes)."""
    return Q(redirect_page=page)


def target_unavailable() -> Q:
    """Redirects whose target page is unpublished, or that lost their target without
    being meant as 410 Gone.

    Core deletes a redirect together with the page it points at, so "deleted" shows up
    as a redirect left with neither page nor link that nobody marked Gone.
    """
    without_target = Q(redirect_page__isnull=True, redirect_link="")
    meant_gone = Q(details__status_code=rules.GONE)
    return Q(redirect_page__live=False) | (without_target & ~meant_gone)


def pointing_under(page: Page) -> Q:
    """Redirects (or windows) whose target is a page below ``page`` in the tree."""
    return Q(redirect_page__path__startswith=page.path, redirect_page__depth__gt=page.depth)


@dataclass(frozen=True, kw_only=True)
class PointingCounts:
    """How many redirects and current or upcoming windows lead to some pages."""

    redirects: int
    windows: int

    def __bool__(self) -> bool:
        return bool(self.redirects or self.windows)


def count_pointing(where: Q) -> PointingCounts:
    """Two queries: the core redirects and the windows not yet over that ``where`` (a
    :func:`pointing_at` or :func:`pointing_under`) selects."""
    from ..models import ScheduledRedirect

    return PointingCounts(
        redirects=Redirect.objects.filter(where).count(),
        windows=ScheduledRedirect.objects.not_expired().filter(where).count(),
    )
