"""Wagtail's v2 redirects endpoint, answering through ``resolve()``.

In the site's API router, in place of core's::

    api_router.register_endpoint("redirects", RedirectsAPIViewSet)

``find/?html_path=/x/&site=host`` answers what a visitor asking for ``/x/`` on that site
gets now: a window (even over a live page), a redirect with its exact status code, or a
410, with ``kind``, ``status_code``, ``location`` and ``valid_until``. ``find/?id=N`` is
core's. ``resolve/?html_path=/x/&site=host`` answers "page", "redirect", "window" or
"gone" in one call, or 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.api.v2.utils import get_object_detail_url
from wagtail.contrib.redirects.api import RedirectsAPIViewSet as CoreRedirectsAPIViewSet
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from ..models import ScheduledRedirect
from ..resolution import patch_temporary_cache_control
from .answers import describe, resolve_for_api

ANSWER_PARAMETERS = frozenset(["html_path", "site"])


class RedirectsAPIViewSet(CoreRedirectsAPIViewSet):
    known_query_parameters = CoreRedirectsAPIViewSet.known_query_parameters | ANSWER_PARAMETERS
    find_query_parameters = CoreRedirectsAPIViewSet.find_query_parameters | ANSWER_PARAMETERS

    def find_view(self, request: Request) -> Any:
        if "html_path" not in request.GET:
            return super().find_view(request)
        answer = resolve_for_api(request, request.GET["html_path"], request.GET.get("site"))
        if not answer.answers:
            raise Http404("not found")
        model = ScheduledRedirect if answer.kind == "window" else Redirect
        detail_url = None
        if model is Redirect:
            detail_url = get_object_detail_url(
                request.wagtailapi_router, request, Redirect, answer.source_id
            )
        data = {
            "id": answer.source_id,
            "meta": {"type": model._meta.label, "detail_url": detail_url},
            "old_path": request.GET["html_path"],
            **describe(answer),
        }
        return self.cached(Response(data), answer)

    def resolve_view(self, request: Request) -> Any:
        html_path = request.GET.get("html_path")
        if not html_path:
            return Response({"message": "html_path is required"}, status=400)
        answer = resolve_for_api(request, html_path, request.GET.get("site"))
        if answer.page is not None:
            page: Page = answer.page
            data = {
                "kind": "page",
                "page": {
                    "id": page.pk,
                    "url": page.get_full_url(request),
                    "detail_url": get_object_detail_url(
                        request.wagtailapi_router, request, Page, page.pk
                    ),
                },
            }
            return Response(data)
        if not answer.answers:
            return Response({"kind": "none", "message": "not found"}, status=404)
        return self.cached(Response({**describe(answer), "id": answer.source_id}), answer)

    @staticmethod
    def cached(response: Response, answer: Any) -> Response:
        if answer.valid_until is not None:
            patch_temporary_cache_control(response, answer.valid_until)
        return response

    @classmethod
    def get_urlpatterns(cls) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("resolve/", cls.as_view({"get": "resolve_view"}), name="resolve"),
        ]
