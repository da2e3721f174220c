"""What the middleware calls for a 404 it could not answer: count it, in memory only.

This runs on every 404 our middleware lets through, so it does as little as it can:
no query, no settings read (see ``log.settings``), the raw ``request.path`` as the key
(the job turns it into the form the middleware matches: ``resolution.paths.matched_path``),
no path with a NUL (no redirect can have one), the headers read from ``META``, the user
agent's bot check remembered per user agent, and the referrer parsed only while a path has
few.
"""

from __future__ import annotations

import functools
import logging

from django.http import HttpRequest, HttpResponseBase
from django.urls import is_valid_path
from wagtail.contrib.redirects.models import Redirect

from .. import conf
from ..resolution.sites import request_site_id
from . import log
from .bots import is_bot
from .tasks import enqueue_not_found_flush

logger = logging.getLogger(__name__)

#: A requested path longer than this cannot normalise to a path a redirect can have
#: (percent-encoding is at most three characters a character); the job checks exactly.
RAW_PATH_LIMIT = 3 * 255


def old_path_length() -> int:
    """The longest path a redirect can be made from (core's ``old_path``)."""
    return int(Redirect._meta.get_field("old_path").max_length or 255)


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


def is_bot_agent(user_agent: str) -> bool:
    """:func:`is_bot`, remembered for the last 1,024 user agents (their first 256
    characters: bots name themselves early)."""
    return _is_bot_remembered(user_agent[:256])


@functools.lru_cache(maxsize=1024)
def _is_bot_remembered(user_agent: str) -> bool:
    return is_bot(user_agent)


def record(request: HttpRequest, response: HttpResponseBase) -> None:
    """Count ``response`` if it is a 404, for its site and path. Hands the counts to a job
    when a write is due. Never raises: a failure loses a count, not the response."""
    if response.status_code != 404:
        return
    try:
        settings = log.settings()
        if not settings.enabled:
            return
        path = request.path
        if (
            len(path) > RAW_PATH_LIMIT
            or "\x00" in path
            or path.startswith(settings.ignored_prefixes)
            or path.endswith(settings.ignored_suffixes)
            or (not path.endswith("/") and slash_redirect_follows(request))
        ):
            return
        site_id = request_site_id(request)
        if site_id is None:
            return
        meta = request.META
        log.add(
            (site_id, path),
            bot=is_bot_agent(meta.get("HTTP_USER_AGENT", "")),
            referer=meta.get("HTTP_REFERER", ""),
        )
        hand_over()
    except Exception:
        logger.exception("Could not count a 404 of %s", request.path)


def hand_over() -> None:
    """Queue the counts gathered in this process, when a write is due."""
    due = log.take_due()
    if due is not None:
        enqueue_not_found_flush(due)
