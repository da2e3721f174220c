"""The "Redirect notifications" panel of a user's account settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from .. import conf
from ..models import UserNotificationPreferences


class NotificationPreferencesForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = UserNotificationPreferences
        fields = ["expiry_notices"]


class ExpiryNoticesSettingsPanel(BaseSettingsPanel):
    name = "redirect_notices"
    title = _("Redirect notifications")
    tab = notifications_tab
    order = 200
    form_class = NotificationPreferencesForm

    def is_active(self) -> bool:
        return conf.expiry_notice_days() > 0

    def get_form(self) -> NotificationPreferencesForm:
        instance = UserNotificationPreferences.objects.filter(user=self.user).first()
        if instance is None:
            instance = UserNotificationPreferences(user=self.user)
        kwargs: dict[str, Any] = {"instance": instance, "prefix": self.name}
        if self.request.method == "POST":
            return NotificationPreferencesForm(self.request.POST, **kwargs)
        return NotificationPreferencesForm(**kwargs)
