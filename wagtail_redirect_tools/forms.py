"""Admin forms. Validation is the models' (``ScheduledRedirect.clean``, core's
``Redirect.clean``); forms only lay it out."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import formfield_for_dbfield
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.contrib.redirects.forms import RedirectForm as CoreRedirectForm
from wagtail.models import Site

from . import rules
from .importing.errors import ImportFileError
from .importing.planning import ImportOptions, OnExisting
from .importing.reading import ENCODING_CHOICES, FORMAT_CHOICES, check_file_size
from .models import RedirectDetails, ScheduledRedirect
from .rules import REDIRECT_STATUS_CHOICES, validate_redirect_link
from .scheduling import save_window

TARGET_FIELDS = ["redirect_page", "redirect_page_route_path", "redirect_link"]
WINDOW_FIELDS = ["status_code", "starts_at", "expires_at", "reason"]


class WindowForm(WagtailAdminModelForm):
    """Saves through ``save_window``, which validates again under the windows lock."""

    def save(self, commit: bool = True) -> ScheduledRedirect:
        if not commit:
            return super().save(commit=False)
        return save_window(self.instance, user=getattr(self, "for_user", None))

    def add_save_error(self, error: ValidationError) -> None:
        """Show a refusal of ``save_window`` (another editor's overlapping window) on the form."""
        for field, errors in error.update_error_dict({}).items():
            self.add_error(field if field in self.fields else None, errors)


class ScheduledRedirectForm(WindowForm):
    """Create or edit any window: a path (on a site or all sites) or a page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].empty_label = _("All sites")

    class Meta:
        model = ScheduledRedirect
        fields = ["old_path", "site", "source_page", *TARGET_FIELDS, *WINDOW_FIELDS]
        # Wagtail's widgets: page choosers, date-time pickers.
        formfield_callback = formfield_for_dbfield


class PageWindowForm(WindowForm):
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


class RedirectForm(CoreRedirectForm):
    """Core's redirect form with the exact status code (301/302/307/308, or 410 Gone)
    instead of the "permanent" tick, and a target that may be a path on this site."""

    status_code = forms.TypedChoiceField(
        label=_("Status"), choices=REDIRECT_STATUS_CHOICES, coerce=int, initial=301
    )
    redirect_link = forms.CharField(
        label=_("Redirect to any URL"),
        required=False,
        max_length=255,
        validators=[validate_redirect_link],
        help_text=_("A path such as /offers/ or a full URL such as https://example.com/."),
    )

    def __init__(self, *args: Any, origin: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origin = origin
        if self.instance.pk:
            self.initial["status_code"] = RedirectDetails.effective_status_code(self.instance)

    class Meta(CoreRedirectForm.Meta):
        fields = ("old_path", "site", "status_code", "redirect_page", "redirect_link")

    def clean_old_path(self) -> Any:
        old_path = self.cleaned_data["old_path"]
        if old_path and rules.has_unsafe_characters(old_path):
            raise rules.unsafe_characters_error()
        return old_path

    def _get_validation_exclusions(self) -> Any:
        # Core's model field only takes absolute URLs; the form field above decides.
        return {*super()._get_validation_exclusions(), "redirect_link"}

    def clean(self) -> Any:
        cleaned_data = super().clean() or self.cleaned_data
        has_target = bool(cleaned_data.get("redirect_page") or cleaned_data.get("redirect_link"))
        if cleaned_data.get("status_code") == 410:
            if has_target:
                self.add_error("status_code", rules.gone_with_target_error())
        elif not has_target and not self.errors:
            self.add_error("redirect_link", rules.missing_target_error())
        code = cleaned_data.get("status_code")
        self.instance.is_permanent = code is not None and rules.is_permanent_for_core(code)
        return cleaned_data

    def save(self, commit: bool = True) -> Any:
        redirect = super().save(commit=commit)
        if commit:
            RedirectDetails.record(
                redirect,
                status_code=self.cleaned_data["status_code"],
                origin=self.origin,
                user=self.for_user,
            )
        return redirect


class ImportUploadForm(forms.Form):
    """The file and the choices that apply to all its rows."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV, TSV, Excel (.xlsx) or JSON, with a first row naming the columns."),
    )
    site = forms.ModelChoiceField(
        label=_("Site for rows without one"),
        queryset=Site.objects.order_by("hostname", "port"),
        required=False,
        empty_label=_("All sites"),
    )
    default_type = forms.TypedChoiceField(
        label=_("Type for rows without one"),
        choices=REDIRECT_STATUS_CHOICES,
        coerce=int,
        initial=301,
        help_text=_("Rows with an expiry are temporary (302) unless they say 307."),
    )
    on_existing = forms.ChoiceField(
        label=_("When a row's 'from' already has a redirect"),
        choices=OnExisting.choices,
        initial=OnExisting.UPDATE,
        widget=forms.RadioSelect,
    )
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only"),
        required=False,
        help_text=_("Otherwise one row with an error stops the whole import."),
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="auto")
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, initial="auto")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_file_size(upload.size)  # before the file is read into memory
        except ImportFileError as error:
            raise forms.ValidationError(str(error), code="too_large") from error
        return upload

    def import_options(self) -> ImportOptions:
        data = self.cleaned_data
        return ImportOptions(
            site_id=data["site"].pk if data["site"] else None,
            default_type=data["default_type"],
            on_existing=data["on_existing"],
            valid_only=data["valid_only"],
            file_format=data["file_format"],
            encoding=data["encoding"],
        )
