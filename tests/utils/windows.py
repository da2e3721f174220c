"""Helpers for tests of the Scheduled redirects admin."""

from __future__ import annotations

from django.urls import reverse

from wagtail_redirect_tools.models import ScheduledRedirect

#: The Scheduled redirects listing.
INDEX = "/admin/scheduled-redirects/"


def bulk_url(action: str, *windows: ScheduledRedirect) -> str:
    """The URL of a bulk action on ``windows``, coming back to the listing."""
    url = reverse(
        "wagtail_bulk_action", args=["wagtail_redirect_tools", "scheduledredirect", action]
    )
    return url + "?" + "&".join(f"id={window.pk}" for window in windows) + f"&next={INDEX}"
