"""What a redirected request is answered with: exact status codes, one hop, no loops,
hit counts, and a cache outage."""

from __future__ import annotations

import datetime

import time_machine
from django.test import Client, TestCase, override_settings
from django_tasks import default_task_backend
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import RedirectDetails, ScheduledRedirect
from wagtail_redirect_tools.resolution import hits
from wagtail_redirect_tools.resolution.tasks import flush_hits_task

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
TOMORROW = NOW + datetime.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class AnswerTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        cls.services = add_page(cls.home, "services")
        cls.bins = add_page(cls.services, "bins")

    def get(self, path: str):  # type: ignore[no-untyped-def]
        return Client().get(path, HTTP_HOST="localhost")


class TestStatusCodes(AnswerTestCase):
    def test_each_code_kept_in_the_details_is_answered(self) -> None:
        for code in (301, 302, 307, 308):
            with self.subTest(code=code):
                redirect = Redirect.objects.create(old_path=f"/old-{code}", redirect_link="/about/")
                RedirectDetails.record(redirect, status_code=code)
                redirect.refresh_from_db()
                self.assertEqual(redirect.is_permanent, code in (301, 308))
                response = self.get(f"/old-{code}")
                self.assertEqual((response.status_code, response["Location"]), (code, "/about/"))

    def test_gone(self) -> None:
        redirect = Redirect.objects.create(old_path="/withdrawn-leaflet")
        RedirectDetails.record(redirect, status_code=410)
        self.assertEqual(self.get("/withdrawn-leaflet").status_code, 410)

    def test_no_target_and_no_details_is_still_cores_404(self) -> None:
        Redirect.objects.create(old_path="/nothing")
        self.assertEqual(self.get("/nothing/").status_code, 404)

    def test_core_changing_the_permanence_wins_over_stale_details(self) -> None:
        # Core's admin, API or a bulk update flips is_permanent without touching ours.
        redirect = Redirect.objects.create(old_path="/old", redirect_link="/about/")
        RedirectDetails.record(redirect, status_code=308)
        Redirect.objects.filter(pk=redirect.pk).update(is_permanent=False)
        self.assertEqual(self.get("/old").status_code, 302)

    def test_a_page_on_no_site_never_gives_a_location_of_none(self) -> None:
        orphan = add_page(Page.get_first_root_node(), "orphan")  # under no site's root
        Redirect.objects.create(old_path="/to-orphan", redirect_page=orphan)
        Redirect.objects.create(
            old_path="/to-orphan-route", redirect_page=orphan, redirect_page_route_path="/past/"
        )
        # Core answers a 404 for the first and crashes on the second (None.rstrip).
        self.assertEqual(self.get("/to-orphan/").status_code, 404)
        self.assertEqual(self.get("/to-orphan-route/").status_code, 404)


class TestNoExtraHops(AnswerTestCase):
    def test_a_path_without_its_slash_is_redirected_directly(self) -> None:
        Redirect.add_redirect("/old-path/", self.about)
        response = self.get("/old-path")
        # Not first to /old-path/ by CommonMiddleware's APPEND_SLASH.
        self.assertEqual((response.status_code, response["Location"]), (301, "/about/"))

    def test_a_page_window_answers_the_pages_url_without_its_slash(self) -> None:
        schedule_redirect(self.bins, self.about, expires_at=TOMORROW)
        response = self.get("/services/bins")
        self.assertEqual((response.status_code, response["Location"]), (302, "/about/"))
        self.assertEqual(self.get("/services/bins/").status_code, 302)

    def test_after_the_window_the_slash_is_added_as_usual(self) -> None:
        schedule_redirect(self.bins, self.about, expires_at=TOMORROW)
        with time_machine.travel(TOMORROW, tick=False):
            response = self.get("/services/bins")
        self.assertEqual((response.status_code, response["Location"]), (301, "/services/bins/"))

    def test_the_page_window_follows_a_move_also_without_the_slash(self) -> None:
        schedule_redirect(self.bins, self.about, expires_at=TOMORROW)
        self.bins.move(self.about, pos="last-child")
        self.assertEqual(self.get("/about/bins")["Location"], "/about/")

    def test_tracking_parameters_still_match_and_are_dropped_by_default(self) -> None:
        Redirect.add_redirect("/spring", "/about/")
        response = self.get("/spring?utm_source=newsletter&utm_medium=email")
        self.assertEqual(response["Location"], "/about/")
        with override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING=True):
            response = self.get("/spring?utm_source=newsletter")
        self.assertEqual(response["Location"], "/about/?utm_source=newsletter")


class TestNeverALoop(AnswerTestCase):
    def test_a_core_redirect_to_its_own_url(self) -> None:
        Redirect.objects.create(old_path="/self", redirect_link="/self")
        Redirect.objects.create(old_path="/slash", redirect_link="/slash/")
        Redirect.objects.create(old_path="/absolute", redirect_link="http://localhost/absolute/")
        # With or without the slash: one URL (core stores paths without it), so no
        # two-step loop through CommonMiddleware's added slash either.
        for path in ("/self/", "/slash/", "/absolute/"):
            with self.subTest(path=path):
                self.assertEqual(self.get(path).status_code, 404)
        self.assertEqual(self.get("/slash")["Location"], "/slash/")  # Django's slash

    def test_a_core_redirect_to_a_page_at_the_same_url(self) -> None:
        # The page is unpublished, so its URL is a 404 that the redirect would answer
        # with the same URL.
        Redirect.add_redirect("/about/", self.about)
        self.about.unpublish()
        self.assertEqual(self.get("/about/").status_code, 404)

    def test_a_scheduled_path_window_to_its_own_url_stored_by_a_bulk_write(self) -> None:
        ScheduledRedirect.objects.bulk_create(
            [ScheduledRedirect(old_path="/loop", redirect_link="/loop/", expires_at=TOMORROW)]
        )
        self.assertEqual(self.get("/loop/").status_code, 404)

    def test_a_page_window_to_the_page_itself_stored_by_a_bulk_write(self) -> None:
        ScheduledRedirect.objects.bulk_create(
            [
                ScheduledRedirect(
                    source_page=self.about, redirect_page=self.about, expires_at=TOMORROW
                )
            ]
        )
        self.assertEqual(self.get("/about/").status_code, 200)


@override_settings(WAGTAIL_REDIRECT_TOOLS_HITS_FLUSH_SECONDS=0)
class TestHits(AnswerTestCase):
    def test_core_and_scheduled_hits_are_counted(self) -> None:
        redirect = Redirect.add_redirect("/old", "/about/")
        window = schedule_redirect(self.bins, self.about, expires_at=TOMORROW)
        for _ in range(3):
            self.get("/old")
        self.get("/services/bins/")
        later = NOW + datetime.timedelta(minutes=5)
        with time_machine.travel(later, tick=False):
            self.get("/services/bins")
        details = RedirectDetails.objects.get(redirect=redirect)
        self.assertEqual((details.hits, details.last_hit_at), (3, NOW))
        self.assertEqual(details.status_code, 301)
        window.refresh_from_db()
        self.assertEqual((window.hits, window.last_hit_at), (2, later))

    def test_no_write_per_request_within_the_interval(self) -> None:
        redirect = Redirect.add_redirect("/old", "/about/")
        with override_settings(WAGTAIL_REDIRECT_TOOLS_HITS_FLUSH_SECONDS=3600):
            for _ in range(5):
                self.get("/old")
            self.assertFalse(RedirectDetails.objects.filter(redirect=redirect).exists())
            counts = hits.take_due(force=True)
        assert counts is not None
        self.assertEqual(counts.redirect[redirect.pk][0], 5)

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_counts_travel_in_a_queued_job(self) -> None:
        redirect = Redirect.add_redirect("/old", "/about/")
        default_task_backend.clear()  # type: ignore[attr-defined]
        self.get("/old")
        self.get("/old")
        jobs = [r for r in default_task_backend.results if r.task.name == flush_hits_task.name]  # type: ignore[attr-defined]
        self.assertEqual(sum(job.args[0]["redirect"][0][1] for job in jobs), 2)
        self.assertFalse(RedirectDetails.objects.exists())
        for job in jobs:  # what a worker does with them
            flush_hits_task.call(*job.args)
        self.assertEqual(RedirectDetails.objects.get(redirect=redirect).hits, 2)

    def test_a_flush_adds_to_earlier_counts_and_skips_deleted_redirects(self) -> None:
        kept = Redirect.add_redirect("/kept", "/about/")
        gone = Redirect.add_redirect("/gone", "/about/")
        RedirectDetails.record(kept)
        counts = hits.HitCounts()
        for _ in range(2):
            counts.add("redirect", kept.pk, NOW)
            counts.add("redirect", gone.pk, NOW)
        gone.delete()
        hits.write_hits(counts)
        hits.write_hits(counts)
        self.assertEqual(RedirectDetails.objects.get(redirect=kept).hits, 4)
        self.assertEqual(RedirectDetails.objects.count(), 1)

    def test_the_last_hit_never_moves_back(self) -> None:
        redirect = Redirect.add_redirect("/old", "/about/")
        late, early = hits.HitCounts(), hits.HitCounts()
        late.add("redirect", redirect.pk, NOW)
        early.add("redirect", redirect.pk, NOW - datetime.timedelta(hours=1))
        hits.write_hits(late)
        hits.write_hits(early)
        self.assertEqual(RedirectDetails.objects.get(redirect=redirect).last_hit_at, NOW)
