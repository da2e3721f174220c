"""Which core redirects point where: at a page, or at a page visitors can no longer see.
One rule each, shared by the Redirects listing's filters, the dashboard and the page's
redirects section."""

from __future__ import annotations

from django.db.models import Q
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
