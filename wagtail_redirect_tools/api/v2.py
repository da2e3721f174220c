"""Wagtail's v2 redirects endpoint: core's, with ``resolve/`` beside it.

In the site's API router, in place of core's::

    api_router.register_endpoint("redirects", RedirectsAPIViewSet)

Everything core's endpoint answers is answered as core does, by core's code: the listing,
the detail, ``find/?id=N`` and ``find/?html_path=/x/`` (a 302 to the detail URL of the
redirect core's own lookup finds, or 404; windows are not core redirects). ``find/`` reads
one parameter more, which core's ignores: ``site=host`` looks the path up on that site
instead of the request's. ``resolve/?html_path=/x/&site=host`` answers what a visitor
asking for ``/x/`` on that site gets now, through ``resolve()``: "page", "window",
"redirect" or "gone", with the exact status code and where to go, or 404. A page is
named only to a caller Wagtail's pages API shows it to (:mod:`.visibility`); to anyone
else a view-restricted page is a 404, as in ``pages/find/``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.api.v2.utils import get_object_detail_url
from wagtail.contrib.redirects.api import RedirectsAPIViewSet as CoreRedirectsAPIViewSet
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from ..models import ScheduledRedirect
from ..resolution import patch_temporary_cache_control
from ..resolution.resolver import request_for
from .answers import describe, resolve_for_api, site_for
from .visibility import shown_by_v2


class RedirectsAPIViewSet(CoreRedirectsAPIViewSet):
    def find_object(self, queryset: QuerySet[Redirect], request: Request) -> Any:
        """Core's lookup; with ``site``, core's lookup on that site."""
        if "html_path" not in request.GET or not request.GET.get("site"):
            return super().find_object(queryset, request)
        site = site_for(request, request.GET["site"])
        if site is None:
            raise Http404
        redirect = get_redirect(request_for(site, "/"), request.GET["html_path"])
        if redirect is None:
            raise Http404  # as core's: no message
        return redirect

    def resolve_view(self, request: Request) -> Any:
        html_path = request.GET.get("html_path")
        if not html_path:
            return Response({"message": "html_path is required"}, status=400)
        answer = resolve_for_api(request, html_path, request.GET.get("site"))
        if answer.page is not None and shown_by_v2(request, answer.page):
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
        model = ScheduledRedirect if answer.kind == "window" else Redirect
        detail_url = None
        if model is Redirect:  # core's endpoint has details of redirects, not of windows
            detail_url = get_object_detail_url(
                request.wagtailapi_router, request, Redirect, answer.source_id
            )
        found: dict[str, Any] = {
            **describe(answer),
            "id": answer.source_id,
            "meta": {"type": model._meta.label, "detail_url": detail_url},
        }
        return self.cached(Response(found), answer)

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
