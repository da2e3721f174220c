"""How the admin shows things: one format for dates, one way to carry ``next=``, and
spreadsheet cells that cannot run."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.utils import set_query_params
from wagtail.admin.widgets import Button
from wagtail.contrib.redirects.models import Redirect

from ...editing.permissions import scheduled_redirect_policy
from ...importing.exporting import content_type, export_kind, export_queryset
from ...models import ImportStatus, RedirectImport

# The file of every redirect and scheduled redirect, from the redirects listing.
EVERYTHING_FILENAME = "redirects-and-scheduled-redirects"
# Any of these on scheduled redirects opens their listing, and so their export.
WINDOW_ACTIONS = ("add", "change", "delete", "view")


def local_datetime(value: datetime.datetime) -> str:
    """``value`` in the editor's time zone, in the site's date-time format."""
    return date_format(localtime(value), "DATETIME_FORMAT")


def with_next(url: str, next_url: str | None) -> str:
    """``url`` that comes back to ``next_url`` when done (if there is one)."""
    return set_query_params(url, {"next": next_url or None})


class ResourceExportMixin:
    """For a Wagtail index view: export the filtered listing with the import's columns
    (CSV, XLSX and JSON), so the file imports back; no spreadsheet cell can run.

    CSV downloads are for spreadsheets: they start with a byte-order mark, so Excel
    reads them as UTF-8. The redirects listing also offers every redirect and every
    scheduled redirect in one file (``?export=xlsx&include=scheduled``; windows only
    for those who may see them), the same file as ``redirects_export``.
    """

    FORMATS = ("xlsx", "csv", "json")
    EVERYTHING_PARAMETER = ("include", "scheduled")

    def as_spreadsheet(self, queryset: QuerySet[Any], spreadsheet_format: str) -> HttpResponse:
        filename: str = self.get_filename()  # type: ignore[attr-defined]
        if not self.exports_everything:
            data = export_queryset(queryset, spreadsheet_format, excel=True)
        elif self.may_see_windows:
            data = export_kind("all", spreadsheet_format, excel=True)
            filename = EVERYTHING_FILENAME
        else:
            data = export_kind("redirects", spreadsheet_format, excel=True)
        response = HttpResponse(data, content_type=content_type(spreadsheet_format))
        response["Content-Disposition"] = content_disposition_header(
            True, f"{filename}.{spreadsheet_format}"
        )
        return response

    #: Whether this listing also offers one download of every redirect and window.
    exports_windows_too = False

    @property
    def exports_everything(self) -> bool:
        """Asked for every redirect and window, whatever the listing's filters."""
        name, value = self.EVERYTHING_PARAMETER
        request = self.request  # type: ignore[attr-defined]
        return self.exports_windows_too and request.GET.get(name) == value

    @cached_property
    def may_see_windows(self) -> bool:
        user = self.request.user  # type: ignore[attr-defined]
        return bool(scheduled_redirect_policy.user_has_any_permission(user, WINDOW_ACTIONS))

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons: list[Button] = list(super().header_more_buttons)  # type: ignore[misc]
        if not self.show_export_buttons:  # type: ignore[attr-defined]
            return buttons
        buttons.append(
            Button(
                _("Download JSON"),
                url=self.get_export_url("json"),  # type: ignore[attr-defined]
                icon_name="download",
                priority=92,
            )
        )
        if self.exports_windows_too and self.may_see_windows:
            name, value = self.EVERYTHING_PARAMETER
            path = self.request.path  # type: ignore[attr-defined]
            buttons.append(
                Button(
                    _("Download redirects and scheduled redirects (XLSX)"),
                    url=set_query_params(path, {"export": "xlsx", name: value}),
                    icon_name="download",
                    priority=93,
                )
            )
        return buttons


def source_import_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """A filter on the import a redirect or window came from (the import summary links it)."""
    return django_filters.ModelChoiceFilter(
        label=_("Import"),
        field_name=field_name,
        queryset=RedirectImport.objects.filter(status=ImportStatus.IMPORTED),
        empty_label=_("Any"),
    )


def site_label(redirect: Redirect) -> str:
    """The site of a redirect or window as the listings show it (the same words in each)."""
    return str(redirect.site) if redirect.site is not None else str(_("All sites"))
