"""How the Scheduled redirects listing shows a window: its source as a path (with the
page it belongs to), its site labelled as on the Redirects listing, a badge per state,
and times in the editor's time zone with the zone named."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, TextField, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.models import Page, Site

from ...database.collation import ExactText
from ...editing.page_titles import page_title
from ...models import ScheduledRedirect, WindowState
from ...scheduling import was_ended_early
from ...scheduling.translations import window_language
from .display import site_label
from .paths import LISTING_CSS, path_segments

# The Redirects listing's own path wrapping and site label are used here; that module
# imports the scheduled listing, so they are imported where they are used.

# The badge of each state (css/windows.css): active stands out in Wagtail's positive
# colour, scheduled is Wagtail's info label, expired (Wagtail's draft look) and ended (a
# window someone ended early) are neutral. Nothing is red: red is for errors.
ENDED = "ended"
STATE_LABELS = {**dict(WindowState.choices), ENDED: _("Ended")}
STATE_BADGES = {
    WindowState.ACTIVE: "wrt-status--active",
    WindowState.SCHEDULED: "w-status--label",
    WindowState.EXPIRED: "",
    ENDED: "wrt-status--ended",
}
WINDOWS_CSS = "wagtail_redirect_tools/css/windows.css"


def zoned_datetime(value: datetime.datetime) -> str:
    """``value`` in the editor's time zone (Wagtail activates the one in their profile,
    else ``TIME_ZONE``) in the site's format, with the zone: "Dec. 3, 2026, 2 p.m. CET"."""
    local = localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def display_state(window: ScheduledRedirect) -> str:
    """The window's state, with "ended" for an expired window someone ended early."""
    state = window.state
    if state == WindowState.EXPIRED and was_ended_early(window):
        return ENDED
    return str(state)


def state_badge(window: ScheduledRedirect) -> dict[str, Any]:
    """What the badge of the window's state shows: ``state``, ``label`` and ``badge`` (its
    classes beside ``w-status``), as the shared template ``shared/window_state.html`` reads."""
    state = display_state(window)
    return {"state": state, "label": STATE_LABELS[state], "badge": STATE_BADGES[state]}


def real_start(window: ScheduledRedirect) -> datetime.datetime:
    """When the window began or begins: a window without a start began when it was made."""
    return window.starts_at or window.created_at


@dataclass(frozen=True, kw_only=True)
class WindowSource:
    """Where a window applies: a path on a site (``site`` None: every site), and the page
    when the window is on a page (the path is then the page's own URL)."""

    path: str
    site: Site | None
    page: Page | None = None


def window_source(window: ScheduledRedirect, request: Any, sites: dict[int, Site]) -> WindowSource:
    page = window.source_page
    if page is None:
        return WindowSource(path=window.old_path, site=window.site)
    parts = page.specific_deferred.get_url_parts(request)
    if parts is None:  # a page no site serves
        return WindowSource(path="", site=None, page=page)
    site_id, _root_url, page_path = parts
    return WindowSource(path=page_path or "/", site=sites.get(site_id), page=page)


@dataclass(frozen=True)
class SourcesOfRequest:
    """The sites (read once) and the rows' sources worked out so far, for one listing."""

    sites: dict[int, Site]
    sources: dict[int, WindowSource]


class WindowPlaceMixin:
    """Columns that need where a window applies (worked out once per row and request)."""

    def source_of(self, instance: ScheduledRedirect, parent_context: Any) -> WindowSource:
        request = parent_context.get("request")
        known = getattr(request, "_wrt_window_sources", None)
        if known is None:
            known = SourcesOfRequest(sites=Site.objects.in_bulk(), sources={})
            request._wrt_window_sources = known
        if instance.pk not in known.sources:
            known.sources[instance.pk] = window_source(instance, request, known.sites)
        return known.sources[instance.pk]


class SourceColumn(WindowPlaceMixin, TitleColumn):
    """The path (wrapping after slashes, like the Redirects listing's "From"), and under
    it the page the window is on, linking to the page's editor."""

    cell_template_name = "wagtail_redirect_tools/tables/window_source_cell.html"

    class Media:
        css = {"all": [LISTING_CSS]}

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> Any:
        context = super().get_cell_context_data(instance, parent_context)
        source = self.source_of(instance, parent_context)
        context["value"] = path_segments(source.path)
        context["page"] = source.page
        context["page_title"] = page_title(source.page) if source.page is not None else ""
        return context


class SiteColumn(WindowPlaceMixin, Column):
    def get_cell_context_data(self, instance: Any, parent_context: Any) -> Any:
        context = super().get_cell_context_data(instance, parent_context)
        # ``site_label`` reads only ``.site``: the same label as the Redirects listing.
        context["value"] = site_label(self.source_of(instance, parent_context))
        return context


class ZonedTimeColumn(Column):
    """A date and time in the editor's time zone with the zone named, or a dash."""

    def __init__(self, name: str, *, empty: Any = "—", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.empty = empty

    def get_value(self, instance: Any) -> Any:
        value = super().get_value(instance)
        return self.empty if value is None else zoned_datetime(value)


class StateColumn(Column):
    cell_template_name = "wagtail_redirect_tools/tables/state_cell.html"

    class Media:
        css = {"all": [WINDOWS_CSS]}

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> Any:
        context = super().get_cell_context_data(instance, parent_context)
        context.update(state_badge(instance))
        return context


class LanguageColumn(Column):
    """The language of a window's page, on sites with ``WAGTAIL_I18N_ENABLED`` (a window
    on a page and its translations is one row per translation); a dash for a path."""

    def get_value(self, instance: Any) -> Any:
        return window_language(instance) or "—"


def sort_annotations() -> dict[str, Any]:
    """What the listing's source, target and state columns sort by, as SQL. A window's
    path and its page's ``url_path`` sort together exactly (:class:`ExactText`): on MySQL
    and MariaDB the path has a binary collation of its own, which the page's column may
    not mix with."""
    now = timezone.now()
    return {
        "source_sort": Coalesce(
            Case(When(source_page__isnull=True, then=F("old_path")), output_field=TextField()),
            ExactText(F("source_page__url_path")),
            output_field=TextField(),
        ),
        "target_sort": Coalesce("redirect_page__title", "redirect_link", output_field=TextField()),
        "state_rank": Case(
            When(expires_at__lte=now, then=Value(2)),
            When(starts_at__gt=now, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    }


# Sort keys the columns offer, and the expressions they order by (ties by expiry, pk).
ORDERINGS = {
    "source": F("source_sort"),
    "state": F("state_rank"),
    "target": F("target_sort"),
    "site": F("site__hostname"),
}
