"""Bulk actions on the "Redirects" listing (core's redirects): delete, change status
code, export selected. Each is refused, before it names any redirect, to a user without
its permission on redirects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.contrib.redirects.models import Redirect

from ... import rules
from ...editing.page_titles import page_title, with_locale
from ...editing.permissions import redirect_policy
from ...editing.status_changes import change_status_codes, delete_redirects
from ...importing.exporting import content_type, export_queryset
from ..viewsets import redirect_viewset
from .common import PackageBulkActionMixin

TEMPLATE = "wagtail_redirect_tools/bulk_actions/confirm_redirects.html"
# Anyone who may open the listing may download it (Wagtail's own listing export too).
LISTING_ACTIONS = ("add", "change", "delete")


class RedirectBulkAction(PackageBulkActionMixin, BulkAction):
    models = [Redirect]
    template_name = TEMPLATE
    permission_policy = redirect_policy
    header_icon = "redirect"

    @classmethod
    def get_queryset(cls, model: Any, object_ids: Any) -> Any:
        queryset = Redirect.objects.filter(pk__in=object_ids)
        relations = ("site", "details", *with_locale("redirect_page"))
        return queryset.select_related(*relations).order_by("old_path", "pk")

    def get_listing_viewset(self) -> Any:
        return redirect_viewset

    def object_context(self, obj: Redirect) -> dict[str, Any]:
        return {
            "item": obj,
            "target": page_title(obj.redirect_page) if obj.redirect_page_id else "",
            "edit_url": reverse("redirect_tools_redirects:edit", args=[obj.pk]),
        }


class DeleteRedirectsBulkAction(RedirectBulkAction):
    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Delete the selected redirects")
    action_priority = 30
    classes = {"serious"}
    permissions = ("delete",)
    question = _("Delete these redirects? Their old URLs will answer 404 Not Found.")
    confirm_label = _("Yes, delete")

    def get_execution_context(self) -> dict[str, Any]:
        return {"user": self.request.user}

    @classmethod
    def execute_action(
        cls, objects: list[Redirect], user: Any = None, **kwargs: Any
    ) -> tuple[int, int]:
        return delete_redirects(objects, user=user), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d redirect deleted.", "%(count)d redirects deleted.", num_parent_objects
        ) % {"count": num_parent_objects}


class ChangeStatusForm(forms.Form):
    status_code = forms.TypedChoiceField(
        label=_("New status"),
        choices=sorted(rules.REDIRECT_STATUS_CHOICES),
        coerce=int,
        help_text=_(
            "301 or 308 for a page that has moved for good, 302 or 307 for a while; "
            "410 Gone removes the target."
        ),
    )


class ChangeStatusBulkAction(RedirectBulkAction):
    display_name = _("Change status")
    action_type = "change_status"
    aria_label = _("Change the status code of the selected redirects")
    action_priority = 10
    form_class = ChangeStatusForm
    question = _("Give these redirects a new status code.")
    confirm_label = _("Change status")

    def form_valid(self, form: ChangeStatusForm) -> HttpResponse:
        # Wagtail's form_valid runs execute_action inside its transaction; what it
        # changed is reported here, with the redirects that were left alone.
        self.status_code = form.cleaned_data["status_code"]
        return super().form_valid(form)

    def execute_action(self, objects: list[Redirect], **kwargs: Any) -> tuple[int, int]:
        self.change = change_status_codes(objects, self.status_code, user=self.request.user)
        return len(self.change.changed), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        left = self.change.without_target
        if left:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d redirect has no target, so it stays 410 Gone: %(paths)s",
                    "%(count)d redirects have no target, so they stay 410 Gone: %(paths)s",
                    len(left),
                )
                % {"count": len(left), "paths": ", ".join(r.old_path for r in left[:10])},
            )
        return ngettext(
            "%(count)d redirect now answers with %(code)d.",
            "%(count)d redirects now answer with %(code)d.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "code": self.status_code}


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX")],
        initial="csv",
        widget=forms.RadioSelect,
        help_text=_("The import's own columns: the file imports back as it is."),
    )


class ExportSelectedBulkAction(RedirectBulkAction):
    display_name = _("Export selected")
    action_type = "export_selected"
    aria_label = _("Download the selected redirects as a spreadsheet")
    action_priority = 20
    permissions = LISTING_ACTIONS
    form_class = ExportForm
    question = _("Download these redirects as a spreadsheet.")
    confirm_label = _("Download")
    filename = "redirects"

    def form_valid(self, form: ExportForm) -> HttpResponse:
        file_format = form.cleaned_data["format"]
        objects, _without_access = self.get_actionable_objects()
        queryset = Redirect.objects.filter(pk__in=[obj.pk for obj in objects]).order_by(
            "old_path", "pk"
        )
        response = HttpResponse(
            export_queryset(queryset, file_format, excel=True),
            content_type=content_type(file_format),
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.filename}.{file_format}"
        )
        return response


BULK_ACTIONS = [ChangeStatusBulkAction, ExportSelectedBulkAction, DeleteRedirectsBulkAction]
