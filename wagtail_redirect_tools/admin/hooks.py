"""Everything this package plugs into Wagtail's admin and page serving."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponseBase
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import get_language_bidi, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.utils import set_query_params
from wagtail.admin.widgets import Button, ListingButton
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from ..autoredirects import ACTION_CREATED as AUTO_REDIRECTS_CREATED
from ..autoredirects import ACTION_UNDONE as AUTO_REDIRECTS_UNDONE
from ..autoredirects import purge_old_links
from ..autoredirects.removals import plan_removal, pop_plan, remember_plan, write_removal
from ..autoredirects.translations import pop_with_translations
from ..editing.page_titles import page_title
from ..editing.permissions import can_redirect_page
from ..importing.service import LOG_ACTION as IMPORT_ACTION
from ..models import ScheduledRedirect
from ..resolution import for_served_page, response_for
from ..scheduling.transitions import ACTION_ENDED, ACTION_STARTED
from . import (  # noqa: F401 (register their own hooks)
    not_found_hooks,
    removal_warnings,
    workspace_hooks,
)
from . import urls as admin_urls
from .account import ExpiryNoticesSettingsPanel
from .bulk_actions.windows import BULK_ACTIONS
from .views.display import with_next
from .views.move_confirm import confirm_move
from .views.window_columns import zoned_datetime
from .views.window_end import end_window_url, may_end
from .viewsets import redirect_viewset, scheduled_redirect_viewset

ANNOTATION_STARTS = "wrt_window_starts_at"
ANNOTATION_EXPIRES = "wrt_window_expires_at"

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@hooks.register("register_admin_viewset")
def register_scheduled_redirect_viewset() -> Any:
    return scheduled_redirect_viewset


@hooks.register("register_admin_viewset")
def register_redirect_viewset() -> Any:
    return redirect_viewset


@hooks.register("construct_settings_menu")
def replace_core_redirects_menu_item(request: HttpRequest, menu_items: list[Any]) -> None:
    # Our "Redirects" listing shows core's redirects with status, origin and hits.
    ours = redirect_viewset.menu_url
    menu_items[:] = [item for item in menu_items if item.name != "redirects" or item.url == ours]


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("redirect-tools/", include(admin_urls, namespace="wagtail_redirect_tools"))]


@hooks.register("register_account_settings_panel")
def register_expiry_notices_panel(request: HttpRequest, user: Any, profile: Any) -> Any:
    return ExpiryNoticesSettingsPanel(request, user, profile)


# -- Serving: a window on a page shadows it wherever it is served -----------------


@hooks.register("before_serve_page")
def serve_page_window(
    page: Page, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> HttpResponseBase | None:
    answer = for_served_page(request, page)
    return response_for(request, answer) if answer is not None else None


# -- Audit log ---------------------------------------------------------------------


class WindowLogFormatter(LogFormatter):
    template: StrOrPromise = ""

    def format_message(self, log_entry: Any) -> str:
        data = log_entry.data or {}
        return self.template % {
            "source": data.get("source", "?"),
            "target": data.get("target", "?"),
        }


class WindowStartedFormatter(WindowLogFormatter):
    label = gettext_lazy("Start temporary redirect")
    template = gettext_lazy("Temporary redirect from %(source)s to %(target)s started")


class WindowEndedFormatter(WindowLogFormatter):
    label = gettext_lazy("End temporary redirect")
    template = gettext_lazy("Temporary redirect from %(source)s to %(target)s ended")


class AutoRedirectsFormatter(LogFormatter):
    label = gettext_lazy("Create redirects for old URLs")

    def format_message(self, log_entry: Any) -> str:
        data = log_entry.data or {}
        message = ngettext(
            "%(count)d redirect created from the old URLs under %(path)s",
            "%(count)d redirects created from the old URLs under %(path)s",
            data.get("created", 0),
        ) % {"count": data.get("created", 0), "path": old_url_of(data)}
        if data.get("conflict_count"):
            message += ngettext(
                "; %(count)d manual redirect kept",
                "; %(count)d manual redirects kept",
                data["conflict_count"],
            ) % {"count": data["conflict_count"]}
        if data.get("kept_chain_count"):
            message += ngettext(
                "; %(count)d all-sites redirect to an old URL kept (%(paths)s): its path "
                "means another page on some site",
                "; %(count)d all-sites redirects to old URLs kept (%(paths)s): their paths "
                "mean other pages on some sites",
                data["kept_chain_count"],
            ) % {"count": data["kept_chain_count"], "paths": ", ".join(data["kept_chains"][:5])}
        return message


def old_url_of(data: dict[str, Any]) -> str:
    """The old URL a move's log entry names (entries from before 0.1 kept the tree path)."""
    return str(data.get("old_url") or data.get("url_path_before") or "?")


class ImportFormatter(LogFormatter):
    label = gettext_lazy("Import redirects")

    def format_message(self, log_entry: Any) -> str:
        counts = (log_entry.data or {}).get("counts", {})
        created, updated = counts.get("created", 0), counts.get("updated", 0)
        message = ngettext(
            "Imported %(name)s: %(created)d created, %(updated)d updated",
            "Imported %(name)s: %(created)d created, %(updated)d updated",
            created,
        ) % {"name": log_entry.label, "created": created, "updated": updated}
        skipped = counts.get("skip", 0) + counts.get("error", 0)
        if skipped:
            message += ngettext(
                "; %(count)d row not imported", "; %(count)d rows not imported", skipped
            ) % {"count": skipped}
        return message


class UndoneFormatter(LogFormatter):
    label = gettext_lazy("Undo redirects for old URLs")

    def format_message(self, log_entry: Any) -> str:
        deleted = (log_entry.data or {}).get("deleted", 0)
        return ngettext(
            "%(count)d redirect from the old URLs removed (undo)",
            "%(count)d redirects from the old URLs removed (undo)",
            deleted,
        ) % {"count": deleted}


@hooks.register("register_log_actions")
def register_log_actions(actions: Any) -> None:
    actions.register_action(ACTION_STARTED)(WindowStartedFormatter)
    actions.register_action(ACTION_ENDED)(WindowEndedFormatter)
    actions.register_action(AUTO_REDIRECTS_CREATED)(AutoRedirectsFormatter)
    actions.register_action(AUTO_REDIRECTS_UNDONE)(UndoneFormatter)
    actions.register_action(IMPORT_ACTION)(ImportFormatter)


# -- Pages: "Redirect temporarily…", and where a page is (or will be) redirected ----


def page_window_url(page: Page, next_url: str | None = None) -> str:
    return with_next(reverse("wagtail_redirect_tools:page_window", args=[page.pk]), next_url)


@hooks.register("register_page_header_buttons")
def page_header_button(
    page: Page, user: Any, view_name: str = "", next_url: str | None = None
) -> list[Any]:
    if not can_redirect_page(user, page):
        return []
    return [
        Button(
            _("Redirect temporarily…"),
            url=page_window_url(page),
            icon_name="time",
            priority=60,
        )
    ]


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_button(page: Page, user: Any, next_url: str | None = None) -> list[Any]:
    if not can_redirect_page(user, page):
        return []
    return [
        Button(
            _("Redirect temporarily…"),
            url=page_window_url(page, next_url),
            icon_name="time",
            priority=60,
        )
    ]


@hooks.register("construct_explorer_page_queryset")
def annotate_page_windows(parent_page: Page, pages: QuerySet[Page], request: HttpRequest) -> Any:
    """Give each listed page its current or next window, in the listing's own query."""
    next_window = (
        ScheduledRedirect.objects.not_expired()
        .filter(source_page_id=OuterRef("pk"))
        .order_by("expires_at")
    )
    return pages.annotate(
        **{
            ANNOTATION_STARTS: Subquery(next_window.values("starts_at")[:1]),
            ANNOTATION_EXPIRES: Subquery(next_window.values("expires_at")[:1]),
        }
    )


def describe_page_window(starts_at: Any, expires_at: Any) -> str:
    now = timezone.now()
    if starts_at is not None and starts_at > now:
        return _("Redirect from %(start)s") % {"start": zoned_datetime(starts_at)}
    return _("Redirected until %(end)s") % {"end": zoned_datetime(expires_at)}


@hooks.register("register_page_listing_buttons")
def page_listing_window_status(page: Page, user: Any, next_url: str | None = None) -> list[Any]:
    expires_at = getattr(page, ANNOTATION_EXPIRES, None)
    if expires_at is None or expires_at <= timezone.now():
        return []
    return [
        ListingButton(
            describe_page_window(getattr(page, ANNOTATION_STARTS, None), expires_at),
            url=page_window_url(page, next_url),
            icon_name="time",
            priority=5,
            attrs={"data-page-window-status": ""},
        )
    ]


@hooks.register("before_edit_page")
def tell_editor_about_page_windows(request: HttpRequest, page: Page) -> None:
    if request.method != "GET":
        return
    window = ScheduledRedirect.objects.not_expired().filter(source_page=page).first()
    if window is None:
        return
    buttons = [messages.button(page_window_url(page), _("Details"))]
    if may_end(request.user, window):
        end_url = end_window_url(window, request.get_full_path())
        buttons.append(messages.button(end_url, _("End now")))
    messages.warning(
        request,
        # The arrow in the reading direction; the target isolated (U+2068…U+2069), so a
        # path beside right-to-left text cannot turn it round.
        f"{describe_page_window(window.starts_at, window.expires_at)} "
        f"{'←' if get_language_bidi() else '→'} \u2068{window.target_label}\u2069",
        buttons=buttons,
    )


# -- Pages that moved or changed slug: what happened to their old URLs -------------


def listing_of(page: Page) -> str:
    """The page listing the page is in: where an editor returns after Undo (not the move
    screen, which would offer to move the page again)."""
    return str(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))


def moved_redirects_url(report: Any) -> str:
    """Our Redirects listing with exactly the redirects a move created (by its log entry),
    or, where no entry was written, searched for the page's old URL."""
    listing = reverse("redirect_tools_redirects:index")
    if report.log_entry_id:
        return str(set_query_params(listing, {"move": report.log_entry_id}))
    return str(set_query_params(listing, {"q": report.old_url}))


def undo_url(entry_id: int, next_url: str) -> str:
    return with_next(reverse("wagtail_redirect_tools:undo_move", args=[entry_id]), next_url)


hooks.register("before_move_page", confirm_move)


@hooks.register("after_move_page")
@hooks.register("after_edit_page")
def tell_editor_about_old_urls(request: HttpRequest, page: Page) -> None:
    outcome = pop_with_translations(page)
    if outcome is None:
        return
    title = page.get_admin_display_title()
    if outcome.failed:
        messages.error(
            request,
            _(
                "'%(title)s' was saved, but redirects for its old URLs could not be created. "
                "The error is in the server's log; old links to it may now be broken."
            )
            % {"title": title},
        )
        return
    if outcome.queued_pages:
        messages.success(
            request,
            ngettext(
                "Redirects from the old URLs of '%(title)s' and its %(count)d page are "
                "being created in the background.",
                "Redirects from the old URLs of '%(title)s' and its %(count)d pages are "
                "being created in the background.",
                outcome.queued_pages - 1,
            )
            % {"title": title, "count": outcome.queued_pages - 1},
        )
        return
    report = outcome.report
    if report is None:
        return
    if report.created or report.repointed:
        listing = moved_redirects_url(report)
        messages.success(
            request,
            ngettext(
                "%(count)d redirect was created from the old URLs of '%(title)s'.",
                "%(count)d redirects were created from the old URLs of '%(title)s'.",
                report.created,
            )
            % {"count": report.created, "title": title},
            buttons=[
                messages.button(listing, _("See redirects")),
                *(
                    [messages.button(undo_url(report.log_entry_id, listing_of(page)), _("Undo"))]
                    if report.log_entry_id and report.created
                    else []
                ),
            ],
        )
    if report.conflicts:
        messages.warning(
            request,
            ngettext(
                "%(count)d old URL already had a redirect made by hand; it was kept.",
                "%(count)d old URLs already had redirects made by hand; they were kept.",
                len(report.conflicts),
            )
            % {"count": len(report.conflicts)},
        )
    if report.too_long:
        messages.warning(
            request,
            ngettext(
                "%(count)d old URL is longer than %(limit)d characters and got no redirect.",
                "%(count)d old URLs are longer than %(limit)d characters and got no redirect.",
                len(report.too_long),
            )
            % {
                "count": len(report.too_long),
                "limit": Redirect._meta.get_field("old_path").max_length,
            },
        )


# -- Deleted pages: their URLs lead to the nearest live ancestor (if switched on) ----


@hooks.register("before_delete_page")
def plan_redirects_for_deleted_page(request: HttpRequest, page: Page) -> None:
    if request.method == "POST" and page.live:
        plan = plan_removal(page, with_descendants=True)
        if plan is not None:
            remember_plan(plan)


@hooks.register("after_delete_page")
def redirect_deleted_page(request: HttpRequest, page: Page) -> None:
    plan = pop_plan(page.pk)
    if plan is None:
        return
    report = write_removal(plan, reason="deleted", user=request.user)
    transaction.on_commit(lambda: purge_old_links(report), robust=True)
    messages.success(
        request,
        ngettext(
            "%(count)d URL of the deleted pages now redirects to '%(target)s'.",
            "%(count)d URLs of the deleted pages now redirect to '%(target)s'.",
            report.created,
        )
        % {"count": report.created, "target": page_title(plan.target)},
    )
