from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from wagtail_redirect_tools.api.v2 import RedirectsAPIViewSet

# The headless API: Wagtail's pages endpoint and our redirects endpoint (find/, resolve/).
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("redirects", RedirectsAPIViewSet)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v2/", api_router.urls),
]
try:  # Wagtail 8's v3 API
    from wagtail.api.v3.urls import api as api_v3
except ImportError:
    pass
else:
    urlpatterns.append(path("api/v3/", api_v3.urls))
if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
# Pages: English without a prefix (/about/), Welsh under /cy/ (/cy/amdanom/).
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
