"""The 404 log leaves out by default what no editor can fix with a redirect (issue 32,
item 7): browsers' icon requests (``/favicon.ico``, ``/apple-touch-icon*.png``),
``/robots.txt``, and the admin's own URLs, wherever the URLconf puts the admin."""

from __future__ import annotations

import datetime
import time

from django.test import Client, TestCase, override_settings
from django.urls import include, path, reverse
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.test.utils import WagtailTestUtils

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.not_found import log
from wagtail_redirect_tools.not_found.log import Entry, Key, NotFoundCounts
from wagtail_redirect_tools.not_found.writing import normalise, write_counts
from wagtail_redirect_tools.resolution import window_index

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0"
ICONS_AND_ROBOTS = [
    "/favicon.ico",
    "/apple-touch-icon.png",
    "/apple-touch-icon-precomposed.png",
    "/apple-touch-icon-120x120.png",
    "/robots.txt",
]

# This module is also a URLconf: the Wagtail admin under another prefix.
urlpatterns = [
    path("cms-admin/", include(wagtailadmin_urls)),
    path("", include(wagtail_urls)),
]


def pending() -> dict[Key, Entry]:
    counts = log.take_due(force=True)
    return normalise(counts) if counts is not None else {}


@override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=3600)
class TestDefaultIgnore(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.superuser = cls.create_superuser("admin")

    def setUp(self) -> None:
        window_index.current_index(datetime.datetime.now(tz=datetime.UTC))
        pending()  # nothing left from another test

    def get(self, url: str) -> int:
        """As an editor (the admin sends anyone else to its login page)."""
        client = Client()
        client.force_login(self.superuser)
        return int(client.get(url, HTTP_USER_AGENT=BROWSER).status_code)

    def logged_paths(self) -> list[str]:
        return sorted(path for _site, path in pending())

    def test_icons_and_robots_are_not_logged(self) -> None:
        for url in [*ICONS_AND_ROBOTS, "/old-news/"]:
            self.assertEqual(self.get(url), 404, url)
        self.assertEqual(self.logged_paths(), ["/old-news"])

    def test_the_admins_own_urls_are_not_logged(self) -> None:
        self.assertEqual(self.get("/admin/no-such-screen/"), 404)
        self.assertEqual(self.get("/administration/"), 404)  # only the admin's prefix
        self.assertEqual(self.logged_paths(), ["/administration"])

    @override_settings(ROOT_URLCONF=__name__)
    def test_the_admin_prefix_comes_from_the_urlconf(self) -> None:
        self.assertEqual(self.get("/cms-admin/no-such-screen/"), 404)
        self.assertEqual(self.get("/admin/no-such-screen/"), 404)  # a page path here
        self.assertEqual(self.logged_paths(), ["/admin/no-such-screen"])

    def test_a_site_can_turn_the_defaults_off(self) -> None:
        with override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_IGNORE=[".php"]):
            for url in ("/favicon.ico", "/admin/no-such-screen/", "/index.php"):
                self.assertEqual(self.get(url), 404)
        self.assertEqual(self.logged_paths(), ["/admin/no-such-screen", "/favicon.ico"])

    def test_paths_logged_before_leave_the_report(self) -> None:
        counts = NotFoundCounts(max_paths=100)
        for logged in ["/favicon.ico", "/admin/pages/999/", "/apple-touch-icon.png", "/old"]:
            counts.add((self.site.pk, logged), bot=False, when=time.time(), referer="")
        write_counts(counts)
        self.client.force_login(self.superuser)
        response = self.client.get(reverse("wagtail_redirect_tools:not_found"))
        self.assertEqual([row.path for row in response.context["object_list"]], ["/old"])
