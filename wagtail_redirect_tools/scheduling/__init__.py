"""Scheduled temporary redirects: creating and changing windows, and their transitions.

Whether a window applies is decided at request time (see ``resolution``); what
lives here is writing windows and the bookkeeping when one starts or ends.
"""

from .bookkeeping import queue_bookkeeping
from .transitions import TransitionReport, run_transitions
from .translations import save_with_translations
from .windows import (
    end_windows,
    extend_windows,
    save_window,
    schedule_redirect,
    was_ended_early,
    when_visitors_see_the_end,
)

__all__ = [
    "TransitionReport",
    "end_windows",
    "extend_windows",
    "queue_bookkeeping",
    "run_transitions",
    "save_window",
    "save_with_translations",
    "schedule_redirect",
    "was_ended_early",
    "when_visitors_see_the_end",
]
