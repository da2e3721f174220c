"""What the admin needs around a move: the editor's choice, the outcome to report, Undo."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page

from .report import ACTION_UNDONE, AutoRedirectReport
from .urls import roots_serving


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What happened to the redirects of one page in this thread: a report, or a failure."""

    report: AutoRedirectReport | None = None
    failed: bool = False
    #: Live pages whose old URLs a background job will redirect (a large move).
    queued_pages: int = 0


_outcomes = threading.local()


def remember_outcome(page_id: int, outcome: Outcome) -> None:
    """Keep the outcome for the admin view that moved or renamed the page (same thread)."""
    if not hasattr(_outcomes, "by_page"):
        _outcomes.by_page = {}
    _outcomes.by_page[page_id] = outcome


def pop_outcome(page_id: int) -> Outcome | None:
    by_page: dict[int, Outcome] = getattr(_outcomes, "by_page", {})
    return by_page.pop(page_id, None)


def skip_next_move(page_id: int) -> None:
    """The editor chose no redirects for the move of ``page_id`` about to happen (this thread)."""
    if not hasattr(_outcomes, "skip"):
        _outcomes.skip = set()
    _outcomes.skip.add(page_id)


def should_skip(page_id: int) -> bool:
    skip: set[int] = getattr(_outcomes, "skip", set())
    if page_id in skip:
        skip.discard(page_id)
        return True
    return False


def old_url_count(page: Page, destination: Page) -> int:
    """How many old URLs moving ``page`` under ``destination`` would redirect (one per live
    page and site; a RoutablePage's extra routes come on top)."""
    url_path_after = f"{destination.url_path}{page.slug}/"
    roots = roots_serving(page.url_path, url_path_after)
    if not roots or page.url_path == url_path_after:
        return 0
    live = Page.objects.filter(path__startswith=page.path, depth__gte=page.depth, live=True)
    return live.count() * len(roots)


def created_by_move(entry: Any) -> QuerySet[Redirect]:
    """The redirects that the move logged in ``entry`` created (and that still exist)."""
    created_at = datetime.datetime.fromisoformat(entry.data["created_at"])
    return Redirect.objects.filter(
        automatically_created=True,
        created_at=created_at,
        redirect_page__path__startswith=entry.page.path,
    )


def undo_move_redirects(entry: Any, *, user: Any = None) -> int:
    """Delete exactly the redirects one move created; how many were deleted."""
    with transaction.atomic():
        deleted, _by_model = created_by_move(entry).delete()
        log(entry.page, ACTION_UNDONE, user=user, data={"deleted": deleted, "entry": entry.pk})
    return deleted
