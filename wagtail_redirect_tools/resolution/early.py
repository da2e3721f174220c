"""Answers given before Wagtail routes a request, from memory: no query.

A GET or HEAD for a path that was answered with a redirect (or a 410) after a 404 gets
the same answer again before the view runs, while nothing that could change it has
changed: redirects and sites (the ``redirects`` stamp) and pages (the ``pages`` stamp:
a page saved, published, unpublished, moved or deleted may now live at the path). An
active window on a live page is answered before routing too. Other methods go through
routing as before.

A 404 that Wagtail's routing gives again and again skips routing (its queries: the site,
each page on the way) while the same stamps stay: the first 404 for a key is noted as
seen, the second checks that the page tree alone decided it (:mod:`.page_tree`: no page
class on the way with routes of its own) and remembers it, and from the third on the
request goes to Wagtail's ``serve`` view with its routing already done ("no page"), so
the view raises ``Http404`` at once and Django renders the 404 page as it always does;
the middleware's after-404 work (the redirect lookup, the 404 log) still runs. Nothing
but the fact "no page here" is remembered: never a response.

Keys hold the host, the port, the full path, a site set on the request beforehand and
the active language (on a multilingual site without language prefixes, the root page a
path is routed from is the active language's).

``ANSWER_BEFORE_ROUTING = False`` switches this off, for sites with views that start
answering a path while no page or redirect changes.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import translation

from .. import conf
from . import page_tree, stamps
from .remembered import NOT_REMEMBERED, early_answers, routed_not_found
from .result import Resolution
from .scheduled import find_window_of_page_at
from .sites import remember_request_site
from .window_index import IndexedWindow

EARLY_METHODS = frozenset({"GET", "HEAD"})
#: The answers remembered: core redirects and gone (a window is answered from the index).
EARLY_KINDS = frozenset({"redirect", "gone"})
#: What :data:`.remembered.routed_not_found` holds for a key.
SEEN_ONCE = "seen once"
NOT_FOUND = "not found"


@dataclass(frozen=True, slots=True)
class EarlyLookup:
    """What the middleware notes on a request before routing, to remember its answer."""

    key: Hashable
    shared: stamps.Stamps
    #: The active language when the key was made (part of the key).
    language: str | None
    #: Whether a site was set on the request before the middleware ran.
    site_preset: bool


def start(request: HttpRequest) -> EarlyLookup | None:
    """The lookup key of a request that may be answered early, or None."""
    if request.method not in EARLY_METHODS or not conf.answer_before_routing():
        return None
    # A site set on the request before the middleware ran (by the caller) is part of the key.
    preset = getattr(request, "_wagtail_site", None)
    language = translation.get_language()
    key = (
        request.get_host(),
        request.get_port(),
        request.get_full_path(),
        getattr(preset, "pk", None),
        language,
    )
    return EarlyLookup(key, stamps.current(), language, hasattr(request, "_wagtail_site"))


def recall(lookup: EarlyLookup) -> Resolution | None:
    answer = early_answers.recall(lookup.key, lookup.shared)
    return None if answer is NOT_REMEMBERED else answer


def remember(lookup: EarlyLookup, answer: Resolution) -> None:
    """Remember the answer given to a 404 (a redirect or a gone), to give it again."""
    if answer.kind in EARLY_KINDS:
        early_answers.remember(lookup.key, answer, lookup.shared)


def skip_routing_if_known(request: HttpRequest, lookup: EarlyLookup) -> bool:
    """For a 404 the page tree alone decided before, while nothing changed: note on the
    request that Wagtail's routing found no page, so that its ``serve`` view raises
    ``Http404`` without a query. Everything else runs as for any 404."""
    if routed_not_found.recall(lookup.key, lookup.shared) != NOT_FOUND:
        return False
    request._wagtail_route_for_request = None  # type: ignore[attr-defined]
    request._redirect_tools_routing_skipped = True  # type: ignore[attr-defined]
    return True


def note_not_found(request: HttpRequest, lookup: EarlyLookup) -> None:
    """A 404 the middleware did not answer: note it as seen, and the second time, when
    the page tree alone decided it, remember it (see :func:`skip_routing_if_known`)."""
    if getattr(request, "_redirect_tools_routing_skipped", False):
        return
    if not page_tree.routing_found_nothing(request):
        return
    if translation.get_language() != lookup.language:
        return  # the language changed below this middleware: the key does not tell it
    seen = routed_not_found.recall(lookup.key, lookup.shared)
    if seen is NOT_REMEMBERED:
        routed_not_found.remember(lookup.key, SEEN_ONCE, lookup.shared)
    elif seen == SEEN_ONCE and page_tree.decided_by_tree(request):
        # Skipped routing finds no site on the request: the host's site, remembered here,
        # keeps the answer free of queries.
        if not lookup.site_preset:
            remember_request_site(request, lookup.shared)
        routed_not_found.remember(lookup.key, NOT_FOUND, lookup.shared)


def find_live_page_window(request: HttpRequest) -> IndexedWindow | None:
    """The active window of the live page served at this request's URL, found without
    routing (from the root of the path's language on a multilingual site), or None.
    Costs no query once the host's site is known."""
    path = request.path_info
    if not path.endswith("/"):
        return None
    return find_window_of_page_at(request, path, live_only=True)
