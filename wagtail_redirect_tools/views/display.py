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

from ..exporting import content_type, export_queryset
from ..models import ImportStatus, RedirectImport


def local_datetime(value: datetime.datetime) -> str:
    """``value`` in the editor's time zone, in the site's date-time format."""
    return date_format(localtime(value), "DATETIME_FORMAT")


def with_next(url: str, next_url: str | None) -> str:
    """``url`` that comes back to ``next_url`` when done (if there is one)."""
    return set_query_params(url, {"next": next_url or None})


class ResourceExportMixin:
    """For a Wagtail index view: export the filtered listing with the import's columns
    (CSV, XLSX and JSON), so the file imports back; no spreadsheet cell can run."""

    FORMATS = ("xlsx", "csv", "json")

    def as_spreadsheet(self, queryset: QuerySet[Any], spreadsheet_format: str) -> HttpResponse:
        response = HttpResponse(
            export_queryset(queryset, spreadsheet_format),
            content_type=content_type(spreadsheet_format),
        )
        filename = f"{self.get_filename()}.{spreadsheet_format}"  # type: ignore[attr-defined]
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons: list[Button] = list(super().header_more_buttons)  # type: ignore[misc]
        if self.show_export_buttons:  # type: ignore[attr-defined]
            buttons.append(
                Button(
                    _("Download JSON"),
                    url=self.get_export_url("json"),  # type: ignore[attr-defined]
                    icon_name="download",
                    priority=92,
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
