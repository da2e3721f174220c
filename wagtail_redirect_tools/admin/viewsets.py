"""The admin areas under Settings: "Redirects" (core's redirects with our details, in
place of core's menu item) and "Scheduled redirects"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.redirects.models import Redirect

from ..models import ScheduledRedirect
from .forms.redirects import RedirectForm, ScheduledRedirectForm
from .views import redirects, scheduled
from .views.pattern_preview import PatternPreviewView


class ScheduledRedirectViewSet(ModelViewSet):
    model = ScheduledRedirect
    name = "scheduled_redirects"
    url_prefix = "scheduled-redirects"
    icon = "time"
    menu_label = _("Scheduled redirects")
    add_to_settings_menu = True
    menu_order = 801  # right after core's "Redirects" (800)
    index_view_class = scheduled.IndexView
    add_view_class = scheduled.CreateView
    edit_view_class = scheduled.EditView
    delete_view_class = scheduled.DeleteView
    filterset_class = scheduled.ScheduledRedirectFilterSet
    search_fields = ["old_path", "redirect_link", "reason", "source_page__title"]
    export_filename = "scheduled-redirects"
    copy_view_enabled = False
    inspect_view_enabled = False

    @property
    def list_display(self) -> list[Any]:
        return scheduled.list_columns()

    def get_permissions_to_register(self) -> Any:
        # All four, "view" included (core's inspect view, which would add it, is off).
        content_type = ContentType.objects.get_for_model(self.model)
        return Permission.objects.filter(content_type=content_type)

    def get_form_class(self, for_update: bool = False) -> type[ScheduledRedirectForm]:
        return ScheduledRedirectForm


scheduled_redirect_viewset = ScheduledRedirectViewSet()


class RedirectViewSet(ModelViewSet):
    """Core's redirects, permissions and all; core's own screens stay where they were."""

    model = Redirect
    name = "redirect_tools_redirects"
    url_prefix = "redirect-tools/redirects"
    icon = "redirect"
    menu_label = _("Redirects")
    menu_name = "redirects"
    add_to_settings_menu = True
    menu_order = 800  # where core's "Redirects" item was
    index_view_class = redirects.IndexView
    add_view_class = redirects.CreateView
    edit_view_class = redirects.EditView
    delete_view_class = redirects.DeleteView
    filterset_class = redirects.RedirectFilterSet
    search_fields = ["old_path", "redirect_link", "redirect_page__title"]
    export_filename = "redirects"
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update: bool = False) -> type[RedirectForm]:
        return RedirectForm

    def get_urlpatterns(self) -> list[Any]:
        preview = PatternPreviewView.as_view(permission_policy=self.permission_policy)
        return [
            *super().get_urlpatterns(),
            path("pattern-preview/", preview, name="pattern_preview"),
        ]

    def get_permissions_to_register(self) -> Any:
        return Permission.objects.none()  # core registers its own

    def register_admin_url_finder(self) -> None:
        # Links to a redirect from elsewhere in the admin keep going to core's edit view
        # (core's own tests rely on it).
        return None


redirect_viewset = RedirectViewSet()
