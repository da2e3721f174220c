"""Export redirects and windows with the import's own columns, so a file imports back.

The columns are the import's (``importing.resources``), and beside them, for people, the
title and URL of each page a row points at or comes from (the import reads past those).
Every cell a spreadsheet would run as a formula gets a leading quote; the import drops
that quote again, so an export imports back unchanged. In XLSX, a control character the
format cannot hold (stored by an older version) is written percent-encoded. CSV and TSV
for a spreadsheet (``excel=True``) start with a UTF-8 byte-order mark, without which Excel
reads the file in the computer's own code page and shows ``/café`` as ``/cafÃ©``.
"""

from __future__ import annotations

import codecs
from typing import Any

import tablib
from django.db.models import QuerySet
from import_export.formats import base_formats

from ..models import GONE_REDIRECTS, ScheduledRedirect
from .resources import (
    RedirectColumns,
    RedirectResource,
    ScheduledRedirectResource,
    spreadsheet_safe,
    xlsx_safe,
)

FORMATS: dict[str, type[base_formats.Format]] = {
    "csv": base_formats.CSV,
    "tsv": base_formats.TSV,
    "xlsx": base_formats.XLSX,
    "json": base_formats.JSON,
}
SPREADSHEET_FORMATS = ("csv", "tsv", "xlsx")
# Text formats that a byte-order mark tells Excel to read as UTF-8.
BOM_FORMATS = ("csv", "tsv")
# "all": every redirect and every window; "redirects": every redirect, no windows.
KINDS = ("all", "redirects", "permanent", "temporary", "gone", "scheduled")


def export_dataset(
    queryset: QuerySet[Any], resource: RedirectColumns, file_format: str
) -> tablib.Dataset:
    dataset = resource.export(queryset)
    if file_format in SPREADSHEET_FORMATS:
        cell = xlsx_safe if file_format == "xlsx" else spreadsheet_safe
        safe = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            safe.append([cell(value) for value in row])
        return safe
    return dataset


def render(dataset: tablib.Dataset, file_format: str, *, excel: bool = False) -> bytes:
    data = FORMATS[file_format]().export_data(dataset)
    content = data if isinstance(data, bytes) else data.encode("utf-8")
    if excel and file_format in BOM_FORMATS:
        return codecs.BOM_UTF8 + content
    return content


def content_type(file_format: str) -> str:
    """The file's media type; text formats say they are UTF-8."""
    media_type = str(FORMATS[file_format]().get_content_type())
    return media_type if file_format == "xlsx" else f"{media_type}; charset=utf-8"


def export_queryset(queryset: QuerySet[Any], file_format: str, *, excel: bool = False) -> bytes:
    """``queryset`` (of redirects or of windows) as a file in ``file_format``; with
    ``excel``, CSV and TSV start with a byte-order mark."""
    resource: RedirectColumns = (
        ScheduledRedirectResource() if queryset.model is ScheduledRedirect else RedirectResource()
    )
    dataset = export_dataset(resource.export_queryset(queryset), resource, file_format)
    return render(dataset, file_format, excel=excel)


def export_kind(kind: str, file_format: str, *, excel: bool = False) -> bytes:
    """Every redirect of ``kind`` (see ``KINDS``): one file, windows after redirects."""
    datasets = []
    if kind != "scheduled":
        redirects = RedirectResource().get_queryset()
        if kind == "permanent":
            redirects = redirects.filter(is_permanent=True).exclude(GONE_REDIRECTS)
        elif kind == "temporary":
            redirects = redirects.filter(is_permanent=False).exclude(GONE_REDIRECTS)
        elif kind == "gone":
            redirects = redirects.filter(GONE_REDIRECTS)
        datasets.append(export_dataset(redirects, RedirectResource(), file_format))
    if kind in ("all", "scheduled"):
        windows = ScheduledRedirectResource().get_queryset()
        datasets.append(export_dataset(windows, ScheduledRedirectResource(), file_format))
    combined = datasets[0]
    for dataset in datasets[1:]:
        for row in dataset:
            combined.append(row)
    return render(combined, file_format, excel=excel)


__all__ = ["FORMATS", "KINDS", "export_kind", "export_queryset"]
