"""Automatic permanent redirects when pages move or change slug.

``changes`` is the entry point for each page event (URL change, unpublish, publish);
``moves`` writes the redirects (bulk, chain-free); ``editor`` holds what the admin
shows and undoes; ``signal_handlers`` and ``wagtail_hooks`` only connect these to Wagtail.
"""

from .changes import handle_publish, handle_unpublish, handle_url_change
from .editor import (
    Outcome,
    created_by_move,
    old_url_count,
    pop_outcome,
    remember_outcome,
    skip_next_move,
    take_skip_choice,
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
    "handle_publish",
    "handle_unpublish",
    "handle_url_change",
    "old_url_count",
    "pop_outcome",
    "purge_old_links",
    "redirect_old_urls",
    "remember_outcome",
    "skip_next_move",
    "take_skip_choice",
    "undo_move_redirects",
]
