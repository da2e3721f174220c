"""The Redirects form's live preview of a prefix or pattern: a GET with the form's values
answers the examples and the covered live pages as JSON, with the HTML the form itself
renders (``forms.pattern_preview``). It reads and writes nothing else, so a GET without a
CSRF token is safe; it needs the right to add or change redirects, as the form does."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views import View
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.models import Page, Site

from ... import rules
from ..forms.matching import MATCH_CHOICES, MATCH_EXACT
from ..forms.pattern_preview import preview


def _by_id(queryset: Any, value: str) -> Any:
    return queryset.filter(pk=value).first() if value.isdigit() else None


class PatternPreviewView(PermissionCheckedMixin, View):
    any_permission_required = ["add", "change"]
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> JsonResponse:
        values = request.GET
        match = values.get("match", MATCH_EXACT)
        if match not in dict(MATCH_CHOICES):
            match = MATCH_EXACT
        result = preview(
            match=match,
            path=values.get("old_path", "").strip(),
            link=values.get("redirect_link", "").strip(),
            carry=bool(values.get("carry")),
            page=_by_id(Page.objects.all(), values.get("redirect_page", "")),
            site=_by_id(Site.objects.select_related("root_page"), values.get("site", "")),
            gone=values.get("status_code") == str(rules.GONE),
        )
        return JsonResponse(result.as_json())
