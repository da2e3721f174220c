"""Find the core ``Redirect`` that answers a 404, with core's matching rules in one query.

Core's middleware tries, in order: the full path with its parameters and query
string (decoded to an IRI, then as sent), then the bare path (likewise); for each
path, a site-specific redirect beats an all-sites one. That costs core one to four
queries (more when a path has both kinds). We fetch every candidate row in one
query, with the target page and our details, and apply core's order in Python.
A request that found nothing is remembered (:mod:`.misses`), so asking again costs
no query until a redirect changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from ..models import RedirectDetails, page_link
from . import stamps
from .misses import is_known_miss, remember_miss
from .paths import candidate_paths
from .responses import with_query


@dataclass(frozen=True, kw_only=True)
class RedirectMatch:
    """A redirect found for a request.

    ``unmatched_query`` is the request's query string when the redirect was found
    only after dropping it (core's fallback), and empty when the path matched as sent.
    """

    redirect: Redirect
    unmatched_query: str = ""

    @property
    def is_permanent(self) -> bool:
        return self.redirect.is_permanent

    @property
    def status_code(self) -> int:
        """301, 302, 307, 308, or 410 for a gone URL (see ``RedirectDetails``)."""
        return RedirectDetails.effective_status_code(self.redirect)

    def location(self, *, keep_query_string: bool = False) -> str | None:
        """Where to send the visitor, or None when the target has no URL (core then gives up).

        A page target is the page's ``url``, as in core (absolute when there are
        several sites); a page on no site has no URL.
        """
        redirect = self.redirect
        if redirect.redirect_page is not None:
            link = page_link(redirect.redirect_page, redirect.redirect_page_route_path)
        else:
            link = redirect.redirect_link or None
        if link is None or not keep_query_string:
            return link
        return with_query(link, self.unmatched_query)


def find_core_redirect(request: HttpRequest) -> RedirectMatch | None:
    """The core redirect for this request's site and path, or None. At most one query."""
    shared = stamps.current()
    miss_key = (request.get_host(), request.get_full_path())
    if is_known_miss(miss_key, shared):
        return None
    candidates, full_forms, query = candidate_paths(request)
    site = Site.find_for_request(request)
    site_id = site.pk if site is not None else None
    rows = _rows(candidates, site_id) if candidates else []
    for position, path in enumerate(candidates):
        redirect = _preferred([row for row in rows if row.old_path == path], site_id)
        if redirect is not None:
            return RedirectMatch(
                redirect=redirect, unmatched_query="" if position < full_forms else query
            )
    remember_miss(miss_key, shared)
    return None


def _rows(candidates: list[str], site_id: int | None) -> list[Redirect]:
    rows = Redirect.objects.filter(old_path__in=candidates)
    if site_id is not None:
        rows = rows.filter(Q(site_id=site_id) | Q(site__isnull=True))
    return list(rows.select_related("redirect_page", "details").order_by("pk"))


def _preferred(rows: Iterable[Redirect], site_id: int | None) -> Redirect | None:
    """Core's choice among the rows for one path: the only one; or, when there are
    several, the one for exactly this site (all sites, without a site); else none."""
    rows = list(rows)
    if len(rows) == 1:
        return rows[0]
    exact = [row for row in rows if row.site_id == site_id]
    return exact[0] if exact else None
