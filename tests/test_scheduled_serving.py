"""Scheduled windows at request time, through Django's test client and the real middleware.

The clock is controlled with time-machine; no job runs in these tests, so every
start and end here is decided by the request alone.
"""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

from tests.testapp.models import EventIndexPage
from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ChangeStamp, ScheduledRedirect
from wagtail_redirect_tools.resolution import window_index

UTC = datetime.UTC
START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
END = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
SECOND = datetime.timedelta(seconds=1)


def directives(response: object) -> set[str]:
    """The ``Cache-Control`` directives of ``response``, lower-cased."""
    header = response["Cache-Control"]  # type: ignore[index]
    return {part.strip().lower() for part in header.split(",")}


def window_queries(queries: CaptureQueriesContext) -> int:
    return sum("scheduledredirect" in query["sql"] for query in queries.captured_queries)


class ServingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.sale = add_page(cls.home, "sale", title="Sale")
        cls.campaign = add_page(cls.home, "campaign", title="Campaign")

    def get(self, path: str, host: str = "localhost") -> object:
        return Client().get(path, HTTP_HOST=host)

    def schedule(self, source: object, target: object, **kwargs: object) -> object:
        kwargs.setdefault("starts_at", START)
        kwargs.setdefault("expires_at", END)
        with time_machine.travel(START - datetime.timedelta(days=1), tick=False):
            return schedule_redirect(source, target, **kwargs)  # type: ignore[arg-type]


class TestPageWindow(ServingTestCase):
    def test_page_is_served_then_redirected_then_served_again(self) -> None:
        self.schedule(self.sale, self.campaign)
        with time_machine.travel(START - SECOND, tick=False) as clock:
            response = self.get("/sale/")
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Sale")

            clock.move_to(START)
            response = self.get("/sale/")
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], "/campaign/")

            clock.move_to(END - SECOND)
            self.assertEqual(self.get("/sale/").status_code, 302)

            clock.move_to(END)
            self.assertEqual(self.get("/sale/").status_code, 200)
            clock.move_to(END + SECOND)
            response = self.get("/sale/")
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Sale")

    def test_307_keeps_its_status(self) -> None:
        self.schedule(self.sale, "https://shop.example/winter/", status_code=307)
        with time_machine.travel(START, tick=False):
            response = self.get("/sale/")
        self.assertEqual(response.status_code, 307)
        self.assertEqual(response["Location"], "https://shop.example/winter/")

    def test_a_browser_asks_again_and_a_cdn_keeps_it_no_longer_than_the_window(self) -> None:
        # A browser must not keep a window's answer at all: End now is then at once for a
        # visitor who has just been redirected (issue 28, item 7). A shared cache (CDN)
        # may, for s-maxage: TEMPORARY_MAX_AGE, never beyond the window's end.
        self.schedule(self.sale, self.campaign)
        with time_machine.travel(END - datetime.timedelta(seconds=42), tick=False):
            response = self.get("/sale/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(directives(response), {"max-age=0", "s-maxage=42", "must-revalidate"})
        with time_machine.travel(START, tick=False):
            response = self.get("/sale/")
        self.assertEqual(
            directives(response), {"max-age=0", "s-maxage=60", "must-revalidate"}
        )  # TEMPORARY_MAX_AGE
        with (
            override_settings(WAGTAIL_REDIRECT_TOOLS_TEMPORARY_MAX_AGE=0),
            time_machine.travel(START, tick=False),
        ):
            self.assertEqual(
                directives(self.get("/sale/")), {"max-age=0", "s-maxage=0", "must-revalidate"}
            )

    def test_every_way_a_window_is_answered_keeps_browsers_from_storing_it(self) -> None:
        # A page's window (the before_serve_page hook and before routing), its URL without
        # the slash (after the 404), a 307 on a path (before the view), and the path's
        # answer remembered by the early lookup.
        self.schedule(self.sale, self.campaign)
        self.schedule("/promo", "https://shop.example/winter/", status_code=307)
        with time_machine.travel(START, tick=False):
            for path, status_code in [
                ("/sale/", 302),
                ("/sale", 302),
                ("/promo", 307),
                ("/promo", 307),
            ]:
                with self.subTest(path):
                    response = self.get(path)
                    self.assertEqual(response.status_code, status_code)
                    self.assertIn("max-age=0", directives(response))

    def test_a_core_temporary_redirect_carries_no_freshness(self) -> None:
        # RFC 9111 lets no cache keep a 302 or 307 without an explicit lifetime, and an
        # editor's change to it takes effect on the next request: nothing is added.
        Redirect.objects.create(
            old_path="/old-offer", redirect_link="/campaign/", is_permanent=False
        )
        response = self.get("/old-offer")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(response.has_header("Cache-Control"))

    def test_window_follows_the_page_when_it_moves_and_changes_slug(self) -> None:
        self.schedule(self.sale, self.campaign)
        section = add_page(self.home, "offers")
        self.sale.move(section, pos="last-child")
        self.sale.refresh_from_db()
        self.sale.slug = "winter-sale"
        self.sale.save_revision().publish()
        with time_machine.travel(START, tick=False):
            response = self.get("/offers/winter-sale/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/campaign/")

    def test_window_applies_on_every_site_and_route_of_the_page(self) -> None:
        events = add_page(self.home, "events", page_class=EventIndexPage)
        make_site("events.example", events)
        self.schedule(events, self.campaign)
        with time_machine.travel(START, tick=False):
            for host, path, location in [
                ("localhost", "/events/", "/campaign/"),
                ("localhost", "/events/past/", "/campaign/"),
                ("events.example", "/", "http://localhost/campaign/"),
                ("events.example", "/past/", "http://localhost/campaign/"),
            ]:
                with self.subTest(host=host, path=path):
                    response = self.get(path, host=host)
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(response["Location"], location)

    def test_a_redirected_page_costs_no_window_query(self) -> None:
        self.schedule(self.sale, self.campaign)
        with time_machine.travel(START, tick=False):
            self.get("/sale/")  # warm the site and index caches
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get("/sale/").status_code, 302)
        # The index holds the target; its URL was looked up by the first request.
        self.assertEqual(window_queries(queries), 0)

    def test_a_window_never_redirects_to_the_url_just_requested(self) -> None:
        self.schedule(self.sale, "/sale/")
        with time_machine.travel(START, tick=False):
            self.assertEqual(self.get("/sale/").status_code, 200)


class TestPathWindow(ServingTestCase):
    def test_vanity_path_falls_back_to_a_core_permanent_redirect(self) -> None:
        Redirect.add_redirect("/winter", redirect_to=self.sale, is_permanent=True)
        self.schedule("/winter", self.campaign)
        with time_machine.travel(START - SECOND, tick=False) as clock:
            response = self.get("/winter")
            self.assertEqual((response.status_code, response["Location"]), (301, "/sale/"))
            clock.move_to(START)
            response = self.get("/winter")
            self.assertEqual((response.status_code, response["Location"]), (302, "/campaign/"))
            clock.move_to(END + SECOND)
            response = self.get("/winter")
            self.assertEqual((response.status_code, response["Location"]), (301, "/sale/"))

    def test_vanity_path_without_a_core_redirect_is_404_again_after_the_window(self) -> None:
        self.schedule("/promo/", "https://shop.example/")
        with time_machine.travel(START, tick=False) as clock:
            self.assertEqual(self.get("/promo/").status_code, 302)
            clock.move_to(END + SECOND)
            self.assertEqual(self.get("/promo/").status_code, 404)

    def test_path_window_shadows_the_live_page_at_that_path(self) -> None:
        self.schedule("/sale/", "/campaign/")
        with time_machine.travel(START, tick=False):
            self.assertEqual(self.get("/sale/")["Location"], "/campaign/")

    def test_site_specific_beats_all_sites(self) -> None:
        other_site = make_site("other.example", add_page(self.home, "other"))
        self.schedule("/promo/", "/everywhere/")
        self.schedule("/promo/", "/only-here/", site=other_site)
        with time_machine.travel(START, tick=False):
            self.assertEqual(self.get("/promo/")["Location"], "/everywhere/")
            self.assertEqual(self.get("/promo/", host="other.example")["Location"], "/only-here/")

    def test_window_of_another_site_is_ignored(self) -> None:
        other_site = make_site("other.example", add_page(self.home, "other"))
        self.schedule("/promo/", "/only-there/", site=other_site)
        with time_machine.travel(START, tick=False):
            self.assertEqual(self.get("/promo/").status_code, 404)

    def test_query_strings_match_like_core(self) -> None:
        self.schedule("/promo/", "/campaign/")
        self.schedule("/promo/?v=2", "/campaign-v2/")
        with time_machine.travel(START, tick=False):
            self.assertEqual(self.get("/promo/?v=2")["Location"], "/campaign-v2/")
            self.assertEqual(self.get("/promo/?utm_source=mail")["Location"], "/campaign/")
            with override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING=True):
                response = self.get("/promo/?utm_source=mail")
            self.assertEqual(response["Location"], "/campaign/?utm_source=mail")

    def test_a_live_page_with_no_window_costs_no_window_query(self) -> None:
        self.schedule("/promo/", "/campaign/")
        self.schedule(self.campaign, "/sale/")
        self.get("/sale/")  # warm the index
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.get("/sale/").status_code, 200)
        self.assertEqual(window_queries(queries), 0)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.get("/nothing-here/").status_code, 404)
        self.assertEqual(window_queries(queries), 0)


@override_settings(TIME_ZONE="Europe/London")
class TestTimeZones(ServingTestCase):
    def test_window_across_the_end_of_british_summer_time(self) -> None:
        # Clocks go back from 02:00 BST to 01:00 GMT on 25 October 2026: 01:30 happens twice.
        london = zoneinfo.ZoneInfo("Europe/London")
        starts = datetime.datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=london)  # 00:30 UTC
        ends = datetime.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london)  # 01:30 UTC
        with time_machine.travel(starts - datetime.timedelta(hours=2), tick=False):
            window = schedule_redirect(self.sale, self.campaign, starts_at=starts, expires_at=ends)
        window.refresh_from_db()
        starts_utc = datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        ends_utc = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
        self.assertEqual((window.starts_at, window.expires_at), (starts_utc, ends_utc))
        # (Arithmetic on London times would be wall-clock arithmetic: step in UTC.)
        with time_machine.travel(starts_utc - SECOND, tick=False) as clock:
            self.assertEqual(self.get("/sale/").status_code, 200)
            clock.move_to(starts_utc)
            self.assertEqual(self.get("/sale/").status_code, 302)
            # 01:59:59 BST, then 01:00:00 GMT: the hour that happens twice.
            clock.move_to(datetime.datetime(2026, 10, 25, 0, 59, 59, tzinfo=UTC))
            self.assertEqual(self.get("/sale/").status_code, 302)
            clock.move_to(datetime.datetime(2026, 10, 25, 1, 0, 0, tzinfo=UTC))
            self.assertEqual(self.get("/sale/").status_code, 302)
            clock.move_to(ends_utc - SECOND)
            self.assertEqual(self.get("/sale/").status_code, 302)
            clock.move_to(ends_utc)
            self.assertEqual(self.get("/sale/").status_code, 200)

    def test_window_across_the_start_of_summer_time_in_new_york(self) -> None:
        # 8 March 2026: 02:00 EST jumps to 03:00 EDT; a window 01:00-04:00 local lasts 2 hours.
        new_york = zoneinfo.ZoneInfo("America/New_York")
        starts = datetime.datetime(2026, 3, 8, 1, 0, tzinfo=new_york)
        ends = datetime.datetime(2026, 3, 8, 4, 0, tzinfo=new_york)
        with (
            override_settings(TIME_ZONE="America/New_York"),
            time_machine.travel(starts - datetime.timedelta(days=1), tick=False),
        ):
            schedule_redirect("/promo/", "/campaign/", starts_at=starts, expires_at=ends)
        # Aware arithmetic in one zone is wall-clock arithmetic; count real hours in UTC.
        real_end = starts.astimezone(UTC) + datetime.timedelta(hours=2)
        self.assertEqual(real_end, ends.astimezone(UTC))
        with time_machine.travel(real_end - SECOND, tick=False) as clock:
            self.assertEqual(self.get("/promo/").status_code, 302)
            clock.move_to(real_end)
            self.assertEqual(self.get("/promo/").status_code, 404)


class TestIndexFreshness(ServingTestCase):
    def test_a_window_saved_in_this_process_applies_at_once(self) -> None:
        with time_machine.travel(START, tick=False):
            self.assertEqual(self.get("/sale/").status_code, 200)
            window = schedule_redirect(self.sale, self.campaign, expires_at=END)
            self.assertEqual(self.get("/sale/").status_code, 302)
            window.delete()
            self.assertEqual(self.get("/sale/").status_code, 200)

    def test_an_expired_window_leaves_the_index_at_its_expiry(self) -> None:
        with time_machine.travel(START, tick=False) as clock:
            schedule_redirect(self.sale, self.campaign, expires_at=END)
            self.assertEqual(self.get("/sale/").status_code, 302)
            self.assertIn(self.sale.pk, window_index.current_index(START).by_page)
            clock.move_to(END)
            self.assertEqual(self.get("/sale/").status_code, 200)
            self.assertNotIn(self.sale.pk, window_index.current_index(END).by_page)

    def test_a_change_from_another_process_is_seen_through_the_stored_stamp(self) -> None:
        with time_machine.travel(START, tick=False):
            self.assertEqual(self.get("/sale/").status_code, 200)
            # Another process writes a window: no signal reaches this process, only
            # the stamp stored in the database changes.
            ScheduledRedirect.objects.bulk_create(
                [
                    ScheduledRedirect(
                        source_page=self.sale, redirect_page=self.campaign, expires_at=END
                    )
                ]
            )
            ChangeStamp.objects.filter(name="windows").update(stamp="another-process")
            with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=3600):
                self.assertEqual(self.get("/sale/").status_code, 200)  # not checked yet
            with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0):
                self.assertEqual(self.get("/sale/").status_code, 302)


class TestClockSteppedBack(ServingTestCase):
    def test_the_index_is_rebuilt_once_and_kept(self) -> None:
        self.schedule("/promo", self.campaign)
        with time_machine.travel(START + datetime.timedelta(hours=1), tick=False) as clock:
            self.assertEqual(self.get("/promo/").status_code, 302)
            # NTP steps the clock back ten minutes (or a VM resumes from a snapshot).
            clock.move_to(START + datetime.timedelta(minutes=50))
            self.assertEqual(self.get("/promo/").status_code, 302)  # rebuilt here, once
            with CaptureQueriesContext(connection) as repeated:
                for _ in range(3):
                    self.assertEqual(self.get("/promo/").status_code, 302)
            self.assertEqual(len(repeated), 0)
