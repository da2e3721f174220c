"""Find the core ``Redirect`` that answers a request, with exactly core's matching rules.

Core's middleware tries, in order: the full path with its parameters and query
string (decoded to an IRI, then as sent), then the bare path (likewise). For each
candidate path a site-specific redirect beats an all-sites one. We keep those rules
but look each candidate up with a single query instead of core's ``get()`` followed
by a second query on ``MultipleObjectsReturned``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q
from django.http import HttpRequest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

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

    def location(self, *, keep_query_string: bool = False) -> str | None:
        """Where to send the visitor, or None when the target has no URL (core then gives up)."""
        link = self.redirect.link
        if link is None or not keep_query_string:
            return link
        return with_query(link, self.unmatched_query)


def find_core_redirect(request: HttpRequest) -> RedirectMatch | None:
    """The core redirect for this request's site and path, or None.

    Core's order: the full path (as an IRI, then as sent), then the bare path, which
    Django's get_full_path() leaves differing only by its query string.
    """
    candidates, full_forms, query = candidate_paths(request)
    for position, path in enumerate(candidates):
        redirect = _lookup(request, path)
        if redirect is not None:
            return RedirectMatch(
                redirect=redirect, unmatched_query="" if position < full_forms else query
            )
    return None


def _lookup(request: HttpRequest, path: str) -> Redirect | None:
    site = Site.find_for_request(request)
    site_id = site.pk if site is not None else None
    candidates = Redirect.objects.filter(old_path=path).select_related("redirect_page")
    if site is not None:
        candidates = candidates.filter(Q(site_id=site_id) | Q(site__isnull=True))
        preferred_first = F("site_id").asc(nulls_last=True)
    else:
        preferred_first = F("site_id").asc(nulls_first=True)

    # Two rows are enough to tell "one match" from "several": with several, only
    # a redirect for exactly this site (or for all sites, without a site) wins.
    found = list(candidates.order_by(preferred_first, "pk")[:2])
    if not found:
        return None
    if len(found) == 1 or found[0].site_id == site_id:
        return found[0]
    return None
