"""Wagtail's own test settings, with core's redirect middleware swapped for ours.

Used by ``tests/run_wagtail_suite.py`` to run ``wagtail.contrib.redirects``' test-suite
against our middleware: the proof that it is a drop-in replacement.
"""

from wagtail.test.settings import *  # noqa: F403
from wagtail.test.settings import INSTALLED_APPS, MIDDLEWARE

CORE_MIDDLEWARE = "wagtail.contrib.redirects.middleware.RedirectMiddleware"
OUR_MIDDLEWARE = "wagtail_redirect_tools.middleware.RedirectMiddleware"

if CORE_MIDDLEWARE not in MIDDLEWARE:
    raise RuntimeError(f"Wagtail's test settings no longer list {CORE_MIDDLEWARE}.")

MIDDLEWARE = [OUR_MIDDLEWARE if path == CORE_MIDDLEWARE else path for path in MIDDLEWARE]
INSTALLED_APPS = [*INSTALLED_APPS, "import_export", "wagtail_redirect_tools"]

# Our v2 redirects endpoint in place of core's, so core's API tests ask ours.
ROOT_URLCONF = "tests.wagtail_core_urls"
