"""The 404 log stays at most ``NOT_FOUND_KEEP_PATHS`` rows per site, however many unique
paths scanners send: the least-hit go first (bots' before people's, the oldest first),
and the dashboard panel, the report's first page and its CSV export cost the same
queries on a full table as on a small one (issue 29, item 7)."""

from __future__ import annotations

import datetime
import functools
import time

import pytest
import time_machine
from django.db import connection
from django.test import Client, RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from tests.test_window_integrity import needs_concurrent_database, race
from tests.utils.pages import add_page, fresh_site_tree, make_site
from tests.utils.users import make_user
from wagtail_redirect_tools.admin.views.not_found_panel import NotFoundPanel
from wagtail_redirect_tools.checks import check_settings
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundDropped, NotFoundPath
from wagtail_redirect_tools.not_found.writing import write_counts
from wagtail_redirect_tools.resolution import pattern_index, window_index
from wagtail_redirect_tools.resolution.sites import site_root_paths

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0"
SCANNER = "python-requests/2.32"
REPORT = "wagtail_redirect_tools:not_found"
BOUND = 600


def flood(site_id: int, start: int, count: int, *, bot: bool = True) -> NotFoundCounts:
    """``count`` unique paths hit once each, as one process hands them over."""
    counts = NotFoundCounts(max_paths=100_000)
    for i in range(start, start + count):
        counts.add((site_id, f"/scan/{i:06d}.bak"), bot=bot, when=time.time(), referer="")
    return counts


@time_machine.travel(NOW, tick=False)
@override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_KEEP_PATHS=BOUND)
class TestBound(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        cls.other = make_site("other.example", add_page(home, "other"))

    def setUp(self) -> None:
        window_index.current_index(datetime.datetime.now(tz=datetime.UTC))

    def request(self, path: str, agent: str = BROWSER) -> None:
        """A real request; with a flush interval of 0 its count is written at once."""
        with override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=0):
            self.assertEqual(Client().get(path, HTTP_USER_AGENT=agent).status_code, 404)

    def test_a_flood_of_unique_paths_keeps_the_bound_and_the_most_hit(self) -> None:
        for _ in range(3):
            self.request("/popular-page/")
        self.request("/human-once/")
        self.request("/scanner-first/", SCANNER)
        for batch in range(4):  # 4 flushes of 400 new paths each: 1,600 unique paths
            with time_machine.travel(NOW + datetime.timedelta(minutes=batch + 1), tick=False):
                write_counts(flood(self.site.pk, batch * 400, 400))
        with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
            self.request("/popular-page/")
            self.request("/scanner-last/", SCANNER)
        write_counts(flood(self.other.pk, 0, 50))

        self.assertEqual(NotFoundPath.objects.filter(site=self.site).count(), BOUND)
        self.assertEqual(NotFoundPath.objects.filter(site=self.other).count(), 50)
        kept = set(NotFoundPath.objects.filter(site=self.site).values_list("path", flat=True))
        self.assertEqual(NotFoundPath.objects.get(path="/popular-page").hits, 4)
        # At one hit each: a person's path outlives the bots', the newest bots' the oldest.
        self.assertIn("/human-once", kept)
        self.assertIn("/scanner-last", kept)
        self.assertNotIn("/scanner-first", kept)
        self.assertNotIn("/scan/000000.bak", kept)
        self.assertIn("/scan/001599.bak", kept)
        # What was dropped is counted per site, and the report says so.
        dropped = NotFoundDropped.objects.get(site=self.site)
        self.assertEqual((dropped.paths, dropped.hits, dropped.bot_hits), (1004, 1004, 1004))
        self.assertFalse(NotFoundDropped.objects.filter(site=self.other).exists())
        self.client.force_login(make_user("editor", "add_redirect"))
        self.assertContains(
            self.client.get(reverse(REPORT)),
            "localhost [default]: 1004 paths dropped since 03/02/2026, with 1004 hits "
            "(1004 by bots)",
        )

    @override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=3600)
    def test_a_full_table_costs_the_panel_and_the_report_no_more_queries(self) -> None:
        editor = make_user("editor", "add_redirect")
        write_counts(flood(self.site.pk, 0, 5))
        small = self.view_queries(editor)
        write_counts(flood(self.site.pk, 5, BOUND * 2))
        self.assertEqual(NotFoundPath.objects.count(), BOUND)
        self.assertEqual(self.view_queries(editor), small)

    def view_queries(self, editor: object) -> tuple[int, int]:
        request = RequestFactory().get("/admin/")
        request.user = editor
        pattern_index.current()  # read once per change of redirects, by this process's first 404
        site_root_paths()  # read once per change of sites or pages, by this process's first request
        with CaptureQueriesContext(connection) as panel:
            NotFoundPanel(request).get_context_data()
        self.client.force_login(editor)
        with CaptureQueriesContext(connection) as report:
            self.assertEqual(self.client.get(reverse(REPORT)).status_code, 200)
        return len(panel), len(report)

    # The report reads the pattern redirects this process keeps, which checks the change
    # stamps once per INDEX_CHECK_SECONDS: not within this test, however slow the database.
    @override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=3600)
    def test_the_panel_and_report_query_counts(self) -> None:
        editor = make_user("editor", "add_redirect")
        write_counts(flood(self.site.pk, 0, BOUND * 2))
        request = RequestFactory().get("/admin/")
        request.user = editor
        pattern_index.current()  # read once per change of redirects, by this process's first 404
        site_root_paths()  # read once per change of sites or pages, by this process's first request
        with self.assertNumQueries(3):  # the ignore rules, the count, the five most hit
            context = NotFoundPanel(request).get_context_data()
        self.assertEqual(context["count"], BOUND)
        self.client.force_login(editor)
        self.client.get(reverse(REPORT))  # the session and user, once
        with self.assertNumQueries(REPORT_QUERIES):
            response = self.client.get(reverse(REPORT))
        self.assertEqual(len(response.context["object_list"]), 50)

    def test_the_csv_export_reads_the_rows_while_it_streams(self) -> None:
        """Nothing but the response's headers before the first byte: the rows are read in
        chunks as the file is sent, not all before it."""
        write_counts(flood(self.site.pk, 0, BOUND))
        self.client.force_login(make_user("editor", "add_redirect"))
        with CaptureQueriesContext(connection) as before:
            response = self.client.get(reverse(REPORT), {"export": "csv"})
        self.assertTrue(response.streaming)
        self.assertFalse(any("notfoundpath" in q["sql"].lower() for q in before))
        with CaptureQueriesContext(connection) as during:
            lines = b"".join(response.streaming_content).splitlines()  # type: ignore[attr-defined]
        self.assertEqual(len(lines), BOUND + 1)
        self.assertTrue(any("notfoundpath" in q["sql"].lower() for q in during))


#: The report's first page: the session, the user and their permissions and profile (5),
#: the ignore rules, the count, the page of rows, the dropped paths' totals, and Wagtail's
#: own reads for the admin's menus and the site filter (4).
REPORT_QUERIES = 13


@needs_concurrent_database
@pytest.mark.django_db(transaction=True)
@override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_KEEP_PATHS=BOUND)
def test_two_flushes_at_once_neither_fail_nor_pass_the_bound() -> None:
    """Two processes' flushes (threads, each with its own connection) release at once,
    five times: the same popular paths in opposite orders and each its own flood past the
    bound. Without the log's lock they lock each other's rows in opposite orders."""
    site, _home = fresh_site_tree("localhost")
    popular = [f"/popular/{i}" for i in range(300)]

    def flush(index: int, round_: int) -> object:
        counts = flood(site.pk, 10_000 * index + 1000 * round_, 400)
        for path in popular if index == 0 else reversed(popular):
            counts.add((site.pk, path), bot=False, when=time.time(), referer="")
            counts.add((site.pk, path), bot=False, when=time.time(), referer="")
        return write_counts(counts)

    for round_ in range(5):
        results = race(2, functools.partial(flush, round_=round_))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert NotFoundPath.objects.count() == BOUND
    hits = set(NotFoundPath.objects.filter(path__in=popular).values_list("hits", flat=True))
    assert hits == {20}  # two hits a flush, two flushes a round, five rounds


def test_a_bound_that_is_not_a_positive_whole_number_is_reported() -> None:
    for value in (0, -5, 1.5, "10000", None):
        with override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_KEEP_PATHS=value):
            messages = check_settings()
        assert [m.id for m in messages] == ["wagtail_redirect_tools.E006"], value
        assert "NOT_FOUND_KEEP_PATHS" in messages[0].msg
