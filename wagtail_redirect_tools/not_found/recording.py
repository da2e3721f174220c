"""What the middleware calls for a 404 it could not answer: count it, in memory only."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseBase
from django.urls import is_valid_path
from wagtail.contrib.redirects.models import Redirect

from .. import conf
from ..resolution.sites import request_site_id
from . import log
from .bots import is_bot
from .rules import ignored_by_settings

logger = logging.getLogger(__name__)


def old_path_length() -> int:
    """The longest path a redirect can be made from (core's ``old_path``)."""
    return int(Redirect._meta.get_field("old_path").max_length or 255)


def referrer_of(request: HttpRequest) -> str:
    """The ``Referer``'s host and path only (no scheme, query or fragment), cut short."""
    parts = urlsplit(request.headers.get("referer", ""))
    if not parts.netloc:
        return ""
    return (parts.netloc + parts.path)[: log.REFERRER_LENGTH]


def slash_redirect_follows(request: HttpRequest) -> bool:
    """Django's ``CommonMiddleware`` (above ours) turns this 404 into a redirect to the
    path with a slash (``APPEND_SLASH``): the visitor's next request is the one to count."""
    path = request.path_info
    urlconf = getattr(request, "urlconf", None)
    return (
        conf.append_slash()
        and not path.endswith("/")
        and not is_valid_path(path, urlconf)
        and bool(is_valid_path(f"{path}/", urlconf))
    )


def record(request: HttpRequest, response: HttpResponseBase) -> None:
    """Count ``response`` if it is a 404, for its site and normalised path (without the
    query string). No query: the site comes from :func:`request_site_id`, which Wagtail's
    own routing has filled in. Hands the counts to a job when a write is due. Never raises:
    a failure loses a count, not the response."""
    if response.status_code != 404 or not conf.not_found_log():
        return
    try:
        site_id = request_site_id(request)
        path = Redirect.normalise_path(request.path)
        if (
            site_id is None
            or len(path) > old_path_length()
            or ignored_by_settings(path)
            or slash_redirect_follows(request)
        ):
            return
        bot = is_bot(request.headers.get("user-agent", ""))
        log.add((site_id, path), bot=bot, referrer=referrer_of(request))
        hand_over()
    except Exception:
        logger.exception("Could not count a 404 of %s", request.path)


def hand_over() -> None:
    """Queue the counts gathered in this process, when a write is due."""
    due = log.take_due()
    if due is not None:
        from ..tasks import enqueue_not_found_flush

        enqueue_not_found_flush(due)
