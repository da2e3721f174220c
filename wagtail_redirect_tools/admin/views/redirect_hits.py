"""How often a redirect was followed, where Wagtail's generic screens count references
("Used 0 times"): the edit screen's status side panel and the delete screen."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.ui.side_panels import StatusSidePanel
from wagtail.contrib.redirects.models import Redirect

from ...models import RedirectDetails
from .display import local_datetime

HITS_TEMPLATE = "wagtail_redirect_tools/side_panels/hits.html"


def hits_summary(redirect: Redirect) -> str:
    """ "Followed 12 times, last on …" or "Never followed" (hits written so far)."""
    try:
        details = redirect.details
    except RedirectDetails.DoesNotExist:
        details = None
    if details is None or not details.hits:
        return _("Never followed")
    summary = ngettext("Followed %(count)d time", "Followed %(count)d times", details.hits) % {
        "count": details.hits
    }
    if details.last_hit_at is not None:
        summary += ", " + _("last on %(when)s") % {"when": local_datetime(details.last_hit_at)}
    return summary


class RedirectStatusSidePanel(StatusSidePanel):
    """Wagtail's status panel with the redirect's hits, and its usage count called what it
    is: references to the redirect elsewhere, not visits."""

    def get_status_templates(self, context: Any) -> list[str]:
        return [*super().get_status_templates(context), HITS_TEMPLATE]

    def get_usage_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_usage_context()
        context["usage_url_text"] = ngettext(
            "Referenced %(count)d time", "Referenced %(count)d times", context["usage_count"]
        ) % {"count": context["usage_count"]}
        return context

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(parent_context)
        context["hits_summary"] = hits_summary(self.object)
        return context
