"""Answers given before Wagtail routes a request, from memory: no query.

A GET or HEAD for a path that was answered with a redirect (or a 410) after a 404 gets
the same answer again before the view runs, while nothing that could change it has
changed: redirects and sites (the ``redirects`` stamp) and pages (the ``pages`` stamp:
a page saved, published, unpublished, moved or deleted may now live at the path). An
active window on a live page is answered before routing too. Other methods go through
routing as before.

``ANSWER_BEFORE_ROUTING = False`` switches this off, for sites with views that start
answering a path while no page or redirect changes.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.http import HttpRequest

from .. import conf
from . import stamps
from .remembered import NOT_REMEMBERED, early_answers
from .result import Resolution
from .scheduled import find_window_of_page_at
from .window_index import IndexedWindow

EARLY_METHODS = frozenset({"GET", "HEAD"})
#: The answers remembered: core redirects and gone (a window is answered from the index).
EARLY_KINDS = frozenset({"redirect", "gone"})


@dataclass(frozen=True, slots=True)
class EarlyLookup:
    """What the middleware notes on a request before routing, to remember its answer."""

    key: Hashable
    shared: stamps.Stamps


def start(request: HttpRequest) -> EarlyLookup | None:
    """The lookup key of a request that may be answered early, or None."""
    if request.method not in EARLY_METHODS or not conf.answer_before_routing():
        return None
    # A site set on the request before the middleware ran (by the caller) is part of the key.
    preset = getattr(request, "_wagtail_site", None)
    key = (
        request.get_host(),
        request.get_port(),
        request.get_full_path(),
        getattr(preset, "pk", None),
    )
    return EarlyLookup(key, stamps.current())


def recall(lookup: EarlyLookup) -> Resolution | None:
    answer = early_answers.recall(lookup.key, lookup.shared)
    return None if answer is NOT_REMEMBERED else answer


def remember(lookup: EarlyLookup, answer: Resolution) -> None:
    """Remember the answer given to a 404 (a redirect or a gone), to give it again."""
    if answer.kind in EARLY_KINDS:
        early_answers.remember(lookup.key, answer, lookup.shared)


def find_live_page_window(request: HttpRequest) -> IndexedWindow | None:
    """The active window of the live page served at this request's URL, found without
    routing (from the root of the path's language on a multilingual site), or None.
    Costs no query once the host's site is known."""
    path = request.path_info
    if not path.endswith("/"):
        return None
    return find_window_of_page_at(request, path, live_only=True)
