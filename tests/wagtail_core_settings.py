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

# One process, so there is nobody else's change to look for. Left at its default (1 s),
# a local change that a test rolls back is undone by the next read of the shared stamps
# whenever a test happens to run more than a second later, and the rebuild that follows
# adds a query inside one of core's assertNumQueries blocks: a failure by the clock.
WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS = 24 * 3600

# Our v2 redirects endpoint in place of core's, so core's API tests ask ours.
ROOT_URLCONF = "tests.wagtail_core_urls"
