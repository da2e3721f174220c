"""Old paths that differ only in case or accents are different redirects, on every database.

MySQL and MariaDB compare strings with the column's collation, and a server's default
(``utf8mb4_general_ci``) ignores case, accents and trailing spaces: there ``/About`` and
``/about`` would be one key of core's unique constraint and one answer. Wagtail treats
them as two paths; so do we, on SQLite, PostgreSQL and MariaDB alike.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.autoredirects import get
from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.database import doctor
from wagtail_redirect_tools.models import ScheduledRedirect
from wagtail_redirect_tools.scheduling import schedule_redirect

pytestmark = pytest.mark.collation  # compares our path columns with core's

PAIRS = [("/About", "/about"), ("/café", "/cafe"), ("/Straße", "/strasse")]


class PathCaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)


class TestTwoRedirects(PathCaseTestCase):
    def test_admin_form_adds_both_and_each_answers_its_own(self) -> None:
        for first, second in PAIRS:
            for path, target in ((first, "/one/"), (second, "/two/")):
                response = self.client.post(
                    "/admin/redirect-tools/redirects/new/",
                    {"old_path": path, "site": "", "status_code": "301", "redirect_link": target},
                )
                self.assertEqual(response.status_code, 302, (path, response.content[-3000:]))
            self.assertEqual(get(first)["Location"], "/one/", first)
            self.assertEqual(get(second)["Location"], "/two/", second)
        self.assertEqual(Redirect.objects.count(), 2 * len(PAIRS))
        self.assertEqual(get("/ABOUT/").status_code, 404)  # with a slash: no APPEND_SLASH hop

    def test_lookup_by_path_is_exact(self) -> None:
        Redirect.add_redirect("/About", "/one/")
        self.assertEqual(get("/about/").status_code, 404)  # with a slash: no APPEND_SLASH hop
        self.assertEqual(get("/About/")["Location"], "/one/")
        self.assertFalse(Redirect.objects.filter(old_path="/about").exists())

    def test_import_creates_both(self) -> None:
        rows = "\n".join(f"{first},/one/\n{second},/two/" for first, second in PAIRS)
        out = io.StringIO()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "case.csv"
            path.write_text(f"from,to\n{rows}\n", encoding="utf-8")
            call_command("redirects_import", str(path), stdout=out)
        self.assertIn(f"{2 * len(PAIRS)} created", out.getvalue())
        for first, second in PAIRS:
            self.assertEqual(get(first)["Location"], "/one/")
            self.assertEqual(get(second)["Location"], "/two/")

    def test_import_admin_preview_counts_both_as_new(self) -> None:
        upload = self.client.post(
            "/admin/redirect-tools/imports/",
            {
                "file": SimpleUploadedFile("case.csv", b"from,to\n/Sale,/one/\n/sale,/two/\n"),
                "site": "",
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        self.assertEqual(upload.status_code, 302)
        preview = self.client.get(upload["Location"])
        actions = [row.action for row in preview.context["plan"].rows]
        self.assertEqual(actions, ["new", "new"])

    @time_machine.travel("2026-06-01 12:00Z", tick=False)
    def test_a_window_on_one_spelling_leaves_the_other(self) -> None:
        Redirect.add_redirect("/promo", "/always/")
        schedule_redirect("/Promo", "/summer/", expires_at="2026-06-30T00:00Z")
        self.assertEqual(get("/Promo")["Location"], "/summer/")
        self.assertEqual(get("/promo")["Location"], "/always/")
        # And a window on the other spelling does not overlap it.
        schedule_redirect("/promo", "/winter/", expires_at="2026-06-30T00:00Z")
        self.assertEqual(ScheduledRedirect.objects.count(), 2)


class TestSearchIgnoresCase(PathCaseTestCase):
    """Exact paths, but searching for "about" still finds /About (core's listing and ours)."""

    def test_listings_and_lookups(self) -> None:
        Redirect.add_redirect("/About", "/one/")
        Redirect.add_redirect("/contact", "/Team/")
        for url in ("/admin/redirect-tools/redirects/", reverse("wagtailredirects:index")):
            for query, expected in (("ABOUT", {"/About"}), ("team", {"/contact"})):
                response = self.client.get(url, {"q": query})
                listed = {redirect.old_path for redirect in response.context["object_list"]}
                self.assertEqual(listed, expected, (url, query))
        self.assertTrue(Redirect.objects.filter(old_path__iexact="/about").exists())
        Redirect.add_redirect("/Summer_Sale%", "/sale/")  # LIKE's wildcards, taken literally
        self.assertTrue(Redirect.objects.filter(old_path__iexact="/summer_sale%").exists())
        self.assertFalse(Redirect.objects.filter(old_path__iexact="/summerXsale%").exists())
        self.assertTrue(Redirect.objects.filter(old_path__icontains="R_SALE%").exists())
        self.assertFalse(Redirect.objects.filter(old_path__icontains="RXSALE").exists())
        self.assertFalse(Redirect.objects.filter(old_path="/about").exists())
        self.assertTrue(Redirect.objects.filter(old_path__icontains="ABOU").exists())


class TestMovesKeepCase(PathCaseTestCase):
    def test_moving_a_page_leaves_a_differently_cased_manual_redirect(self) -> None:
        news = add_page(self.home, "news")
        story = add_page(news, "story")
        manual = Redirect.add_redirect("/NEWS/STORY", "/elsewhere/")
        story.move(self.home, pos="last-child")
        self.assertEqual(get("/news/story")["Location"], "/story/")
        self.assertEqual(get("/NEWS/STORY")["Location"], "/elsewhere/")
        manual.refresh_from_db()
        self.assertEqual(manual.redirect_link, "/elsewhere/")


@pytest.mark.skipif(connection.vendor != "mysql", reason="MySQL and MariaDB only")
class TestCollationDoctor(TransactionTestCase):
    """The migration makes the path columns case-sensitive; the doctor notices when
    something (a later core migration, a hand-made table) made one insensitive again."""

    def test_reports_and_fixes_a_case_insensitive_column(self) -> None:
        self.assertEqual(doctor.case_insensitive_paths(), [])
        table = connection.ops.quote_name(Redirect._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE {table} MODIFY old_path varchar(255) "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL"
            )
        self.assertEqual(doctor.case_insensitive_paths(), [f"{Redirect._meta.db_table}.old_path"])
        out = io.StringIO()
        with self.assertRaises(CommandError):  # exits 1: something to repair
            call_command("redirects_doctor", stdout=out)
        self.assertIn("ignores case", out.getvalue())
        call_command("redirects_doctor", "--fix", stdout=io.StringIO())
        self.assertEqual(doctor.case_insensitive_paths(), [])


class TestTooLong(PathCaseTestCase):
    def test_admin_form_names_the_limit(self) -> None:
        response = self.client.post(
            "/admin/redirect-tools/redirects/new/",
            {"old_path": "/" + "x" * 300, "site": "", "status_code": "301", "redirect_link": "/a/"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "at most 255 characters")
        self.assertFalse(Redirect.objects.exists())

    def test_a_move_skips_and_reports_old_urls_too_long_to_store(self) -> None:
        section = add_page(self.home, "s" * 200)
        deep = add_page(section, "d" * 100)
        short = add_page(section, "short")
        destination = add_page(self.home, "new")
        response = self.client.post(
            reverse("wagtailadmin_pages:move_confirm", args=[section.pk, destination.pk]),
            follow=True,
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(get(f"/{'s' * 200}/short/")["Location"], "/new/" + "s" * 200 + "/short/")
        self.assertFalse(Redirect.objects.filter(redirect_page=deep).exists())
        self.assertContains(response, "1 old URL is longer than 255 characters")
        self.assertTrue(Redirect.objects.filter(redirect_page=short).exists())
