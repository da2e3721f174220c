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

from ..exporting import content_type, export_kind, export_queryset
from ..models import ImportStatus, RedirectImport
from ..permissions import scheduled_redirect_policy

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
        if self.exports_everything:
            kind = "all" if self.may_see_windows else "redirects"
            data = export_kind(kind, spreadsheet_format, excel=True)
            filename = EVERYTHING_FILENAME
        else:
            data = export_queryset(queryset, spreadsheet_format, excel=True)
        response = HttpResponse(data, content_type=content_type(spreadsheet_format))
        response["Content-Disposition"] = content_disposition_header(
            True, f"{filename}.{spreadsheet_format}"
        )
        return response

    @property
    def offers_everything(self) -> bool:
        """Whether this listing (of core's redirects) can export windows along with them."""
        return self.model is Redirect and self.may_see_windows  # type: ignore[attr-defined]

    @property
    def exports_everything(self) -> bool:
        name, value = self.EVERYTHING_PARAMETER
        request = self.request  # type: ignore[attr-defined]
        return self.model is Redirect and request.GET.get(name) == value  # type: ignore[attr-defined]

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
        if self.offers_everything:
            name, value = self.EVERYTHING_PARAMETER
            buttons.append(
                Button(
                    _("Download redirects and scheduled redirects (XLSX)"),
                    url=f"{self.request.path}?export=xlsx&{name}={value}",  # type: ignore[attr-defined]
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
