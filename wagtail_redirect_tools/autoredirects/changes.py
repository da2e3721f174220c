"""One entry point per page event: what a URL change, an unpublish or a publish writes.

Signal handlers call these and nothing else. A page event must never fail because its
redirects could not be written: the error is logged and the editor is told.
"""

from __future__ import annotations

import logging

from django.db import transaction
from wagtail.models import Page

from .. import conf
from .editor import Outcome, remember_outcome, take_skip_choice
from .moves import auto_create_enabled, purge_old_links, redirect_old_urls
from .removals import clear_own_urls, is_planned, plan_removal, write_removal
from .tasks import redirect_old_urls_task

logger = logging.getLogger(__name__)


def handle_url_change(page: Page, url_path_before: str, *, was_live: bool = True) -> None:
    """Redirect the old URLs of ``page`` and its descendants after a move or a new slug.

    A section with more live pages than ``BACKGROUND_MOVE_PAGES`` is handed to a
    background job once the move is committed; smaller ones are written at once.
    ``was_live=False``: the page was not live before (its first publish), so its own old
    URL was never public and gets no redirect; its live descendants' do.
    """
    if not auto_create_enabled() or take_skip_choice(page.pk):
        return
    if was_live and page.url_path != url_path_before and (live_pages := _too_many_for_now(page)):
        remember_outcome(page.pk, Outcome(queued_pages=live_pages))
        transaction.on_commit(
            lambda: redirect_old_urls_task.enqueue(page.pk, url_path_before), robust=True
        )
        return
    try:
        report = redirect_old_urls(page, url_path_before=url_path_before, with_page=was_live)
    except Exception:
        logger.exception("Could not create the redirects for the old URLs of page %s", page.pk)
        remember_outcome(page.pk, Outcome(failed=True))
        return
    if report is not None:
        remember_outcome(page.pk, Outcome(report=report))
        transaction.on_commit(lambda: purge_old_links(report), robust=True)


def _too_many_for_now(page: Page) -> int:
    """The number of live pages in the section, when it is above the threshold; else 0."""
    threshold = conf.background_move_pages()
    if not threshold:
        return 0
    live_pages = Page.objects.filter(path__startswith=page.path, live=True).count()
    return live_pages if live_pages > threshold else 0


def handle_unpublish(page: Page) -> None:
    """Redirect (or mark gone) the URLs of a page taken offline, when the setting asks."""
    if not conf.redirect_on_delete() or is_planned(page.pk):
        return
    try:
        plan = plan_removal(page, with_descendants=False)
        if plan is not None:
            report = write_removal(plan, reason="unpublished")
            transaction.on_commit(lambda: purge_old_links(report), robust=True)
    except Exception:
        logger.exception("Could not redirect the URLs of unpublished page %s", page.pk)


def handle_publish(page: Page) -> None:
    """A page published again answers its own URLs: redirects that shadowed them go."""
    if conf.redirect_on_delete():
        clear_own_urls(page)
