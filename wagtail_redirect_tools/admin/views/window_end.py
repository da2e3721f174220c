""" "End now" for one window: a confirmation screen and its POST (thin: the bulk action's
``end_windows`` does the ending, the audit log and the purge)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ...editing.permissions import may_write_window, scheduled_redirect_policy, window_pages_refused
from ...models import ScheduledRedirect, WindowState
from ...scheduling import end_windows, when_visitors_see_the_end
from ...scheduling.translations import active_windows_of_translations, window_language
from .display import with_next
from .window_columns import real_start, zoned_datetime
from .window_rights import WindowPageRightsMixin


def end_window_url(window: ScheduledRedirect, next_url: str | None = None) -> str:
    """The "End now" screen of ``window``, coming back to ``next_url`` when done."""
    return with_next(reverse("wagtail_redirect_tools:end_window", args=[window.pk]), next_url)


def may_end(user: Any, window: ScheduledRedirect, *, page_editable: bool | None = None) -> bool:
    """Whether to offer "End now": the window is active and the user may change windows
    (and edit its page, for a page's window). ``page_editable``: that last answer, when
    the caller found it already (a listing finds it once for all its rows)."""
    if window.state != WindowState.ACTIVE:
        return False
    if not scheduled_redirect_policy.user_has_permission(user, "change"):
        return False
    if page_editable is None:
        page_editable = may_write_window(user, window.source_page_id)
    return page_editable


class EndWindowView(
    WindowPageRightsMixin,
    PermissionCheckedMixin,
    WagtailAdminTemplateMixin,
    BaseObjectMixin,
    TemplateView,
):
    model = ScheduledRedirect
    permission_policy = scheduled_redirect_policy
    permission_required = "change"
    template_name = "wagtail_redirect_tools/scheduled/end_now.html"
    page_title = gettext_lazy("End now")
    header_icon = "time"
    object: ScheduledRedirect

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.next_url = get_valid_next_url_from_request(request)

    def get_page_subtitle(self) -> str:
        return self.object.source_label

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            {"url": reverse("scheduled_redirects:index"), "label": _("Scheduled redirects")},
            {"url": self.edit_url, "label": self.object.source_label},
            {"url": "", "label": _("End now")},
        ]

    @property
    def edit_url(self) -> str:
        return str(reverse("scheduled_redirects:edit", args=[self.object.pk]))

    def get_success_url(self) -> str:
        return self.next_url or self.edit_url

    @cached_property
    def translation_windows(self) -> list[ScheduledRedirect]:
        """The active windows of the page's translations that this user may end: offered
        with a checkbox, ended only when it is ticked."""
        windows = active_windows_of_translations(self.object)
        refused = window_pages_refused(self.request.user, {w.source_page_id for w in windows})
        return [window for window in windows if window.source_page_id not in refused]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            translation_windows=[
                (window_language(window), window) for window in self.translation_windows
            ],
            window=self.object,
            is_active=self.object.state == WindowState.ACTIVE,
            visitors_see=when_visitors_see_the_end(),
            starts=zoned_datetime(real_start(self.object)),
            expires=zoned_datetime(self.object.expires_at),
            action_url=end_window_url(self.object, self.next_url),
            cancel_url=self.get_success_url(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        window = self.object
        others = self.translation_windows if request.POST.get("translations") else []
        ended = end_windows([window, *others], user=request.user)
        if window in ended and len(ended) > 1:
            messages.success(
                request,
                ngettext(
                    "The redirect from %(source)s and %(count)d of its translations ended: "
                    "visitors see them again.",
                    "The redirect from %(source)s and %(count)d of its translations ended: "
                    "visitors see them again.",
                    len(ended) - 1,
                )
                % {"source": window.source_label, "count": len(ended) - 1},
            )
        elif window in ended:
            messages.success(
                request,
                _("The redirect from %(source)s ended: visitors see it again.")
                % {"source": window.source_label},
            )
        else:
            messages.warning(
                request,
                _("The redirect from %(source)s was not active; nothing was changed.")
                % {"source": window.source_label},
            )
        return HttpResponseRedirect(self.get_success_url())
