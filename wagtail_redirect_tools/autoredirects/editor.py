"""What the admin needs around a move: the editor's choice, the outcome to report, Undo."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.db.models import Q, QuerySet
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry

from .page_urls import roots_serving
from .report import ACTION_UNDONE, AutoRedirectReport

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What happened to the redirects of one page in this thread: a report, or a failure."""

    report: AutoRedirectReport | None = None
    failed: bool = False
    #: Live pages whose old URLs a background job will redirect (a large move).
    queued_pages: int = 0


class PerPage(Generic[T]):
    """Values kept per page id in this thread: how a signal receiver tells the admin view
    of the same request what it did (or is told what the editor chose)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _values(self) -> dict[int, T]:
        if not hasattr(self._local, "by_page"):
            self._local.by_page = {}
        values: dict[int, T] = self._local.by_page
        return values

    def put(self, page_id: int, value: T) -> None:
        self._values()[page_id] = value

    def pop(self, page_id: int) -> T | None:
        return self._values().pop(page_id, None)

    def values(self) -> list[T]:
        return list(self._values().values())


_outcomes: PerPage[Outcome] = PerPage()
_skips: PerPage[bool] = PerPage()


def remember_outcome(page_id: int, outcome: Outcome) -> None:
    """Keep the outcome for the admin view that moved or renamed the page (same thread)."""
    _outcomes.put(page_id, outcome)


def pop_outcome(page_id: int) -> Outcome | None:
    return _outcomes.pop(page_id)


def skip_next_move(page_id: int) -> None:
    """The editor chose no redirects for the move of ``page_id`` about to happen (this thread)."""
    _skips.put(page_id, True)


def take_skip_choice(page_id: int) -> bool:
    """Whether the editor chose no redirects for this move; the choice is used up."""
    return bool(_skips.pop(page_id))


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
    """The redirects that the move logged in ``entry`` created (and that still exist).

    Entries logged before they named the moment of their redirects (no ``created_at``)
    cannot tell them from others: none.
    """
    if not entry.data.get("created_at"):
        return Redirect.objects.none()
    created_at = datetime.datetime.fromisoformat(entry.data["created_at"])
    of_move = Q(created_at=created_at, redirect_page__path__startswith=entry.page.path)
    # A page moved with its translations: their moves' redirects too.
    translation_entries = entry.data.get("translation_entries")
    if translation_entries:
        for other in PageLogEntry.objects.filter(pk__in=translation_entries).select_related("page"):
            if other.page is not None and other.data.get("created_at"):
                of_move |= Q(
                    created_at=datetime.datetime.fromisoformat(other.data["created_at"]),
                    redirect_page__path__startswith=other.page.path,
                )
    return Redirect.objects.filter(of_move, automatically_created=True)


def undo_move_redirects(entry: Any, *, user: Any = None) -> int:
    """Delete exactly the redirects one move created; how many were deleted."""
    with transaction.atomic():
        _total, by_model = created_by_move(entry).delete()
        deleted = by_model.get(Redirect._meta.label, 0)  # not their details, which go too
        log(entry.page, ACTION_UNDONE, user=user, data={"deleted": deleted, "entry": entry.pk})
    return deleted
