"""Undo the redirects that one page move created (confirm, then delete exactly those)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import PageLogEntry

from ..autoredirects import ACTION_CREATED, created_by_move, undo_move_redirects
from ..permissions import redirect_policy


class UndoMoveRedirectsView(View):
    template_name = "wagtail_redirect_tools/auto_redirects/undo.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not redirect_policy.user_has_permission(request.user, "delete"):
            raise PermissionDenied
        self.entry = get_object_or_404(
            PageLogEntry.objects.select_related("page"),
            pk=kwargs["entry_id"],
            action=ACTION_CREATED,
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return TemplateResponse(
            request,
            self.template_name,
            {
                "entry": self.entry,
                "page": self.entry.page,
                "count": created_by_move(self.entry).count(),
                "next": get_valid_next_url_from_request(request),
            },
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        deleted = undo_move_redirects(self.entry, user=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d redirect created by the move was removed.",
                "%(count)d redirects created by the move were removed.",
                deleted,
            )
            % {"count": deleted},
        )
        next_url = get_valid_next_url_from_request(request)
        return HttpResponseRedirect(
            next_url or reverse("wagtailadmin_explore", args=[self.entry.page.get_parent().pk])
        )
