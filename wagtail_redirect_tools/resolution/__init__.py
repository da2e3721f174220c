"""Request-time lookup of redirects. The middleware and the serve hook only call what is here."""

from . import early, hits, remembered, stamps, window_index
from .core_redirects import RedirectMatch, find_core_redirect
from .hits import record_hit, take_due
from .responses import points_at_request, redirect_response, window_response
from .scheduled import find_page_window, find_path_window, find_unslashed_page_window

__all__ = [
    "RedirectMatch",
    "early",
    "find_core_redirect",
    "find_page_window",
    "find_path_window",
    "find_unslashed_page_window",
    "forget_process_state",
    "points_at_request",
    "record_hit",
    "redirect_response",
    "take_due",
    "window_response",
]


def forget_process_state() -> None:
    """Drop everything this process keeps in memory: the window index, the stamps, the
    remembered lookups and the hits not yet handed over (between tests)."""
    window_index.forget()
    stamps.forget()
    remembered.forget()
    hits.forget()
