"""The template file offered on the import screen: the columns and one row of each kind."""

from __future__ import annotations

import tablib

from .exporting import content_type, render
from .resources import IMPORT_COLUMNS

EXAMPLE_ROWS = (
    ("/old-about-us/", "/about/", "301", "", "", "", "Relaunch: moved page"),
    ("/team.html", "https://example.com/people/", "permanent", "", "", "", ""),
    ("/winter-sale/", "/offers/", "temporary", "", "2026-12-01T00:00", "2027-01-06", "Campaign"),
    ("/discontinued-product/", "", "410", "", "", "", "Gone for good"),
)
TEMPLATE_FORMATS = ("csv", "xlsx")


def template_file(file_format: str) -> tuple[bytes, str]:
    """The template in ``file_format`` and its content type; KeyError for another format."""
    if file_format not in TEMPLATE_FORMATS:
        raise KeyError(file_format)
    dataset = tablib.Dataset(*EXAMPLE_ROWS, headers=list(IMPORT_COLUMNS))
    return render(dataset, file_format), content_type(file_format)
