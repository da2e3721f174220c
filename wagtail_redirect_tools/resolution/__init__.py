"""Request-time lookup of redirects. The middleware, the serve hook, the API and the
edge exports only call what is here; the order of the rules is in :mod:`.resolver`."""

from . import early, hits, membership, pattern_index, remembered, stamps, window_index
from .core_redirects import RedirectMatch, find_core_redirect
from .hits import record_hit, take_due
from .resolver import (
    after_not_found,
    before_view,
    for_served_page,
    of_redirect,
    of_window,
    resolve,
)
from .responses import (
    patch_temporary_cache_control,
    points_at_request,
    redirect_response,
    response_for,
)
from .result import Resolution
from .scheduled import find_page_window, find_path_window, find_unslashed_page_window

__all__ = [
    "RedirectMatch",
    "Resolution",
    "after_not_found",
    "before_view",
    "early",
    "find_core_redirect",
    "find_page_window",
    "find_path_window",
    "find_unslashed_page_window",
    "for_served_page",
    "forget_process_state",
    "of_redirect",
    "of_window",
    "patch_temporary_cache_control",
    "points_at_request",
    "record_hit",
    "redirect_response",
    "resolve",
    "response_for",
    "take_due",
]


def forget_process_state() -> None:
    """Drop everything this process keeps in memory: the window and pattern indexes, the
    stamps, the remembered lookups, the set of stored paths and the hits not yet handed
    over (between tests)."""
    window_index.forget()
    pattern_index.forget()
    stamps.forget()
    remembered.forget()
    membership.forget()
    hits.forget()
