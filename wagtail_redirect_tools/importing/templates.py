"""The template file offered on the import screen: the columns and one row of each kind."""

from __future__ import annotations

import datetime

import tablib
from django.utils import timezone

from .exporting import content_type, render
from .resources import IMPORT_COLUMNS


def example_rows() -> list[tuple[str, ...]]:
    """One row of each kind; the scheduled one starts next week, so it imports as it is."""
    starts = timezone.localdate() + datetime.timedelta(days=7)
    expires = starts + datetime.timedelta(days=30)
    return [
        ("/old-about-us/", "/about/", "301", "", "", "", "Relaunch: moved page"),
        ("/team.html", "https://example.com/people/", "permanent", "", "", "", ""),
        ("/winter-sale/", "/offers/", "temporary", "", f"{starts}T09:00", f"{expires}", "Campaign"),
        ("/discontinued-product/", "", "410", "", "", "", "Gone for good"),
    ]


TEMPLATE_FORMATS = ("csv", "xlsx")


def template_file(file_format: str) -> tuple[bytes, str]:
    """The template in ``file_format`` and its content type; KeyError for another format."""
    if file_format not in TEMPLATE_FORMATS:
        raise KeyError(file_format)
    dataset = tablib.Dataset(*example_rows(), headers=list(IMPORT_COLUMNS))
    return render(dataset, file_format), content_type(file_format)
