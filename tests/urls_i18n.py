"""The multilingual test site's URLs: the admin as usual, pages under a language prefix
for every language (``/en/about/``, ``/cy/amdanom/``)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from tests.urls import api_router

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    *i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=True),
]

# The APIs outside the language prefix, as sites serve them (the test site's own routers).
urlpatterns += [
    path("api/v2/", api_router.urls),
]

try:  # Wagtail 8's v3 API (Wagtail 7.4 has none)
    from wagtail.api.v3.urls import api as api_v3
except ImportError:
    pass
else:
    urlpatterns.append(path("api/v3/", api_v3.urls))
