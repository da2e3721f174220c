"""Wagtail's own test URLs, with our v2 redirects endpoint registered in place of core's
(as the README tells a site to), so core's API tests ask ours (issue 28, item 12)."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from wagtail.contrib.redirects.api import RedirectsAPIViewSet as CoreRedirectsAPIViewSet
from wagtail.test import urls as core_urls

from wagtail_redirect_tools.api.v2 import RedirectsAPIViewSet

API_PREFIX = "api/main/"
router = core_urls.api_router
if router._endpoints.get("redirects") is not CoreRedirectsAPIViewSet:
    raise RuntimeError("Wagtail's test URLs no longer register core's redirects endpoint.")
router.register_endpoint("redirects", RedirectsAPIViewSet)


def _swapped(pattern: Any) -> URLPattern | URLResolver:
    """The API's URLs built again from the router, now with our endpoint."""
    if str(pattern.pattern) == API_PREFIX:
        return path(API_PREFIX, router.urls)
    return pattern  # type: ignore[no-any-return]


urlpatterns = [_swapped(pattern) for pattern in core_urls.urlpatterns]
if sum(str(pattern.pattern) == API_PREFIX for pattern in urlpatterns) != 1:
    raise RuntimeError(f"Wagtail's test URLs no longer mount the v2 API at {API_PREFIX}.")
