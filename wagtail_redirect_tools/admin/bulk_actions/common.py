"""What the package's bulk actions share: "Select all in listing" acting on the listing
the editor saw, and one confirmation screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from wagtail.permissions import ModelPermissionPolicy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PackageBulkActionMixin:
    """For a ``BulkAction`` on one of the listings of the package.

    "Select all in listing": Wagtail sends the listing's query (search, filters) along
    with ``id=all``; the listing's own view (``get_listing_viewset``) reads it, so the
    action never reaches a row it did not show (Wagtail's default takes every row).
    The confirmation screen (``confirm.html``) asks ``question`` and confirms with
    ``confirm_label``; a user without any of ``permissions`` is refused before it names
    any row.
    """

    request: HttpRequest
    permission_policy: ModelPermissionPolicy
    #: The permissions that allow the action: any one of them.
    permissions: tuple[str, ...] = ("change",)
    #: Shown above the list of selected rows on the confirmation screen.
    question: StrOrPromise = ""
    #: Label of the confirmation button.
    confirm_label: StrOrPromise = ""
    header_icon = ""

    def get_listing_viewset(self) -> Any:
        raise NotImplementedError

    def may_act(self) -> bool:
        return bool(
            self.permission_policy.user_has_any_permission(self.request.user, self.permissions)
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.request = request
        if not self.may_act():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def check_perm(self, obj: Any) -> bool:
        return self.may_act()

    def get_all_objects_in_listing_query(self, parent_id: Any) -> Any:
        as_view = self.get_listing_viewset().index_view  # the listing's view, as served
        listing = as_view.view_class(**as_view.view_initkwargs)
        listing.setup(self.request)
        return listing.get_queryset().values_list("pk", flat=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(
            header_icon=self.header_icon,
            action=self,
            question=self.question,
            confirm_label=self.confirm_label,
        )
        return dict(context)
