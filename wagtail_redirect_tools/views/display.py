"""How the admin shows things: one format for dates, one way to carry ``next=``, and
spreadsheet cells that cannot run."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.utils.formats import date_format
from django.utils.timezone import localtime


def local_datetime(value: datetime.datetime) -> str:
    """``value`` in the editor's time zone, in the site's date-time format."""
    return date_format(localtime(value), "DATETIME_FORMAT")


def with_next(url: str, next_url: str | None) -> str:
    """``url`` that comes back to ``next_url`` when done (if there is one)."""
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """For a Wagtail index view with ``list_export``: no exported cell can run."""

    def to_row_dict(self, item: object) -> dict[str, object]:
        row = super().to_row_dict(item)  # type: ignore[misc]
        return {field: spreadsheet_safe(value) for field, value in row.items()}
