"""Automatic permanent redirects when pages move or change slug.

``moves`` writes them (bulk, chain-free); ``editor`` holds what the admin shows and
undoes; ``signal_handlers`` and ``wagtail_hooks`` only connect these to Wagtail.
"""

from .editor import (
    Outcome,
    created_by_move,
    old_url_count,
    pop_outcome,
    remember_outcome,
    should_skip,
    skip_next_move,
    undo_move_redirects,
)
from .moves import auto_create_enabled, purge_old_links, redirect_old_urls
from .report import ACTION_CREATED, ACTION_UNDONE, AutoRedirectReport

__all__ = [
    "ACTION_CREATED",
    "ACTION_UNDONE",
    "AutoRedirectReport",
    "Outcome",
    "auto_create_enabled",
    "created_by_move",
    "old_url_count",
    "pop_outcome",
    "purge_old_links",
    "redirect_old_urls",
    "remember_outcome",
    "should_skip",
    "skip_next_move",
    "undo_move_redirects",
]
