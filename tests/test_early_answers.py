"""Repeated redirect hits and windows on live pages are answered before Wagtail routes the
request: no query at full stack. Every change that could alter the answer drops what was
remembered, as it does for remembered misses."""

from __future__ import annotations

import datetime
import io
import tempfile
from pathlib import Path
from unittest import skipUnless

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site
from wagtail.test.utils import WagtailTestUtils

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ChangeStamp, RedirectDetails
from wagtail_redirect_tools.resolution import hits, window_index

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)

try:
    import wagtail.api.v3  # noqa: F401
except ImportError:  # Wagtail 7.4
    HAS_V3 = False
else:
    HAS_V3 = True


@time_machine.travel(NOW, tick=False)
class EarlyTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        cls.contact = add_page(cls.home, "contact")

    def setUp(self) -> None:
        window_index.current_index(timezone.now())
        self.visitor = Client()

    def get(self, path: str, **extra: str):  # type: ignore[no-untyped-def]
        return self.visitor.get(path, **extra)

    def assert_answered_without_query(self, path: str, status: int, location: str) -> None:
        first = self.get(path)
        self.assertEqual((first.status_code, first["Location"]), (status, location))
        with self.assertNumQueries(0):
            again = self.get(path)
        self.assertEqual((again.status_code, again["Location"]), (status, location))


class TestNoQuery(EarlyTestCase):
    def test_a_repeated_hit_costs_no_query_at_full_stack(self) -> None:
        Redirect.add_redirect("/old-about", self.about, is_permanent=True)
        self.assert_answered_without_query("/old-about/", 301, "/about/")

    def test_early_answers_are_counted_as_hits(self) -> None:
        redirect = Redirect.add_redirect("/old-about", self.about, is_permanent=True)
        window = schedule_redirect(
            self.about, self.contact, expires_at=NOW + datetime.timedelta(days=1)
        )
        for _ in range(3):
            self.get("/old-about/")
            self.get("/about/")
        counts = hits.take_due(force=True)
        assert counts is not None
        self.assertEqual(counts.redirect[redirect.pk][0], 3)
        self.assertEqual(counts.window[window.pk][0], 3)

    def test_a_repeated_hit_to_a_url_with_a_query_string(self) -> None:
        Redirect.add_redirect("/old-about", "/about/", is_permanent=False)
        self.assert_answered_without_query("/old-about/?utm=x", 302, "/about/")

    def test_a_repeated_gone_costs_no_query(self) -> None:
        RedirectDetails.record(Redirect.objects.create(old_path="/retired"), status_code=410)
        self.get("/retired/")
        with self.assertNumQueries(0):
            self.assertEqual(self.get("/retired/").status_code, 410)

    def test_an_active_window_on_a_live_page_costs_no_query(self) -> None:
        schedule_redirect(self.about, self.contact, expires_at=NOW + datetime.timedelta(days=1))
        self.assert_answered_without_query("/about/", 302, "/contact/")

    def test_a_post_goes_through_routing(self) -> None:
        # A view may answer another method where GET found nothing.
        Redirect.add_redirect("/old-about", self.about, is_permanent=True)
        self.get("/old-about/")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.visitor.post("/old-about/").status_code, 301)
        self.assertGreater(len(queries), 0)

    def test_a_request_for_another_host_is_not_answered_from_this_one(self) -> None:
        other_home = add_page(self.home, "other-home")
        Site.objects.create(hostname="other.test", root_page=other_home)
        Redirect.add_redirect("/old-about", self.about, is_permanent=True, site=self.site)
        # With two sites, page URLs are absolute (as in core).
        self.assert_answered_without_query("/old-about/", 301, "http://localhost/about/")
        with override_settings(ALLOWED_HOSTS=["*"]):
            self.assertEqual(self.get("/old-about/", HTTP_HOST="other.test").status_code, 404)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_LOOKUP_CACHE_SIZE=0)
    def test_switched_off_with_the_memory_of_lookups(self) -> None:
        Redirect.add_redirect("/old-about", self.about, is_permanent=True)
        self.get("/old-about/")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.get("/old-about/").status_code, 301)
        self.assertGreater(len(queries), 0)


class TestRememberedHitsAreDropped(EarlyTestCase):
    """What protects a remembered miss protects a remembered hit, and a page now served at
    the path wins over the redirect (core's order: the page first)."""

    def assert_dropped(self, path: str, change, status: int, check: bool = False) -> None:  # type: ignore[no-untyped-def]
        """``check``: read the stored stamps again before the last request (the change was
        made as another process makes it: no signal reaches this one)."""
        self.get(path)
        with self.assertNumQueries(0):
            self.assertIn(self.get(path).status_code, (301, 302, 410))
        change()
        with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0 if check else 3600):
            self.assertEqual(self.get(path).status_code, status)

    def test_a_page_published_at_the_path(self) -> None:
        Redirect.add_redirect("/news/", self.about)
        draft = add_page(self.home, "news", live=False)
        self.assert_dropped("/news/", lambda: draft.save_revision().publish(), 200)

    def test_a_page_unpublished_then_published_again(self) -> None:
        news = add_page(self.home, "news", live=False)
        Redirect.add_redirect("/news/", self.about)
        self.assert_dropped("/news/", lambda: news.save_revision().publish(), 200)
        news.refresh_from_db()
        news.unpublish()
        self.assertEqual(self.get("/news/").status_code, 301)

    def test_a_page_moved_to_the_path(self) -> None:
        section = add_page(self.home, "section")
        news = add_page(section, "news")
        Redirect.add_redirect("/news/", self.contact)
        self.assert_dropped("/news/", lambda: news.move(self.home, pos="last-child"), 200)

    def test_a_slug_changed_to_the_path(self) -> None:
        Redirect.add_redirect("/news/", self.contact)

        def rename() -> None:
            self.about.slug = "news"
            self.about.save_revision().publish()

        self.assert_dropped("/news/", rename, 200)

    def test_a_redirect_changed_and_deleted_in_the_admin(self) -> None:
        redirect = Redirect.add_redirect("/old", self.about, is_permanent=True)
        self.login()

        def edit() -> None:
            response = self.client.post(
                reverse("wagtailredirects:edit", args=[redirect.pk]),
                {"old_path": "/old", "redirect_link": "http://localhost/contact/"},
            )
            self.assertEqual(response.status_code, 302)

        self.assert_dropped("/old/", edit, 302)
        self.assertEqual(self.get("/old/")["Location"], "http://localhost/contact/")
        response = self.client.post(reverse("wagtailredirects:delete", args=[redirect.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.get("/old/").status_code, 404)

    def test_a_redirect_added_in_the_admin(self) -> None:
        # A site-specific redirect added for the path wins over the remembered all-sites one.
        Redirect.add_redirect("/old", self.about, is_permanent=True)
        self.login()

        def add() -> None:
            response = self.client.post(
                reverse("wagtailredirects:add"),
                {
                    "old_path": "/old",
                    "site": self.site.pk,
                    "redirect_link": "http://localhost/contact/",
                },
            )
            self.assertEqual(response.status_code, 302)

        self.assert_dropped("/old/", add, 302)
        self.assertEqual(self.get("/old/")["Location"], "http://localhost/contact/")

    @skipUnless(HAS_V3, "Wagtail 7.4 has no v3 API")
    def test_a_redirect_changed_through_the_api(self) -> None:
        from wagtail.models import APIToken

        redirect = Redirect.add_redirect("/old", self.about, is_permanent=True)
        admin = self.create_superuser("api-admin")
        _token, plaintext = APIToken.create_token(user=admin, name="test")

        def change() -> None:
            response = self.client.put(
                f"/api/v3/redirects/{redirect.pk}/",
                {
                    "old_path": "/old",
                    "redirect_link": "http://localhost/contact/",
                    "is_permanent": False,
                },
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {plaintext}",
            )
            self.assertEqual(response.status_code, 200, response.content)

        self.assert_dropped("/old/", change, 302)

    def test_an_import(self) -> None:
        Redirect.add_redirect("/old", self.about, is_permanent=True)

        def import_change() -> None:
            path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "change.csv"
            path.write_text("from,to,type\n/old,/contact/,302\n")
            call_command("redirects_import", str(path), stdout=io.StringIO())

        self.assert_dropped("/old/", import_change, 302)

    def test_another_process(self) -> None:
        Redirect.add_redirect("/old", self.about, is_permanent=True)

        def elsewhere() -> None:
            # Another process deletes the redirect: no signal here, only the stored stamp.
            Redirect.objects.filter(old_path="/old")._raw_delete(Redirect.objects.db)
            ChangeStamp.objects.filter(name="redirects").update(stamp="another-process")

        self.assert_dropped("/old/", elsewhere, 404, check=True)

    def test_a_page_published_in_another_process(self) -> None:
        Redirect.add_redirect("/news/", self.about)
        draft = add_page(self.home, "news", live=False)

        def elsewhere() -> None:
            type(draft).objects.filter(pk=draft.pk).update(live=True)
            ChangeStamp.objects.filter(name="pages").update(stamp="another-process")

        self.assert_dropped("/news/", elsewhere, 200, check=True)

    def test_a_site_change(self) -> None:
        Redirect.add_redirect("/old", self.about, is_permanent=True, site=self.site)

        def move_site() -> None:
            self.site.hostname = "elsewhere.test"
            self.site.is_default_site = False
            self.site.save()

        self.assert_dropped("/old/", move_site, 404)
