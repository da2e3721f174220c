"""Paths in listings that wrap only between their segments (listing.css), never mid-word:
the Redirects listing's "From", the scheduled listing's source, the Not found report."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.ui.tables import Column

LISTING_CSS = "wagtail_redirect_tools/css/listing.css"
#: A listing's results with the table in a region that scrolls sideways (listing.css).
SCROLLING_RESULTS = "wagtail_redirect_tools/shared/scrolling_results.html"


def path_segments(path: str) -> list[str]:
    """``/catalogue/fishermans-jumper`` → ``/catalogue/``, ``fishermans-jumper``: the
    pieces a path may wrap between."""
    parts = path.split("/")
    pieces = [part + "/" for part in parts[:-1]] + [parts[-1]]
    if len(pieces) > 1 and pieces[0] == "/":
        pieces[1] = "/" + pieces[1]
        del pieces[0]
    return [piece for piece in pieces if piece]


def wrappable(path: str) -> SafeString:
    """``path`` as segments that wrap only after a slash, left to right even in a
    right-to-left admin (where inline segments would otherwise line up backwards)."""
    segments = format_html_join(
        mark_safe("<wbr>"),
        '<span class="wrt-path__segment">{}</span>',
        ((piece,) for piece in path_segments(path)),
    )
    return format_html('<span dir="ltr">{}</span>', segments)


class WrappedPathColumn(Column):
    """A plain column of paths, wrapped between segments."""

    class Media:
        css = {"all": [LISTING_CSS]}

    def get_value(self, instance: Any) -> SafeString:
        return wrappable(str(super().get_value(instance)))
