""" "Select all in listing" for the package's bulk actions: the rows of the listing the
editor was looking at, not every row of the model (Wagtail's default)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ListingSelectionMixin:
    """For a ``BulkAction`` whose objects are listed by ``listing_viewset``'s index view.

    Wagtail sends the listing's query (search, filters) along with ``id=all``; the
    listing's own view reads it, so the action never reaches a row it did not show.
    """

    request: HttpRequest

    def get_listing_viewset(self) -> Any:
        raise NotImplementedError

    def get_all_objects_in_listing_query(self, parent_id: Any) -> Any:
        as_view = self.get_listing_viewset().index_view  # the listing's view, as served
        listing = as_view.view_class(**as_view.view_initkwargs)
        listing.setup(self.request)
        return listing.get_queryset().values_list("pk", flat=True)
