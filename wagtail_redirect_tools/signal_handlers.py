"""Signal receivers. They only connect model changes to capabilities and jobs."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from . import conf
from .autoredirects import (
    Outcome,
    auto_create_enabled,
    purge_old_links,
    redirect_old_urls,
    remember_outcome,
    should_skip,
)
from .autoredirects.removals import clear_own_urls, is_planned, plan_removal, write_removal
from .importing.signals import windows_imported
from .models import ScheduledRedirect
from .resolution.stamps import redirects_changed, windows_changed

logger = logging.getLogger(__name__)


def queue_window_transitions(sender: Any, instance: ScheduledRedirect, **kwargs: Any) -> None:
    from .tasks import enqueue_transition_jobs

    transaction.on_commit(lambda: enqueue_transition_jobs([instance]), robust=True)


def queue_imported_window_transitions(
    sender: Any, windows: list[ScheduledRedirect], **kwargs: Any
) -> None:
    from .tasks import enqueue_transition_jobs

    enqueue_transition_jobs(windows)


def note_windows_changed(sender: Any, **kwargs: Any) -> None:
    windows_changed()


def note_redirects_changed(sender: Any, **kwargs: Any) -> None:
    redirects_changed()


def note_sites_changed(sender: Any, **kwargs: Any) -> None:
    # Which site a host name means, or where a page's URL is, changed.
    redirects_changed()
    windows_changed()


def redirect_on_move(sender: Any, instance: Any, url_path_before: str, **kwargs: Any) -> None:
    _redirect_old_urls(instance, url_path_before)


def redirect_on_slug_change(
    sender: Any, instance: Any, instance_before: Any, **kwargs: Any
) -> None:
    _redirect_old_urls(instance, instance_before.url_path)


def _redirect_old_urls(page: Any, url_path_before: str) -> None:
    if not auto_create_enabled() or should_skip(page.pk):
        return
    threshold = conf.background_move_pages()
    if threshold and page.url_path != url_path_before:
        live_pages = Page.objects.filter(path__startswith=page.path, live=True).count()
        if live_pages > threshold:
            from .tasks import redirect_old_urls_task

            remember_outcome(page.pk, Outcome(queued_pages=live_pages))
            transaction.on_commit(
                lambda: redirect_old_urls_task.enqueue(page.pk, url_path_before), robust=True
            )
            return
    try:
        report = redirect_old_urls(page, url_path_before=url_path_before)
    except Exception:
        # The move has happened; it must not fail because its redirects could not be written.
        logger.exception("Could not create the redirects for the old URLs of page %s", page.pk)
        remember_outcome(page.pk, Outcome(failed=True))
        return
    if report is not None:
        remember_outcome(page.pk, Outcome(report=report))
        transaction.on_commit(lambda: purge_old_links(report), robust=True)


def redirect_on_unpublish(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not conf.redirect_on_delete() or is_planned(instance.pk):
        return
    try:
        plan = plan_removal(instance, with_descendants=False)
        if plan is not None:
            report = write_removal(plan, reason="unpublished")
            transaction.on_commit(lambda: purge_old_links(report), robust=True)
    except Exception:
        logger.exception("Could not redirect the URLs of unpublished page %s", instance.pk)


def clear_on_publish(sender: Any, instance: Any, **kwargs: Any) -> None:
    if conf.redirect_on_delete():
        clear_own_urls(instance)


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
    post_save.connect(
        queue_window_transitions,
        sender=ScheduledRedirect,
        dispatch_uid="wagtail_redirect_tools_queue_window_transitions",
    )
    windows_imported.connect(
        queue_imported_window_transitions,
        dispatch_uid="wagtail_redirect_tools_queue_imported_window_transitions",
    )
