"""Wagtail 8's v3 API: ``/redirect-tools/find/`` and ``/redirect-tools/resolve/``, added to
Wagtail's v3 ``api`` by the app beside Wagtail's own ``/redirects/`` endpoints, which stay
core's. Both answer as v2's ``resolve/``; ``find/`` only about redirects (a page is a 404).
Public reads, like Wagtail's redirect reads; nothing here writes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Router
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.contrib.redirects.models import Redirect

from ..models import ScheduledRedirect
from ..resolution import patch_temporary_cache_control
from .answers import describe, resolve_for_api
from .visibility import shown_by_v3

router = Router(tags=["redirect tools"], auth=[BearerTokenAuth(), AllowAnonymous()])


def _json(data: dict[str, Any], answer: Any = None, status: int = 200) -> HttpResponse:
    response = JsonResponse(data, status=status)
    if answer is not None and answer.valid_until is not None:
        patch_temporary_cache_control(response, answer.valid_until)
    return response


@router.get("/find/", url_name="redirect_tools_find", operation_id="redirect_tools_find")
def find(request: HttpRequest, html_path: str, site: str | None = None) -> HttpResponse:
    """The window, redirect or gone a visitor asking for ``html_path`` gets, or 404."""
    answer = resolve_for_api(request, html_path, site)
    if not answer.answers:
        return _json({"message": "not found"}, status=404)
    model = ScheduledRedirect if answer.kind == "window" else Redirect
    detail_url = None
    if model is Redirect:
        detail_url = reverse(
            "wagtailapi_v3:detail_redirect", kwargs={"redirect_id": answer.source_id}
        )
    data = {
        "id": answer.source_id,
        "meta": {"type": model._meta.label, "detail_url": detail_url},
        "old_path": html_path,
        **describe(answer),
    }
    return _json(data, answer)


@router.get("/resolve/", url_name="redirect_tools_resolve", operation_id="redirect_tools_resolve")
def resolve_path(request: HttpRequest, html_path: str, site: str | None = None) -> HttpResponse:
    """ "page", "window", "redirect" or "gone" for ``html_path``, in one call, or 404 (also
    for a page Wagtail's v3 pages API does not show this caller)."""
    answer = resolve_for_api(request, html_path, site)
    if answer.page is not None and shown_by_v3(request, answer.page):
        page = answer.page
        detail = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
        return _json(
            {
                "kind": "page",
                "page": {"id": page.pk, "url": page.get_full_url(request), "detail_url": detail},
            }
        )
    if not answer.answers:
        return _json({"kind": "none", "message": "not found"}, status=404)
    return _json({**describe(answer), "id": answer.source_id}, answer)


def register() -> None:
    """Add the endpoints to Wagtail's v3 API (AppConfig.ready; before its URLs are built)."""
    from wagtail.api.v3.api import api

    api.add_router("/redirect-tools/", router)
