from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.contrib.redirects.api import RedirectsAPIViewSet as CoreRedirectsAPIViewSet

from wagtail_redirect_tools.api.v2 import RedirectsAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("redirects", RedirectsAPIViewSet)

# Core's own endpoint beside ours, so tests can ask both the same question.
core_api_router = WagtailAPIRouter("wagtailapi_core")
core_api_router.register_endpoint("pages", PagesAPIViewSet)
core_api_router.register_endpoint("redirects", CoreRedirectsAPIViewSet)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v2/", api_router.urls),
    path("api/core-v2/", core_api_router.urls),
]

try:  # Wagtail 8's v3 API (Wagtail 7.4 has none)
    from wagtail.api.v3.urls import api as api_v3
except ImportError:
    pass
else:
    urlpatterns.append(path("api/v3/", api_v3.urls))

urlpatterns.append(path("", include(wagtail_urls)))
