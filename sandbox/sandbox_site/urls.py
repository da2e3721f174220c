from django.conf import settings
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [path("admin/", include(wagtailadmin_urls))]
if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
urlpatterns.append(path("", include(wagtail_urls)))
