"""Hostile requests and the 404 log (issue 29, items 4-6), through real requests with
Django's test client, the real flush job, and the admin's fixes and exports."""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

import openpyxl
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.test.utils import WagtailTestUtils

from tests.utils.pages import fresh_site_tree, make_site
from tests.utils.users import make_user
from wagtail_redirect_tools.not_found import log
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.queries import open_paths
from wagtail_redirect_tools.not_found.tasks import flush_not_found_task
from wagtail_redirect_tools.not_found.writing import write_counts

REPORT = "wagtail_redirect_tools:not_found"

#: A URL as a visitor sends it, and the path the 404 log keeps for it: what the
#: middleware matches a redirect's old path against for that request (Django's
#: ``request.get_full_path()``, which encodes "=" and ";" too, normalised as core does).
LOGGED_AS = {
    "/nf%23frag/": "/nf%23frag",
    "/nf%3Fq=1/": "/nf%3Fq%3D1",
    "/nf-nl%0Ainj/": "/nf-nl%0Ainj",
    "/nf%250Aenc/": "/nf%250Aenc",
    "/nf-tab%09x/": "/nf-tab%09x",
    "/nf-bell%07x/": "/nf-bell%07x",
    "/nf%5Cbs/": "/nf%5Cbs",
    "/nf-sp%20x/": "/nf-sp%20x",
    "/caf%C3%A9/": "/café",
    "/nf-bad%FFutf/": "/nf-bad%25FFutf",  # Django re-encodes what is not UTF-8
    "/nf;param/": "/nf%3Bparam",
    "/nf-plain/": "/nf-plain",
}


class HostileTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.editor = make_user("editor", "add_redirect", "change_redirect")

    def request_404s(self, *urls: str) -> None:
        """Request each URL (each answers 404), counted in this process's memory."""
        with override_settings(WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=3600):
            for url in urls:
                self.assertEqual(Client().get(url).status_code, 404, url)

    def flush(self) -> dict[str, int]:
        """What a worker does with the counts handed over: the real job."""
        counts = log.take_due(force=True)
        assert counts is not None
        return dict(flush_not_found_task.call(counts.to_json()))

    def mark_gone(self, *paths: str, follow: bool = False) -> object:
        self.client.force_login(self.editor)
        ids = [str(NotFoundPath.objects.get(site=self.site, path=path).pk) for path in paths]
        url = reverse("wagtail_redirect_tools:not_found_fix", args=["gone"])
        self.assertEqual(self.client.get(url, {"id": ids}).status_code, 200)
        return self.client.post(url, {"id": ids}, follow=follow)


class TestOneBadRequestLosesNothing(HostileTestCase):
    """Item 4: ``/pgsrv-%00/`` failed the whole flush on PostgreSQL."""

    def test_a_nul_request_beside_others(self) -> None:
        self.request_404s("/pgsrv-a/", "/pgsrv-b/", "/pgsrv-%00/", "/pgsrv-a/")
        report = self.flush()
        self.assertEqual(
            sorted(NotFoundPath.objects.values_list("path", "hits")),
            [("/pgsrv-a", 2), ("/pgsrv-b", 1)],
        )
        self.assertEqual(report["written"], 2)

    def test_a_handed_over_nul_from_an_older_process_is_dropped(self) -> None:
        """A job queued by an older version (raw ``request.path``, NUL and all); a
        ``%00`` there is what the visitor sent as ``%2500``."""
        now = time.time()
        rows = [
            [self.site.pk, path, 1, 0, now, now, []]
            for path in ("/queued-a/", "/queued-\x00/", "/queued-%00/", "/queued-b/")
        ]
        flush_not_found_task.call(rows)
        self.assertEqual(
            sorted(NotFoundPath.objects.values_list("path", flat=True)),
            ["/queued-%2500", "/queued-a", "/queued-b"],
        )

    def test_one_row_the_database_refuses_never_loses_the_others(self) -> None:
        """A row the database refuses (hits out of the column's range) is left out alone."""
        now = time.time()
        rows = [[self.site.pk, f"/batch-{i}/", 1, 0, now, now, []] for i in range(5)]
        rows.insert(2, [self.site.pk, "/refused/", -5, 0, now, now, []])
        with self.assertLogs("wagtail_redirect_tools", "ERROR") as logs:
            report = flush_not_found_task.call(rows)
        self.assertEqual(report["written"], 5)
        self.assertEqual(report["failed"], 1)
        self.assertIn("/refused", logs.output[0])
        self.assertEqual(NotFoundPath.objects.count(), 5)
        self.assertFalse(NotFoundPath.objects.filter(path="/refused").exists())

    def test_a_site_deleted_before_the_flush_loses_only_its_paths(self) -> None:
        other = make_site("other.example", self.home, is_default=False)
        now = time.time()
        rows = [
            [self.site.pk, "/kept/", 1, 0, now, now, []],
            [other.pk, "/site-gone/", 1, 0, now, now, []],
        ]
        other.delete()
        report = flush_not_found_task.call(rows)
        self.assertEqual(list(NotFoundPath.objects.values_list("path", flat=True)), ["/kept"])
        self.assertEqual(report["failed"], 1)


class TestLoggedAsRequested(HostileTestCase):
    """Item 6: the log keeps the path the middleware matches for the request."""

    def test_each_url_is_logged_as_the_middleware_matches_it(self) -> None:
        self.request_404s(*LOGGED_AS)
        self.flush()
        self.assertEqual(
            sorted(NotFoundPath.objects.values_list("path", flat=True)),
            sorted(LOGGED_AS.values()),
        )

    def test_mark_gone_answers_the_url_the_visitor_requested(self) -> None:
        self.request_404s(*LOGGED_AS)
        self.flush()
        for url, path in LOGGED_AS.items():
            with self.subTest(url=url):
                response = self.mark_gone(path)
                self.assertRedirects(response, reverse(REPORT), fetch_redirect_response=False)
                self.assertEqual(Client().get(url).status_code, 410)
        self.assertFalse(open_paths().exists())


class TestControlCharacters(HostileTestCase):
    """Item 5: control characters never reach the log raw, nor a redirect, nor a 500."""

    def test_a_nul_request_is_not_logged(self) -> None:
        self.request_404s("/x%00nul/")
        self.assertFalse(log.take_due(force=True))

    def test_control_characters_are_logged_encoded(self) -> None:
        self.request_404s("/x%07bell/", "/x%1Besc/", "/x%7Fdel/")
        self.flush()
        paths = sorted(NotFoundPath.objects.values_list("path", flat=True))
        self.assertEqual(paths, ["/x%07bell", "/x%1Besc", "/x%7Fdel"])

    def older_entries(self) -> list[NotFoundPath]:
        """Entries an older version stored with raw control characters."""
        now = time.time()
        counts = NotFoundCounts(max_paths=10)
        counts.add((self.site.pk, "/placeholder-a"), bot=False, when=now, referer="")
        counts.add((self.site.pk, "/placeholder-b"), bot=False, when=now, referer="")
        write_counts(counts)
        a, b = NotFoundPath.objects.order_by("path")
        NotFoundPath.objects.filter(pk=a.pk).update(path="/old\x07bell")
        NotFoundPath.objects.filter(pk=b.pk).update(path="/old\x1b[31mred")
        return list(NotFoundPath.objects.order_by("path"))

    def test_the_report_exports_entries_stored_by_an_older_version(self) -> None:
        self.older_entries()
        self.client.force_login(self.editor)
        response = self.client.get(reverse(REPORT), {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
        self.assertEqual(sorted(cells), ["/old%07bell", "/old%1B[31mred"])
        response = self.client.get(reverse(REPORT), {"export": "csv"})
        self.assertEqual(response.status_code, 200)

    def test_mark_gone_refuses_what_the_redirect_form_refuses(self) -> None:
        self.older_entries()
        response = self.mark_gone("/old\x07bell", "/old\x1b[31mred", follow=True)
        self.assertFalse(Redirect.objects.exists())
        self.assertContains(response, "control characters")
        self.assertContains(response, "/old%07bell")

    def test_redirect_exports_write_redirects_stored_by_an_older_version(self) -> None:
        gone = Redirect.objects.create(old_path="/old\x07bell", site=self.site, redirect_link="")
        Redirect.objects.create(old_path="/to-bell", redirect_link="/x\x1bz")
        Redirect.objects.filter(pk=gone.pk).update(old_path="/old\x07bell")
        self.client.force_login(self.editor)
        listing = reverse("redirect_tools_redirects:index")
        for params in ({"export": "xlsx"}, {"export": "xlsx", "include": "scheduled"}):
            response = self.client.get(listing, params)
            self.assertEqual(response.status_code, 200)
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            values = {
                value for row in book.active.iter_rows(values_only=True) for value in row if value
            }
            self.assertIn("/old%07bell", values)
            self.assertIn("/x%1Bz", values)
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "all.xlsx"
            call_command("redirects_export", str(target))
            book = openpyxl.load_workbook(target)
        values = {
            value for row in book.active.iter_rows(values_only=True) for value in row if value
        }
        self.assertIn("/old%07bell", values)
