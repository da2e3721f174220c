"""The 404 log's recording: counted per site and path in memory, with no query on the
request, bounded, and written by one job."""

from __future__ import annotations

import datetime
import time
import tracemalloc

import pytest
import time_machine
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.test import Client, RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.contrib.redirects.models import Redirect
from wagtail.test.utils import WagtailTestUtils

from tests.utils.caches import CACHES_WITH_DEAD_REDIS
from tests.utils.kept import read_kept_redirects
from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.checks import check_settings
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.not_found import log
from wagtail_redirect_tools.not_found.bots import is_bot
from wagtail_redirect_tools.not_found.log import Entry, Key, NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundIgnoreRule, NotFoundPath
from wagtail_redirect_tools.not_found.queries import open_paths
from wagtail_redirect_tools.not_found.tasks import flush_not_found_task
from wagtail_redirect_tools.not_found.writing import normalise, write_counts
from wagtail_redirect_tools.resolution import window_index

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


def pending() -> dict[Key, Entry]:
    """This process's counts, by path as the job normalises them."""
    counts = log.take_due(force=True)
    return normalise(counts) if counts is not None else {}


class RecordingTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")

    def setUp(self) -> None:
        # Build the (empty) index of windows outside the counted queries.
        window_index.current_index(datetime.datetime.now(tz=datetime.UTC))

    def get(self, path: str, **headers: str) -> int:
        headers.setdefault("HTTP_USER_AGENT", BROWSER)
        return int(Client().get(path, **headers).status_code)


@override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=3600)
class TestRecording(RecordingTestCase):
    def test_a_miss_is_counted_per_site_and_normalised_path(self) -> None:
        self.assertEqual(self.get("/old-news/2019/"), 404)
        self.assertEqual(self.get("/old-news/2019/?page=2"), 404)
        entry = pending()[(self.site.pk, "/old-news/2019")]
        self.assertEqual((entry.hits, entry.bot_hits), (2, 0))

    def test_first_and_repeated_miss_add_no_query(self) -> None:
        """Full stack with the test client: the same queries as with the log switched off."""
        self.get("/warm-up-the-site/")
        for path in ("/first-miss/", "/first-miss/"):
            with CaptureQueriesContext(connection) as on:
                self.assertEqual(self.get(path), 404)
            with (
                override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_LOG=False),
                CaptureQueriesContext(connection) as off,
            ):
                self.assertEqual(self.get(path + "off/"), 404)
            self.assertEqual(len(on), len(off))
        self.assertEqual(pending()[(self.site.pk, "/first-miss")].hits, 2)

    def test_the_middleware_alone_adds_no_query_to_a_first_or_repeated_miss(self) -> None:
        read_kept_redirects()  # the set of stored paths: once per change of the redirects
        for log_on, path in [(False, "/off/"), (True, "/on/")]:
            with override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_LOG=log_on):
                with self.assertNumQueries(0):  # no redirect is stored at the path
                    self.assertEqual(self.middleware_alone(path), 404)
                with self.assertNumQueries(0):  # the miss is remembered
                    self.assertEqual(self.middleware_alone(path), 404)
        self.assertEqual(list(pending()), [(self.site.pk, "/on")])

    def middleware_alone(self, path: str) -> int:
        request = RequestFactory().get(path, HTTP_HOST="localhost")
        request._wagtail_site = self.site  # type: ignore[attr-defined]
        return int(RedirectMiddleware(not_found)(request).status_code)

    def test_switched_off_records_nothing(self) -> None:
        with override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_LOG=False):
            self.get("/missing/")
        self.assertFalse(pending())

    def test_a_slash_redirect_is_not_counted_its_next_request_is(self) -> None:
        self.assertEqual(self.get("/no-slash"), 301)
        self.assertFalse(pending())
        self.assertEqual(self.get("/no-slash/"), 404)
        self.assertEqual(pending()[(self.site.pk, "/no-slash")].hits, 1)

    def test_redirected_and_found_paths_are_not_counted(self) -> None:
        Redirect.add_redirect("/old", "/about/")
        self.assertEqual(self.get("/old"), 301)
        self.assertEqual(self.get("/about/"), 200)
        self.assertFalse(pending())

    def test_ignored_and_too_long_paths_are_not_counted(self) -> None:
        for path in ("/wp-admin/setup.php", "/index.php", "/.env", "/" + "x" * 300 + "/"):
            self.assertEqual(self.get(path), 404)
        with override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_IGNORE=["/private", ".asp"]):
            self.get("/private/a/")
            self.get("/default.asp")
            self.get("/index.php")  # no longer ignored
        self.assertEqual(list(pending()), [(self.site.pk, "/index.php")])

    def test_bot_flag_and_referrer_host_and_path_only(self) -> None:
        self.get("/gone/", HTTP_USER_AGENT=GOOGLEBOT)
        self.get("/gone/", HTTP_REFERER="https://blog.example.org/post/1?utm=x#c")
        self.get("/gone/", HTTP_REFERER="https://example.com/" + "a" * 400)
        entry = pending()[(self.site.pk, "/gone")]
        self.assertEqual((entry.hits, entry.bot_hits), (3, 1))
        self.assertEqual(entry.referrers[0], "blog.example.org/post/1")
        self.assertEqual(len(entry.referrers[1]), log.REFERRER_LENGTH)

    def test_is_bot(self) -> None:
        for agent, expected in [
            (GOOGLEBOT, True),
            ("Mozilla/5.0 (compatible; bingbot/2.0)", True),
            ("curl/8.5.0", True),
            ("python-requests/2.32", True),
            ("", True),
            (BROWSER, False),
        ]:
            with self.subTest(agent):
                self.assertIs(is_bot(agent), expected)

    @override_settings(
        CACHES=CACHES_WITH_DEAD_REDIS, WAGTAIL_REDIRECT_TOOLS_CACHE_ALIAS="redirects"
    )
    def test_a_cache_outage_never_loses_the_request(self) -> None:
        self.assertEqual(self.get("/missing-while-redis-is-down/"), 404)
        self.assertEqual(self.get("/missing-while-redis-is-down/"), 404)
        self.assertEqual(pending()[(self.site.pk, "/missing-while-redis-is-down")].hits, 2)

    def test_a_failure_to_count_loses_the_count_not_the_response(self) -> None:
        with (
            override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_MAX_PATHS="many"),
            self.assertLogs("wagtail_redirect_tools.not_found", "ERROR"),
        ):
            self.assertEqual(self.get("/counted-never/"), 404)
        self.assertFalse(pending())


class TestBound(TestCase):
    def test_50000_unique_paths_stay_within_the_bound(self) -> None:
        """The least-hit go first: paths hit often survive a scanner's flood."""
        counts = NotFoundCounts(max_paths=10_000)
        popular = [(1, f"/popular-{i}") for i in range(100)]
        for key in popular:
            for _ in range(3):
                counts.add(key, bot=False, when=time.time(), referer="https://example.com/links")
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        for i in range(50_000):
            counts.add((1, f"/scan/{i:06d}/wp-config.bak"), bot=True, when=time.time(), referer="")
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
        print(f"404 log with 50,000 unique paths: {len(counts)} kept, {grown / 1e6:.2f} MB")
        self.assertLessEqual(len(counts), 10_000)
        self.assertEqual(counts.evicted, 50_100 - len(counts))
        self.assertTrue(all(key in counts.entries for key in popular))
        self.assertIn((1, "/scan/049999/wp-config.bak"), counts.entries)
        self.assertLess(grown, 8_000_000)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_MAX_PATHS=10)
    def test_the_process_log_reads_the_setting(self) -> None:
        for i in range(25):
            log.add((1, f"/p{i}"), bot=False, referer="")
        self.assertLessEqual(len(pending()), 10)


@time_machine.travel(NOW, tick=False)
class TestWrite(RecordingTestCase):
    def counts(self, paths: list[str], *, hits: int = 1) -> NotFoundCounts:
        counts = NotFoundCounts(max_paths=100_000)
        for path in paths:
            for _ in range(hits):
                counts.add(
                    (self.site.pk, path), bot=False, when=time.time(), referer="https://a.org/x"
                )
        return counts

    def test_counts_are_added_to_the_stored_rows(self) -> None:
        write_counts(self.counts(["/a", "/b"], hits=2))
        later = NOW + datetime.timedelta(hours=1)
        with time_machine.travel(later, tick=False):
            counts = self.counts(["/a"], hits=3)
            counts.add((self.site.pk, "/a"), bot=True, when=time.time(), referer="https://b.org/y")
            write_counts(counts)
        row = NotFoundPath.objects.get(site=self.site, path="/a")
        self.assertEqual((row.hits, row.bot_hits), (6, 1))
        self.assertEqual((row.first_seen_at, row.last_seen_at), (NOW, later))
        self.assertEqual(row.referrers, ["a.org/x", "b.org/y"])
        self.assertEqual(NotFoundPath.objects.get(path="/b").hits, 2)

    def test_few_queries_whatever_the_number_of_paths(self) -> None:
        """Within a batch (SQLite's 999 parameters make Django split at ~140 paths)."""
        write_counts(self.counts(["/first"]))  # the first flush ever creates the lock's row
        with CaptureQueriesContext(connection) as few:
            write_counts(self.counts([f"/few-{i}" for i in range(3)]))
        with CaptureQueriesContext(connection) as many:
            write_counts(self.counts([f"/many-{i}" for i in range(120)]))
        self.assertEqual(len(few), len(many))
        with CaptureQueriesContext(connection) as again:  # all 900 there: updated
            write_counts(self.counts([f"/many-{i}" for i in range(120)]))
        self.assertEqual(len(again), len(many))
        self.assertEqual(NotFoundPath.objects.filter(hits=2).count(), 120)
        with CaptureQueriesContext(connection) as most:
            write_counts(self.counts([f"/most-{i}" for i in range(10_000)]))
        print(f"404 log write: 3 or 120 paths {len(many)} queries, 10,000 paths {len(most)}")

    def test_paths_are_written_as_core_normalises_them(self) -> None:
        """Keys are ``request.path`` (decoded): "/caf%C3%A9/" there is what a visitor sent
        as "/caf%25C3%25A9/", and is kept so (see test_not_found_hostile)."""
        counts = self.counts(["/café/", "/café", "/caf%C3%A9/", "/" + "x" * 255 + "/"])
        write_counts(counts)
        self.assertEqual(
            sorted(NotFoundPath.objects.values_list("path", "hits")),
            [("/caf%25C3%25A9", 1), ("/café", 2)],
        )

    def test_stored_ignore_rules_are_not_written(self) -> None:
        NotFoundIgnoreRule.objects.create(match="suffix", pattern=".bak")
        report = write_counts(self.counts(["/db.bak", "/kept"]))
        self.assertEqual((report.written, report.ignored), (1, 1))
        self.assertEqual(list(NotFoundPath.objects.values_list("path", flat=True)), ["/kept"])

    def test_old_entries_are_deleted_after_the_retention(self) -> None:
        write_counts(self.counts(["/old-entry"]))
        with time_machine.travel(NOW + datetime.timedelta(days=89), tick=False):
            write_counts(self.counts(["/recent"]))
        self.assertEqual(NotFoundPath.objects.count(), 2)
        with time_machine.travel(NOW + datetime.timedelta(days=91), tick=False):
            report = write_counts(self.counts(["/recent"]))
        self.assertEqual(report.purged, 1)
        self.assertEqual(list(NotFoundPath.objects.values_list("path", flat=True)), ["/recent"])

    @override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=0)
    def test_requests_hand_counts_to_the_job(self) -> None:
        self.get("/written-by-the-job/")
        self.get("/written-by-the-job/")
        row = NotFoundPath.objects.get(site=self.site, path="/written-by-the-job")
        self.assertEqual(row.hits, 2)

    def test_the_job_takes_json(self) -> None:
        result = flush_not_found_task.call(self.counts(["/json"]).to_json())
        self.assertEqual(
            result, {"written": 1, "ignored": 0, "purged": 0, "failed": 0, "pruned": 0}
        )


@pytest.mark.collation
class TestOpenLog(RecordingTestCase):
    def test_a_path_leaves_the_open_log_when_a_redirect_or_live_page_answers_it(self) -> None:
        write_counts(
            self.counts_for(["/old", "/contact", "/elsewhere", "/promo", "/still-missing"])
        )
        schedule_redirect(
            "/promo/", "/about/", expires_at=timezone.now() + datetime.timedelta(days=1)
        )
        Redirect.add_redirect("/old", "/about/", site=self.site)
        Redirect.add_redirect("/elsewhere", "/about/")  # all sites
        add_page(self.home, "contact")
        self.assertEqual(list(open_paths().values_list("path", flat=True)), ["/still-missing"])

    @time_machine.travel(NOW, tick=False)
    def test_spellings_that_differ_in_case_or_accents_are_two_entries(self) -> None:
        # In the database's collation (utf8mb4_general_ci) they were one key: the second
        # of a batch raised IntegrityError, or took the first one's row and counts.
        paths = ["/Shop", "/shop", "/café", "/cafe"]
        write_counts(self.counts_for(paths))
        write_counts(self.counts_for(paths))
        self.assertEqual(
            sorted(NotFoundPath.objects.values_list("path", "hits")),
            sorted((path, 2) for path in paths),
        )
        Redirect.add_redirect("/shop", "/elsewhere/")
        self.assertEqual(
            sorted(open_paths().values_list("path", flat=True)),
            ["/Shop", "/cafe", "/café"],
        )

    def test_ignore_rules_hide_paths(self) -> None:
        write_counts(self.counts_for(["/shop/cart", "/feed.rss", "/x", "/xy"]))
        NotFoundIgnoreRule.objects.create(match="prefix", pattern="/shop")
        NotFoundIgnoreRule.objects.create(match="suffix", pattern=".rss")
        NotFoundIgnoreRule.objects.create(match="exact", pattern="/x")
        self.assertEqual(list(open_paths().values_list("path", flat=True)), ["/xy"])

    def counts_for(self, paths: list[str]) -> NotFoundCounts:
        counts = NotFoundCounts(max_paths=100)
        for path in paths:
            counts.add((self.site.pk, path), bot=False, when=time.time(), referer="")
        return counts


class TestSettingsChecks(TestCase):
    def test_bad_values_are_reported(self) -> None:
        for name, value in [
            ("NOT_FOUND_LOG", "yes"),
            ("NOT_FOUND_MAX_PATHS", 0),
            ("NOT_FOUND_KEEP_DAYS", -1),
            ("NOT_FOUND_IGNORE", "/wp-admin"),
            ("NOT_FOUND_IGNORE", ["/ok", ""]),
            ("NOT_FOUND_FLUSH_SECONDS", None),
        ]:
            with self.subTest(name=name, value=value):
                with override_settings(**{f"WAGTAIL_REDIRECT_TOOLS_{name}": value}):
                    messages = check_settings()
                self.assertEqual([m.id for m in messages], ["wagtail_redirect_tools.E006"])
                self.assertIn(name, messages[0].msg)


class TestHandOver(RecordingTestCase):
    @override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=3600,
    )
    def test_one_job_carries_every_path_of_an_interval(self) -> None:
        default_task_backend.clear()  # type: ignore[attr-defined]
        for path in ("/a/", "/b/", "/a/", "/c/"):
            self.get(path)
        self.assertEqual(default_task_backend.results, [])  # type: ignore[attr-defined]
        with override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=0):
            self.get("/d/")
        jobs = [
            job
            for job in default_task_backend.results  # type: ignore[attr-defined]
            if job.task.name == flush_not_found_task.name
        ]
        self.assertEqual(len(jobs), 1)
        self.assertEqual(
            sorted((row[1], row[2]) for row in jobs[0].args[0]),
            [("/a/", 2), ("/b/", 1), ("/c/", 1), ("/d/", 1)],
        )
        self.assertFalse(NotFoundPath.objects.exists())  # until a worker runs it
        flush_not_found_task.call(*jobs[0].args)
        self.assertEqual(NotFoundPath.objects.get(path="/a").hits, 2)

    @override_settings(
        TASKS={"default": {"BACKEND": "tests.no_such_module.Backend"}},
        WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=0,
    )
    def test_a_queue_that_fails_loses_the_counts_not_the_request(self) -> None:
        with self.assertLogs("wagtail_redirect_tools", "ERROR") as logs:
            self.assertEqual(self.get("/lost/"), 404)
        self.assertIn("Could not queue the 404 counts of 1 paths", logs.output[0])
        self.assertFalse(NotFoundPath.objects.exists())
