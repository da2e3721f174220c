"""Find the core ``Redirect`` that answers a request, with exactly core's matching rules.

Core's middleware tries, in order: the full path with its parameters and query
string (decoded to an IRI, then as sent), then the bare path (likewise). For each
candidate path a site-specific redirect beats an all-sites one. We keep those rules
but look each candidate up with a single query instead of core's ``get()`` followed
by a second query on ``MultipleObjectsReturned``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from django.db.models import F, Q
from django.http import HttpRequest
from django.utils.encoding import uri_to_iri
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

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
    """The core redirect for this request's site and path, or None."""
    # Normalise without decoding unicode: _find_for_path tries both forms.
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    redirect = _find_for_path(request, path)
    if redirect is not None:
        return RedirectMatch(redirect=redirect)

    # Core's fallback: the bare path, as core's urlparse() gives it. (Django's
    # get_full_path() percent-encodes ";", so in practice only the query is dropped.)
    parts = urlparse(path)
    if parts.path == path:
        return None
    redirect = _find_for_path(request, parts.path)
    if redirect is None:
        return None
    return RedirectMatch(redirect=redirect, unmatched_query=parts.query)


def _find_for_path(request: HttpRequest, encoded_path: str) -> Redirect | None:
    """Try the IRI form of a percent-encoded path first, then the path as sent."""
    decoded_path = uri_to_iri(encoded_path)
    redirect = _lookup(request, decoded_path)
    if redirect is None and decoded_path != encoded_path:
        redirect = _lookup(request, encoded_path)
    return redirect


def _lookup(request: HttpRequest, path: str) -> Redirect | None:
    if "\0" in path:
        # Null characters cannot be stored in PostgreSQL text and crash the query.
        return None

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
