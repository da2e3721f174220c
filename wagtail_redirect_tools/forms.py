"""Admin forms. Validation is the model's (``ScheduledRedirect.clean``); forms only lay it out."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import formfield_for_dbfield
from wagtail.admin.widgets import AdminDateTimeInput

from .models import ScheduledRedirect

TARGET_FIELDS = ["redirect_page", "redirect_page_route_path", "redirect_link"]
WINDOW_FIELDS = ["status_code", "starts_at", "expires_at", "reason"]


class ScheduledRedirectForm(WagtailAdminModelForm):
    """Create or edit any window: a path (on a site or all sites) or a page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].empty_label = _("All sites")

    class Meta:
        model = ScheduledRedirect
        fields = ["old_path", "site", "source_page", *TARGET_FIELDS, *WINDOW_FIELDS]
        # Wagtail's widgets: page choosers, date-time pickers.
        formfield_callback = formfield_for_dbfield


class PageWindowForm(WagtailAdminModelForm):
    """Redirect one page temporarily; the page is the form's instance's ``source_page``."""

    class Meta:
        model = ScheduledRedirect
        fields = [*TARGET_FIELDS, *WINDOW_FIELDS]
        formfield_callback = formfield_for_dbfield


class ExtendExpiryForm(forms.Form):
    expires_at = forms.DateTimeField(
        label=_("New expiry"),
        widget=AdminDateTimeInput,
        help_text=_("Every selected redirect will end at this moment."),
    )

    def clean_expires_at(self) -> datetime.datetime:
        value: datetime.datetime = self.cleaned_data["expires_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The new expiry must be in the future."))
        return value
