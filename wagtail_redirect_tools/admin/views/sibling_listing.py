"""The Redirects and Scheduled redirects listings link to each other in their headers,
carrying the search and the site filter across, so an editor looking for a path sees both
kinds of redirect for it in two clicks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.utils import set_query_params
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import ModelPermissionPolicy

#: The listing's parameters that mean the same on both listings.
SHARED_PARAMETERS = ("q", "site")
LISTING_ACTIONS = ("add", "change", "delete", "view")


class SiblingListingMixin:
    """For an ``IndexView``: a header button to the other listing (when the user may open it)."""

    request: HttpRequest
    sibling_label: Any = ""
    sibling_url_name = ""
    sibling_icon = ""

    def get_sibling_policy(self) -> ModelPermissionPolicy:
        raise NotImplementedError

    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons = list(super().header_buttons)  # type: ignore[misc]
        if self.get_sibling_policy().user_has_any_permission(self.request.user, LISTING_ACTIONS):
            shared = {
                name: self.request.GET[name]
                for name in SHARED_PARAMETERS
                if self.request.GET.get(name)
            }
            url = set_query_params(reverse(self.sibling_url_name), shared)
            buttons.append(
                HeaderButton(
                    self.sibling_label,
                    url=url,
                    icon_name=self.sibling_icon,
                    classname="wrt-sibling-button",  # listing.css: wraps on a phone
                )
            )
        return buttons
