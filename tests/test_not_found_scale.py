"""The 404 report and the dashboard at scale (issue 34, item 5): the report's first page,
the dashboard (its Not found panel and the whole page) cost the same queries for 10 logged
paths as for 500; the first page is most hit first (ties by path) and "fewest hits" is
exactly its reverse, the order the log's ``wrt_not_found_most_hit`` index is read in; the
CSV download streams its rows, and both downloads write formula cells inert as the
project's other exports do."""

from __future__ import annotations

import csv
import datetime
import io
import time

import openpyxl
import time_machine
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from tests.test_not_found_bound import REPORT_QUERIES
from tests.utils.pages import fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.admin.views.not_found_panel import NotFoundPanel
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.writing import write_counts

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
REPORT = "wagtail_redirect_tools:not_found"
#: The panel: the ignore rules, the count, the five most hit.
PANEL_QUERIES = 3


def log(site_id: int, count: int) -> None:
    """``count`` paths logged by the write job, path ``i`` hit ``1 + i % 7`` times."""
    counts = NotFoundCounts(max_paths=count + 1)
    for i in range(count):
        for _ in range(1 + i % 7):
            counts.add((site_id, f"/scan/{i:04d}"), bot=i % 2 == 0, when=time.time(), referer="")
    write_counts(counts)


@time_machine.travel(NOW, tick=False)
# What this process keeps is read once, by the warm-up calls; the change stamps are checked
# once per INDEX_CHECK_SECONDS, not within this test however slow the database.
@override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=3600)
class TestQueriesIndependentOfTheLogSize(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        cls.editor = make_user("editor", "add_redirect")

    def queries(self, rows: int) -> None:
        log(self.site.pk, rows)
        self.assertEqual(NotFoundPath.objects.count(), rows)
        request = RequestFactory().get("/admin/")
        request.user = self.editor
        NotFoundPanel(request).get_context_data()  # warm-up
        with self.assertNumQueries(PANEL_QUERIES):
            context = NotFoundPanel(request).get_context_data()
        self.assertEqual((context["count"], len(context["top"])), (rows, 5))
        self.client.force_login(self.editor)
        self.client.get(reverse(REPORT))  # warm-up: the session and user, once
        with self.assertNumQueries(REPORT_QUERIES):
            response = self.client.get(reverse(REPORT))
        self.assertEqual(len(response.context["object_list"]), min(rows, 50))
        self.assertEqual(response.context["paginator"].count, rows)

    def test_10_logged_paths(self) -> None:
        self.queries(10)

    def test_500_logged_paths(self) -> None:
        self.queries(500)

    def test_the_whole_dashboard_costs_the_same_for_10_and_500(self) -> None:
        self.client.force_login(self.editor)
        counted = []
        for rows in (10, 500):  # the first 10 paths again, and 490 more
            log(self.site.pk, rows)
            self.client.get(reverse("wagtailadmin_home"))
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("wagtailadmin_home")).status_code, 200)
            counted.append(len(queries))
        self.assertEqual(NotFoundPath.objects.count(), 500)
        self.assertEqual(counted[0], counted[1])


@time_machine.travel(NOW, tick=False)
class TestOrder(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        cls.editor = make_user("editor", "add_redirect")
        log(cls.site.pk, 120)  # 17 or 18 paths at each of 1..7 hits

    def order(self, **params: str) -> list[tuple[int, str]]:
        self.client.force_login(self.editor)
        rows = []
        for page in ("1", "2", "3"):
            response = self.client.get(reverse(REPORT), {**params, "p": page})
            rows += [(row.hits, row.path) for row in response.context["object_list"]]
        return rows

    def test_most_hit_first_ties_by_path(self) -> None:
        most = self.order()
        self.assertEqual(most, sorted(most, key=lambda row: (-row[0], row[1])))
        self.assertEqual(len(most), 120)

    def test_fewest_hits_first_is_the_reverse(self) -> None:
        self.assertEqual(self.order(ordering="hits"), list(reversed(self.order())))

    def test_the_panel_lists_the_five_most_hit_ties_by_path(self) -> None:
        request = RequestFactory().get("/admin/")
        request.user = self.editor
        top = NotFoundPanel(request).get_context_data()["top"]
        self.assertEqual(
            [row.path for row in top],
            ["/scan/0006", "/scan/0013", "/scan/0020", "/scan/0027", "/scan/0034"],
        )


@time_machine.travel(NOW, tick=False)
class TestDownloads(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        cls.site.site_name = '=HYPERLINK("http://evil.example")'
        cls.site.save()
        cls.editor = make_user("editor", "add_redirect")
        log(cls.site.pk, 30)

    def test_the_csv_streams_the_rows_with_formulas_made_inert(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(reverse(REPORT), {"export": "csv"})
        self.assertIsInstance(response, StreamingHttpResponse)
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(
            rows[0], ["Path", "Site", "Hits", "Hits by bots", "First seen", "Last seen"]
        )
        self.assertEqual(len(rows), 31)
        by_path = {row[0]: row for row in rows[1:]}
        self.assertEqual(
            by_path["/scan/0006"],
            [
                "/scan/0006",
                '\'=HYPERLINK("http://evil.example") [default]',
                "7",
                "7",
                "2026-03-02 12:00:00+00:00",
                "2026-03-02 12:00:00+00:00",
            ],
        )
        self.assertEqual([row[0] for row in rows[1:4]], ["/scan/0006", "/scan/0013", "/scan/0020"])

    def test_the_xlsx_is_sent_from_a_file_with_formulas_made_inert(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(reverse(REPORT), {"export": "xlsx"})
        self.assertIsInstance(response, FileResponse)
        # Sent from a file on disk (which the response closes), not from bytes in memory.
        files = [closer.__self__ for closer in response._resource_closers]
        self.assertTrue(any(isinstance(f, io.BufferedRandom) for f in files), files)
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.values)
        self.assertEqual(len(rows), 31)
        self.assertEqual(
            rows[1][:4], ("/scan/0006", '\'=HYPERLINK("http://evil.example") [default]', 7, 7)
        )

    @override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_IGNORE=[])
    def test_a_logged_path_that_reads_as_a_formula_is_made_inert(self) -> None:
        counts = NotFoundCounts(max_paths=5)
        for _ in range(50):
            counts.add((self.site.pk, "/x"), bot=False, when=time.time(), referer="")
        write_counts(counts)
        NotFoundPath.objects.filter(path="/x").update(path="-2+3")  # as no request logs it
        self.client.force_login(self.editor)
        response = self.client.get(reverse(REPORT), {"export": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(rows[1][0], "'-2+3")
