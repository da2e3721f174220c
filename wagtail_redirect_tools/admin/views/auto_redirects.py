"""Undo the redirects that one page move created (confirm, then delete exactly those)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.models import PageLogEntry

from ...autoredirects import ACTION_CREATED, created_by_move, undo_move_redirects
from ...editing.permissions import redirect_policy


class UndoMoveRedirectsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_redirect_tools/auto_redirects/undo.html"
    permission_policy = redirect_policy
    permission_required = "delete"
    page_title = gettext_lazy("Undo redirects")
    header_icon = "redirect"
    breadcrumbs_items: list[dict[str, Any]] = []  # a page's confirmation: a plain header

    @cached_property
    def entry(self) -> PageLogEntry:
        return get_object_or_404(
            PageLogEntry.objects.select_related("page"),
            pk=self.kwargs["entry_id"],
            action=ACTION_CREATED,
        )

    def get_page_subtitle(self) -> str:
        return str(self.entry.page.get_admin_display_title())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            entry=self.entry,
            page=self.entry.page,
            count=created_by_move(self.entry).count(),
            next=get_valid_next_url_from_request(self.request),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        undone = undo_move_redirects(self.entry, user=request.user)
        text = ngettext(
            "%(count)d redirect created by the move was removed.",
            "%(count)d redirects created by the move were removed.",
            undone.deleted,
        ) % {"count": undone.deleted}
        if undone.restored:
            text += " " + ngettext(
                "%(count)d redirect it had replaced was put back.",
                "%(count)d redirects it had replaced were put back.",
                undone.restored,
            ) % {"count": undone.restored}
        messages.success(request, text)
        next_url = get_valid_next_url_from_request(request)
        return HttpResponseRedirect(
            next_url or reverse("wagtailadmin_explore", args=[self.entry.page.get_parent().pk])
        )
