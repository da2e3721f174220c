"""The 410 Gone as one of the site's own pages (``GONE_PAGE``): the page at that path on
the request's site, served as Wagtail serves it, with its content under a 410 status.

Only for GET and HEAD (a POST to a gone URL must not reach a form page's handling), and
only a live page the request's site routes; otherwise the caller renders the template.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponseBase
from wagtail.models import Site

from .. import conf

logger = logging.getLogger(__name__)


def gone_page_response(
    request: HttpRequest, response_class: Callable[..., HttpResponseBase]
) -> HttpResponseBase | None:
    """``response_class`` (a 410) with the content of the site's gone page, or None when
    there is none to show (no setting, another method, no such live page)."""
    path = conf.gone_page()
    if path is None or request.method not in ("GET", "HEAD"):
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    try:
        page, args, kwargs = site.root_page.localized.specific.route(
            request, [part for part in path.split("/") if part]
        )
        if not page.live:
            return None
        served = page.serve(request, *args, **kwargs)
        render = getattr(served, "render", None)
        if callable(render):
            render()
    except Http404:
        return None
    except Exception:  # a page that cannot render: the plain 410 still answers
        logger.exception("Could not render the gone page %s", path)
        return None
    if served.status_code != 200:
        return None
    response = response_class(served.content)
    if "Content-Type" in served:
        response["Content-Type"] = served["Content-Type"]
    return response
