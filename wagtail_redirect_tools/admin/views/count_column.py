"""A column of counts (hits), whose header's first click sorts the most first."""

from __future__ import annotations

from wagtail.admin.ui.tables import Column


class CountColumn(Column):
    """Sortable like any column, except that a first click asks for the most first:
    the busiest redirects and paths are those an editor looks for."""

    header_template_name = "wagtail_redirect_tools/tables/count_header.html"
