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


def entries_of_move(entry: Any) -> list[Any]:
    """``entry`` and, for a page moved with its translations, their moves' entries."""
    translation_entries = entry.data.get("translation_entries")
    if not translation_entries:
        return [entry]
    others = PageLogEntry.objects.filter(pk__in=translation_entries).select_related("page")
    return [entry, *(other for other in others if other.page is not None)]


def created_by_move(entry: Any) -> QuerySet[Redirect]:
    """The redirects that the move logged in ``entry`` created (and that still exist),
    with those of its translations' moves.

    Entries logged before they named the moment of their redirects (no ``created_at``)
    cannot tell them from others: none.
    """
    if not entry.data.get("created_at"):
        return Redirect.objects.none()
    of_move = Q(pk__in=[])
    for each in entries_of_move(entry):
        if each.data.get("created_at"):
            of_move |= Q(
                created_at=datetime.datetime.fromisoformat(each.data["created_at"]),
                redirect_page__path__startswith=each.page.path,
            )
    return Redirect.objects.filter(of_move, automatically_created=True)


@dataclass(frozen=True, kw_only=True)
class UndoneMove:
    deleted: int
    #: Automatic redirects the move had replaced, put back.
    restored: int = 0


def undo_move_redirects(entry: Any, *, user: Any = None) -> UndoneMove:
    """Delete exactly the redirects one move (with its translations' moves) created, and
    put back the automatic redirects they replaced."""
    entries = entries_of_move(entry)
    with transaction.atomic():
        _total, by_model = created_by_move(entry).delete()
        deleted = by_model.get(Redirect._meta.label, 0)  # not their details, which go too
        restored = restore_replaced(
            [row for e in entries for row in e.data.get("replaced_rows", [])]
        )
        log(
            entry.page,
            ACTION_UNDONE,
            user=user,
            data={"deleted": deleted, "restored": restored, "entry": entry.pk},
        )
    return UndoneMove(deleted=deleted, restored=restored)


def restore_replaced(rows: list[dict[str, Any]]) -> int:
    """Write again the automatic redirects ``rows`` describe (``report.replaced_row``),
    with their own ``created_at`` (so Undo and *See redirects* of the move that made them
    still find them), where no redirect is at their URL now and their page still exists."""
    if not rows:
        return 0
    pages = set(
        Page.objects.filter(pk__in={row["page"] for row in rows if row["page"]}).values_list(
            "pk", flat=True
        )
    )
    taken = {
        (site_id, old_path)
        for site_id, old_path in Redirect.objects.filter(
            old_path__in={row["old_path"] for row in rows}
        ).values_list("site_id", "old_path")
    }
    restored = 0
    for row in rows:
        if (row["site"], row["old_path"]) in taken or (row["page"] and row["page"] not in pages):
            continue
        redirect = Redirect.objects.create(
            site_id=row["site"],
            old_path=row["old_path"],
            redirect_page_id=row["page"],
            redirect_page_route_path=row["route"],
            redirect_link=row["link"],
            is_permanent=row["permanent"],
            automatically_created=True,
        )
        if row.get("created_at"):
            created_at = datetime.datetime.fromisoformat(row["created_at"])
            Redirect.objects.filter(pk=redirect.pk).update(created_at=created_at)
        taken.add((row["site"], row["old_path"]))
        restored += 1
    return restored
