"""Which pages an API caller may be told about: the pages Wagtail's own pages API shows
them, so ``resolve/`` names no page that ``pages/find/`` hides (issue 29, item 9).

v2 (``wagtail.api.querysets.get_public_pages_queryset``): a live page none of whose view
restrictions (its own and its ancestors') refuses the request: a password entered in this
session, a login, a group. v3 (``wagtail.api.v3.querysets.get_pages_queryset``): the same
for an anonymous caller (a logged-in session does not count: Wagtail's ``AllowAnonymous``
makes the request anonymous); a bearer token's user sees the pages they may change or
publish, by Wagtail's own query.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page


def restrictions_accept(request: Any, page: Page) -> bool:
    """True when every view restriction on ``page`` and its ancestors accepts ``request``."""
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


def shown_by_v2(request: Any, page: Page) -> bool:
    """True when Wagtail's v2 pages API shows ``page`` to ``request``."""
    return page.live and restrictions_accept(request, page)


def shown_by_v3(request: HttpRequest, page: Page) -> bool:
    """True when Wagtail's v3 pages API shows ``page`` to ``request``."""
    if not request.user.is_authenticated:
        return page.live and restrictions_accept(request, page)
    from wagtail.api.v3.querysets import get_pages_queryset  # Wagtail 8 only

    return bool(get_pages_queryset(request).filter(pk=page.pk).exists())
