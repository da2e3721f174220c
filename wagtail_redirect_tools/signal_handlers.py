"""Signal receivers. They only connect model changes to capabilities and jobs."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site, get_page_models

from .autoredirects import handle_publish, handle_unpublish, handle_url_change
from .importing.signals import windows_imported
from .models import RedirectDetails, ScheduledRedirect
from .resolution.stamps import pages_changed, redirects_changed, windows_changed
from .scheduling import queue_bookkeeping


def queue_window_transitions(sender: Any, instance: ScheduledRedirect, **kwargs: Any) -> None:
    transaction.on_commit(lambda: queue_bookkeeping([instance]), robust=True)


def queue_imported_window_transitions(
    sender: Any, windows: list[ScheduledRedirect], **kwargs: Any
) -> None:
    queue_bookkeeping(windows)


def note_windows_changed(sender: Any, **kwargs: Any) -> None:
    windows_changed()


def note_redirects_changed(sender: Any, **kwargs: Any) -> None:
    redirects_changed()


def note_sites_changed(sender: Any, **kwargs: Any) -> None:
    # Which site a host name means, or where a page's URL is, changed.
    redirects_changed()
    windows_changed()


#: Page fields a save can change what is served at a path through; a save that names
#: none of them (a draft revision, a lock) changes nothing a visitor sees.
ROUTING_FIELDS = frozenset(
    {"live", "expired", "url_path", "slug", "path", "depth", "locale", "alias_of"}
)


def note_pages_changed(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    # A page saved, published, unpublished or deleted may now be served at a path that was
    # not found before: forget what was answered there before routing.
    if update_fields is None or not ROUTING_FIELDS.isdisjoint(
        name.removesuffix("_id") for name in update_fields
    ):
        pages_changed()


def redirect_on_move(sender: Any, instance: Any, url_path_before: str, **kwargs: Any) -> None:
    handle_url_change(instance, url_path_before)


def redirect_on_slug_change(
    sender: Any, instance: Any, instance_before: Any, **kwargs: Any
) -> None:
    # A page published for the first time under a new slug (a translation given its
    # own) had no public URL to redirect from: its own old URL gets no redirect.
    handle_url_change(instance, instance_before.url_path, was_live=instance_before.live)


def redirect_on_unpublish(sender: Any, instance: Any, **kwargs: Any) -> None:
    handle_unpublish(instance)


def clear_on_publish(sender: Any, instance: Any, **kwargs: Any) -> None:
    handle_publish(instance)


def register_signal_handlers() -> None:
    """Connect ours, and disconnect core's automatic redirects, which ours replace."""
    from wagtail.contrib.redirects import signal_handlers as core
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    post_page_move.disconnect(core.autocreate_redirects_on_page_move)
    page_slug_changed.disconnect(core.autocreate_redirects_on_slug_change)
    post_page_move.connect(redirect_on_move, dispatch_uid="wagtail_redirect_tools_move")
    page_unpublished.connect(redirect_on_unpublish, dispatch_uid="wagtail_redirect_tools_unpub")
    page_published.connect(clear_on_publish, dispatch_uid="wagtail_redirect_tools_publish")
    page_slug_changed.connect(redirect_on_slug_change, dispatch_uid="wagtail_redirect_tools_slug")
    for signal in (post_save, post_delete):
        for sender, receiver in (
            (ScheduledRedirect, note_windows_changed),
            (Redirect, note_redirects_changed),
            # The details hold what a redirect answers too (its code, every language).
            (RedirectDetails, note_redirects_changed),
            (Site, note_sites_changed),
        ):
            signal.connect(
                receiver,
                sender=sender,
                dispatch_uid=f"wagtail_redirect_tools_{receiver.__name__}_{id(signal)}",
            )
    # Page windows are indexed by the page's URL, and remembered redirects to a page hold
    # its URL: a move or a new slug changes both.
    for signal in (post_page_move, page_slug_changed):
        signal.connect(note_sites_changed, dispatch_uid=f"wagtail_redirect_tools_urls_{id(signal)}")
    # post_save is sent for the saved page's own class only.
    for page_model in get_page_models():
        post_save.connect(
            note_pages_changed,
            sender=page_model,
            dispatch_uid=f"wagtail_redirect_tools_pages_{page_model._meta.label_lower}",
        )
    post_delete.connect(
        note_pages_changed, sender=Page, dispatch_uid="wagtail_redirect_tools_pages_deleted"
    )
    post_save.connect(
        queue_window_transitions,
        sender=ScheduledRedirect,
        dispatch_uid="wagtail_redirect_tools_queue_window_transitions",
    )
    windows_imported.connect(
        queue_imported_window_transitions,
        dispatch_uid="wagtail_redirect_tools_queue_imported_window_transitions",
    )
