"""Bulk actions on the "Scheduled redirects" listing: end now, extend expiry, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.bulk_action import BulkAction

from ...editing.permissions import scheduled_redirect_policy, window_pages_refused
from ...models import ScheduledRedirect
from ...scheduling import end_windows, extend_windows, when_visitors_see_the_end
from ..forms.redirects import ExtendExpiryForm
from ..viewsets import scheduled_redirect_viewset
from .common import PackageBulkActionMixin

TEMPLATES = "wagtail_redirect_tools/bulk_actions/"

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ScheduledRedirectBulkAction(PackageBulkActionMixin, BulkAction):
    models = [ScheduledRedirect]
    template_name = TEMPLATES + "confirm.html"
    permission_policy = scheduled_redirect_policy
    header_icon = "time"
    #: After the action: singular and plural, chosen by ``%(count)d``.
    success_message: StrOrPromise = ""

    def get_listing_viewset(self) -> Any:
        return scheduled_redirect_viewset

    def get_actionable_objects(self) -> tuple[list[ScheduledRedirect], dict[str, Any]]:
        """Wagtail's split by permission, then the windows on pages the user may not edit
        moved to "no permission" (one check for all of them)."""
        objects, no_access = super().get_actionable_objects()
        refused = window_pages_refused(self.request.user, [obj.source_page_id for obj in objects])
        if refused:
            no_access["items_with_no_access"] = [
                *no_access["items_with_no_access"],
                *(obj for obj in objects if obj.source_page_id in refused),
            ]
            objects = [obj for obj in objects if obj.source_page_id not in refused]
        return objects, no_access

    def object_context(self, obj: ScheduledRedirect) -> dict[str, Any]:
        return {"item": obj, "edit_url": AdminURLFinder(self.request.user).get_edit_url(obj)}

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return str(self.success_message % {"count": num_parent_objects})


class EndNowBulkAction(ScheduledRedirectBulkAction):
    display_name = _("End now")
    action_type = "end_now"
    aria_label = _("End the selected scheduled redirects now")
    action_priority = 10
    question = _(
        "End these redirects now? Only the active ones change; others are left as they are."
    )
    confirm_label = _("Yes, end now")
    success_message = ngettext_lazy(
        "%(count)d scheduled redirect ended.", "%(count)d scheduled redirects ended.", "count"
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["question"] = f"{self.question} {when_visitors_see_the_end()}"
        return context

    def get_execution_context(self) -> dict[str, Any]:
        return {"user": self.request.user}

    @classmethod
    def execute_action(
        cls, objects: list[ScheduledRedirect], user: Any = None, **kwargs: Any
    ) -> tuple[int, int]:
        return len(end_windows(objects, user=user)), 0


class ExtendExpiryBulkAction(ScheduledRedirectBulkAction):
    display_name = _("Extend expiry")
    action_type = "extend_expiry"
    aria_label = _("Change the expiry of the selected scheduled redirects")
    action_priority = 20
    form_class = ExtendExpiryForm
    question = _("Give these redirects a new expiry.")
    confirm_label = _("Change expiry")
    success_message = ngettext_lazy(
        "%(count)d scheduled redirect now has a new expiry.",
        "%(count)d scheduled redirects now have a new expiry.",
        "count",
    )

    def get_execution_context(self) -> dict[str, Any]:
        return {"expires_at": self.cleaned_form.cleaned_data["expires_at"]}

    @classmethod
    def execute_action(
        cls, objects: list[ScheduledRedirect], expires_at: Any = None, **kwargs: Any
    ) -> tuple[int, int]:
        return len(extend_windows(objects, expires_at)), 0

    def form_valid(self, form: ExtendExpiryForm) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError as error:  # all or nothing: the transaction rolled back
            form.add_error(None, error)
            return self.form_invalid(form)


class DeleteBulkAction(ScheduledRedirectBulkAction):
    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Delete the selected scheduled redirects")
    action_priority = 30
    classes = {"serious"}
    permissions = ("delete",)
    question = _("Delete these scheduled redirects? This cannot be undone.")
    confirm_label = _("Yes, delete")
    success_message = ngettext_lazy(
        "%(count)d scheduled redirect deleted.", "%(count)d scheduled redirects deleted.", "count"
    )

    @classmethod
    def execute_action(cls, objects: list[ScheduledRedirect], **kwargs: Any) -> tuple[int, int]:
        ScheduledRedirect.objects.filter(pk__in=[obj.pk for obj in objects]).delete()
        return len(objects), 0


BULK_ACTIONS = [EndNowBulkAction, ExtendExpiryBulkAction, DeleteBulkAction]
