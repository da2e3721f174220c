"""What resolution costs: query counts for the benchmark's cases (a)-(e), and when
remembered lookups are forgotten."""

from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.test import Client, RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site
from wagtail.test.utils import WagtailTestUtils

from tests.utils.kept import read_kept_redirects
from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.resolution import window_index

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
OURS = "wagtail_redirect_tools.middleware.RedirectMiddleware"


def not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


def page_found(request: HttpRequest) -> HttpResponse:
    return HttpResponse("a live page")


@time_machine.travel(NOW, tick=False)
class ResolutionTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        cls.contact = add_page(cls.home, "contact")

    def setUp(self) -> None:
        # Build the (empty) index of windows outside the counted queries.
        window_index.current_index(timezone.now())

    def middleware_alone(self, path: str, view=not_found):  # type: ignore[no-untyped-def]
        """Our middleware around a view, with the site already resolved."""
        request = RequestFactory().get(path, HTTP_HOST="localhost")
        request._wagtail_site = self.site  # type: ignore[attr-defined]
        return RedirectMiddleware(view)(request)


class TestHotPath(ResolutionTestCase):
    def test_a_live_page_costs_one_query_less_than_without_us(self) -> None:
        """(a) Full stack: the queries of the same site without the middleware, but
        Wagtail's lookup of the site and its root page (``sites.preset_site``)."""
        for index in range(3):
            Redirect.add_redirect(f"/old-{index}", "/about/")
        schedule_redirect("/promo", "/about/", expires_at=NOW + datetime.timedelta(days=1))
        client = Client()
        client.get("/about/")  # warm Wagtail's site root paths, our index and stamps
        with CaptureQueriesContext(connection) as ours:
            self.assertEqual(client.get("/about/").status_code, 200)
        without = [name for name in settings.MIDDLEWARE if name != OURS]
        with override_settings(MIDDLEWARE=without), CaptureQueriesContext(connection) as bare:
            self.assertEqual(Client().get("/about/").status_code, 200)
        self.assertEqual(len(ours), len(bare) - 1)
        self.assertFalse(any("wagtailcore_site" in query["sql"] for query in ours.captured_queries))

    def test_the_middleware_alone_adds_nothing_to_a_live_page(self) -> None:
        with self.assertNumQueries(0):
            self.assertEqual(self.middleware_alone("/about/", page_found).status_code, 200)

    def test_a_path_shadowed_by_an_active_window_costs_no_query(self) -> None:
        """(d) The index holds the window's target: nothing to read."""
        schedule_redirect("/about/", "/contact/", expires_at=NOW + datetime.timedelta(days=1))
        self.middleware_alone("/about/", page_found)
        with self.assertNumQueries(0):
            response = self.middleware_alone("/about/", page_found)
        self.assertEqual((response.status_code, response["Location"]), (302, "/contact/"))

    def test_a_window_to_a_page_costs_no_query_once_its_url_is_known(self) -> None:
        schedule_redirect("/promo", self.contact, expires_at=NOW + datetime.timedelta(days=1))
        self.middleware_alone("/promo")
        with self.assertNumQueries(0):
            response = self.middleware_alone("/promo")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith("/contact/"))


class TestNotFound(ResolutionTestCase):
    def test_a_hit_costs_one_query(self) -> None:
        """(b)"""
        Redirect.add_redirect("/old", self.about, is_permanent=True)
        Redirect.add_redirect("/warm", self.about)
        self.middleware_alone("/warm")  # warm Wagtail's site root paths
        with self.assertNumQueries(1):
            response = self.middleware_alone("/old")
        self.assertEqual(response.status_code, 301)

    def test_a_miss_costs_no_query(self) -> None:
        """(c) No redirect is stored at the path: the set of stored paths says so."""
        Redirect.add_redirect("/old", self.about)
        read_kept_redirects()  # made once per change of the redirects (test_membership)
        with self.assertNumQueries(0):
            self.assertEqual(self.middleware_alone("/wp-login.php").status_code, 404)
        with self.assertNumQueries(0):
            self.assertEqual(self.middleware_alone("/wp-login.php").status_code, 404)

    def test_a_miss_at_a_path_stored_for_another_site_costs_one_query_then_none(self) -> None:
        self.stored_for_another_site("/elsewhere")
        read_kept_redirects()
        with self.assertNumQueries(1):
            self.assertEqual(self.middleware_alone("/elsewhere").status_code, 404)
        with self.assertNumQueries(0):
            self.assertEqual(self.middleware_alone("/elsewhere").status_code, 404)

    def stored_for_another_site(self, *paths: str) -> None:
        """Redirects at ``paths`` for another site: a lookup here queries, and misses."""
        other = make_site("other.example", add_page(self.home, "other-home"))
        for path in paths:
            Redirect.add_redirect(path, "/about/", site=other)
        window_index.current_index(timezone.now())  # a new site: rebuilt, outside the counts

    def test_query_strings_cost_one_query_for_all_forms(self) -> None:
        """(e) Core tries the full path, then the bare path: two queries. Ours: one."""
        Redirect.add_redirect("/old", "/about/")
        self.stored_for_another_site("/nothing")
        read_kept_redirects()
        with self.assertNumQueries(1):
            response = self.middleware_alone("/old?utm_source=mail")
        self.assertEqual(response["Location"], "/about/")
        with self.assertNumQueries(1):
            self.middleware_alone("/nothing?utm_source=mail")
        with self.assertNumQueries(0):
            self.middleware_alone("/nothing?utm_source=mail")
        with self.assertNumQueries(0):  # stored nowhere
            self.middleware_alone("/nowhere?utm_source=mail")

    def test_full_stack_a_hit_reads_redirects_once(self) -> None:
        Redirect.add_redirect("/old-page", self.about)
        Redirect.add_redirect("/warm", self.about)
        client = Client()
        client.get("/warm/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/old-page/")
        self.assertEqual(response.status_code, 301)
        reads = [q for q in queries if "wagtailredirects_redirect" in q["sql"]]
        self.assertEqual(len(reads), 1)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_LOOKUP_CACHE_SIZE=2)
    def test_the_memory_of_misses_is_bounded(self) -> None:
        self.stored_for_another_site("/a", "/b", "/c")
        for path in ("/a", "/b", "/c"):
            self.middleware_alone(path)
        with self.assertNumQueries(0):
            self.middleware_alone("/c")
        with self.assertNumQueries(1):
            self.middleware_alone("/a")  # the oldest was dropped

    @override_settings(WAGTAIL_REDIRECT_TOOLS_LOOKUP_CACHE_SIZE=0)
    def test_the_memory_of_misses_can_be_switched_off(self) -> None:
        self.stored_for_another_site("/a")
        self.middleware_alone("/a")
        with self.assertNumQueries(1):
            self.middleware_alone("/a")


class TestMissesAreForgottenOnEveryWrite(ResolutionTestCase):
    """A remembered miss must never hide a redirect written afterwards, however it is
    written."""

    def assert_now_redirected(self, path: str, write) -> None:  # type: ignore[no-untyped-def]
        self.assertEqual(self.middleware_alone(path).status_code, 404)
        with self.assertNumQueries(0):
            self.middleware_alone(path)
        write()
        self.assertIn(self.middleware_alone(path).status_code, (301, 302))

    def test_orm_save(self) -> None:
        self.assert_now_redirected("/gone", lambda: Redirect.add_redirect("/gone", "/about/"))

    def test_core_admin_add_view(self) -> None:
        self.login()

        def add() -> None:
            response = self.client.post(
                reverse("wagtailredirects:add"),
                {
                    "old_path": "/gone",
                    "is_permanent": "on",
                    "redirect_link": "http://localhost/about/",
                },
            )
            self.assertEqual(response.status_code, 302)

        self.assert_now_redirected("/gone", add)

    def test_automatic_redirects_of_a_move(self) -> None:
        # The automatic redirects are written with a raw multi-row INSERT (no signals).
        section = add_page(self.home, "section")
        self.assert_now_redirected("/about", lambda: self.about.move(section, pos="last-child"))

    def test_a_changed_redirect_and_a_deleted_one(self) -> None:
        redirect = Redirect.add_redirect("/gone", "/about/", is_permanent=False)
        self.assertEqual(self.middleware_alone("/gone").status_code, 302)
        redirect.delete()
        self.assertEqual(self.middleware_alone("/gone").status_code, 404)
        self.assert_now_redirected(
            "/gone", lambda: Redirect.add_redirect("/gone", "/contact/", is_permanent=True)
        )

    def test_a_site_change(self) -> None:
        other = Site.objects.create(hostname="other", root_page=self.home)
        Redirect.add_redirect("/gone", "/about/", site=other)

        def point_localhost_at_other() -> None:
            self.site.delete()
            other.hostname = "localhost"
            other.is_default_site = True
            other.save()
            self.site = other

        self.assert_now_redirected("/gone", point_localhost_at_other)


class TestRepeatedHits(ResolutionTestCase):
    def test_a_repeated_hit_costs_no_query(self) -> None:
        Redirect.add_redirect("/old", self.about)
        self.middleware_alone("/old")
        with self.assertNumQueries(0):
            response = self.middleware_alone("/old")
        self.assertEqual((response.status_code, response["Location"]), (301, "/about/"))

    def test_a_remembered_redirect_to_a_page_follows_the_page(self) -> None:
        # Moving the page (with automatic redirects off, so no redirect is written)
        # still forgets the remembered answer, which held the page's old URL.
        Redirect.add_redirect("/old", self.about)
        self.assertEqual(self.middleware_alone("/old")["Location"], "/about/")
        section = add_page(self.home, "section")
        with override_settings(WAGTAIL_REDIRECT_TOOLS_AUTO_REDIRECTS=False):
            self.about.move(section, pos="last-child")
        self.assertEqual(self.middleware_alone("/old")["Location"], "/section/about/")
