"""What the API says about a path: the same answer for v2 and v3."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from django.http import HttpRequest
from wagtail.models import Site

from .. import conf
from ..resolution import Resolution, record_hit, resolve


def site_for(request: HttpRequest, site: str | None) -> Site | None:
    """The site named by the ``site`` parameter (hostname, hostname:port or id), else the
    API request's own site, as Wagtail's pages API finds it."""
    if not site:
        return Site.find_for_request(request)
    if site.isdigit():
        return Site.objects.filter(pk=int(site)).first()
    hostname, _colon, port = site.partition(":")
    found = Site.objects.filter(hostname__iexact=hostname)
    if port.isdigit():
        found = found.filter(port=int(port))
    return found.order_by("-is_default_site", "port").first()


def resolve_for_api(request: HttpRequest, html_path: str, site: str | None) -> Resolution:
    """``resolve()`` for the API's parameters; with ``API_COUNTS_HITS`` (off by default:
    any caller could inflate the counts), a window or redirect found is counted as a hit,
    like a served request."""
    path, _question, query = html_path.partition("?")
    # A front end sends the path as the browser shows it, percent-encoded; Django's own
    # request.path (what the middleware sees) is decoded.
    answer = resolve(site_for(request, site), unquote(path) or "/", query_string=query)
    if answer.source_id is not None and answer.answers and conf.api_counts_hits():
        record_hit("window" if answer.kind == "window" else "redirect", answer.source_id)
    return answer


def describe(answer: Resolution) -> dict[str, Any]:
    """The fields every answer carries."""
    return {
        "kind": answer.kind,
        "status_code": answer.status_code,
        "location": answer.location,
        "valid_until": answer.valid_until.isoformat() if answer.valid_until else None,
    }
