"""The "Redirects" admin listing and forms: exact status codes, origin, hits, export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.models import Origin, RedirectDetails

INDEX = "/admin/redirect-tools/redirects/"
ADD = INDEX + "new/"
NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def edit_url(redirect: Redirect) -> str:
    return reverse("redirect_tools_redirects:edit", args=[redirect.pk])


#: The listing's queries, whatever the number of rows: session, user, profile, count,
#: locales and pages (the page chooser filter), sites, imports (filters), the rows and the
#: request's site (the To column's page URLs are written relative to it).
QUERIES_SINGLE_LANGUAGE = 11


class RedirectsAdminTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about", title="About us")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        cls.busy = Redirect.add_redirect("/busy", "/about/")
        RedirectDetails.objects.create(redirect=cls.busy, hits=1234, last_hit_at=NOW)
        cls.quiet = Redirect.add_redirect("/quiet", cls.about, is_permanent=False)
        cls.moved = Redirect.objects.create(
            old_path="/moved", redirect_page=cls.about, automatically_created=True
        )

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def form_data(self, **values: object) -> dict[str, object]:
        data: dict[str, object] = {"old_path": "/new-one", "site": "", "status_code": "301"}
        data.update(values)
        return data


class TestListing(RedirectsAdminTestCase):
    def test_columns(self) -> None:
        response = self.client.get(INDEX)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for text in ("/busy", "1234", "301 permanent", "302 temporary", "Automatic"):
            self.assertIn(text, html)

    def test_no_language_column_filter_or_query_on_a_single_language_site(self) -> None:
        """Issue 30, item 6: the Language column and filter are for multilingual sites;
        here the listing is as before, with as many queries (the multilingual site's
        listing costs the same: tests/test_i18n_admin.py)."""
        self.client.get(INDEX)  # warm the caches of the site and content type
        with self.assertNumQueries(QUERIES_SINGLE_LANGUAGE):
            html = self.client.get(INDEX).content.decode()
        self.assertNotIn("Language", html)
        self.assertNotIn('name="locale"', html)
        for number in range(10):
            Redirect.add_redirect(f"/more-{number}", self.about)
        with self.assertNumQueries(QUERIES_SINGLE_LANGUAGE):
            response = self.client.get(INDEX, {"locale": "cy"})
        self.assertContains(response, "/more-9")  # the parameter means nothing here
        self.assertContains(response, "/busy")

    def test_sort_by_hits(self) -> None:
        response = self.client.get(INDEX, {"ordering": "-hit_count"})
        paths = [redirect.old_path for redirect in response.context["object_list"]]
        self.assertEqual(paths[0], "/busy")
        response = self.client.get(INDEX, {"ordering": "-last_hit"})
        self.assertEqual(response.context["object_list"][0].old_path, "/busy")

    def test_filters(self) -> None:
        gone = Redirect.objects.create(old_path="/gone")
        RedirectDetails.record(gone, status_code=410)
        cases = {
            (("kind", "temporary"),): ["/quiet"],
            (("kind", "gone"),): ["/gone"],
            (("origin", "automatic"),): ["/moved"],
            (("origin", "manual"), ("kind", "permanent")): ["/busy"],
        }
        for params, expected in cases.items():
            with self.subTest(params=params):
                response = self.client.get(INDEX, dict(params))
                found = sorted(r.old_path for r in response.context["object_list"])
                self.assertEqual(found, expected)

    def test_no_hits_in_n_days(self) -> None:
        # Clean-up candidates: redirects older than N days not followed within them.
        old = NOW - datetime.timedelta(days=200)
        Redirect.objects.filter(pk__in=[self.busy.pk, self.quiet.pk]).update(created_at=old)
        RedirectDetails.objects.create(
            redirect=self.quiet, hits=3, last_hit_at=NOW - datetime.timedelta(days=100)
        )
        with time_machine.travel(NOW, tick=False):
            for days, expected in (("30", ["/quiet"]), ("365", [])):
                with self.subTest(days=days):
                    response = self.client.get(INDEX, {"unused": days})
                    found = sorted(r.old_path for r in response.context["object_list"])
                    self.assertEqual(found, expected)
            # /moved was created just now: not a candidate yet.
            self.assertNotIn("/moved", self.client.get(INDEX, {"unused": "30"}).content.decode())

    def test_created_column_sorts(self) -> None:
        Redirect.objects.filter(pk=self.quiet.pk).update(
            created_at=NOW - datetime.timedelta(days=9)
        )
        response = self.client.get(INDEX, {"ordering": "created_at"})
        self.assertEqual(response.context["object_list"][0].old_path, "/quiet")
        self.assertContains(response, "Created")

    def test_search_by_path_and_target_page(self) -> None:
        for query, expected in (("bus", ["/busy"]), ("About us", ["/moved", "/quiet"])):
            with self.subTest(query=query):
                response = self.client.get(INDEX, {"q": query})
                found = sorted(r.old_path for r in response.context["object_list"])
                self.assertEqual(found, expected)

    def test_the_settings_menu_has_one_redirects_item_and_it_is_ours(self) -> None:
        html = self.client.get("/admin/").content.decode()
        self.assertIn(INDEX, html)
        self.assertNotIn('"url": "/admin/redirects/"', html)

    def test_export_has_hits_and_escapes_formulas(self) -> None:
        Redirect.objects.create(old_path="/sum", redirect_link="=HYPERLINK(1)")
        response = self.client.get(INDEX, {"export": "csv"})
        # For Excel: a byte-order mark first, so it reads the file as UTF-8.
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        # The whole header is asserted in test_export_people.py.
        hits = rows[0].index("hits")
        self.assertEqual(rows[0][hits + 1], "last_hit")
        by_path = {row[0]: row for row in rows[1:]}
        self.assertEqual(by_path["/busy"][hits], "1234")
        self.assertEqual(by_path["/busy"][hits + 1], "2026-03-02T12:00:00Z")
        self.assertEqual(by_path["/sum"][1], "'=HYPERLINK(1)")
        response = self.client.get(INDEX, {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)


class TestForms(RedirectsAdminTestCase):
    def test_create_a_308_to_a_path(self) -> None:
        response = self.client.post(ADD, self.form_data(status_code="308", redirect_link="/about/"))
        self.assertEqual(response.status_code, 302)
        redirect = Redirect.objects.get(old_path="/new-one")
        self.assertTrue(redirect.is_permanent)  # core reads a consistent row
        details = redirect.details
        self.assertEqual(
            (details.status_code, details.origin, details.created_by),
            (308, "manual", self.superuser),
        )
        self.assertEqual(Client().get("/new-one/")["Location"], "/about/")

    def test_create_a_gone_url(self) -> None:
        self.client.post(ADD, self.form_data(status_code="410"))
        self.assertEqual(Client().get("/new-one/").status_code, 410)

    def test_invalid_input_gets_a_clear_error(self) -> None:
        cases = {
            "javascript": (self.form_data(redirect_link="javascript:alert(1)"), "redirect_link"),
            "no target": (self.form_data(), "redirect_link"),
            "gone with a target": (
                self.form_data(status_code="410", redirect_link="/about/"),
                "status_code",
            ),
            "duplicate": (self.form_data(old_path="/busy/", redirect_link="/x/"), "__all__"),
        }
        for name, (data, field) in cases.items():
            with self.subTest(name):
                response = self.client.post(ADD, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
        self.assertFalse(Redirect.objects.filter(old_path="/new-one").exists())

    def test_edit_shows_and_changes_the_exact_code(self) -> None:
        RedirectDetails.record(self.quiet, status_code=307)
        response = self.client.get(edit_url(self.quiet))
        self.assertEqual(response.context["form"].initial["status_code"], 307)
        data = self.form_data(old_path="/quiet", status_code="301", redirect_page=self.about.pk)
        self.assertEqual(self.client.post(edit_url(self.quiet), data).status_code, 302)
        self.quiet.refresh_from_db()
        self.assertTrue(self.quiet.is_permanent)
        self.assertEqual(self.quiet.details.status_code, 301)
        self.assertEqual(self.quiet.details.origin, Origin.MANUAL)

    def test_an_automatic_redirect_keeps_its_origin_when_edited(self) -> None:
        data = self.form_data(old_path="/moved", redirect_page=self.about.pk)
        self.client.post(edit_url(self.moved), data)
        self.assertEqual(RedirectDetails.objects.get(redirect=self.moved).origin, "automatic")


class TestPermissions(RedirectsAdminTestCase):
    def test_without_redirect_permissions_nothing_is_shown(self) -> None:
        self.client.force_login(make_user("editor"))
        self.assertEqual(self.client.get(INDEX).status_code, 302)  # to the dashboard
        self.assertEqual(
            self.client.post(ADD, self.form_data(redirect_link="/x/")).status_code, 302
        )
        self.assertFalse(Redirect.objects.filter(old_path="/new-one").exists())

    def test_change_permission_cannot_add(self) -> None:
        self.client.force_login(make_user("changer", "change_redirect"))
        self.assertEqual(self.client.get(INDEX).status_code, 200)
        self.assertEqual(self.client.get(ADD).status_code, 302)

    def test_csrf_is_checked(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.superuser)
        response = client.post(ADD, self.form_data(redirect_link="/about/"))
        self.assertEqual(response.status_code, 403)


@pytest.mark.collation
class TestScheduledListingHits(RedirectsAdminTestCase):
    def test_hits_column_sort_and_export(self) -> None:
        from wagtail_redirect_tools import schedule_redirect

        later = datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)
        busy = schedule_redirect("/promo", "/about/", expires_at=later, reason="=cmd|x")
        schedule_redirect("/other", "/about/", expires_at=later)
        type(busy).objects.filter(pk=busy.pk).update(hits=77, last_hit_at=NOW)
        response = self.client.get("/admin/scheduled-redirects/", {"ordering": "-hits"})
        self.assertEqual(response.context["object_list"][0].pk, busy.pk)
        self.assertIn("77", response.content.decode())
        response = self.client.get("/admin/scheduled-redirects/", {"export": "csv"})
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        row = next(row for row in rows if row["from"] == "/promo")
        self.assertEqual((row["hits"], row["reason"]), ("77", "'=cmd|x"))


class TestSiblingListings(RedirectsAdminTestCase):
    """Each listing links to the other in its header, with the search and site carried."""

    def test_both_ways_with_search_and_site(self) -> None:
        query = f"?q=sale&site={self.site.pk}"
        response = self.client.get(INDEX + query)
        self.assertContains(
            response, f'href="/admin/scheduled-redirects/{query.replace("&", "&amp;")}"'
        )
        response = self.client.get("/admin/scheduled-redirects/" + query)
        self.assertContains(response, f'href="{INDEX}{query.replace("&", "&amp;")}"')

    def test_only_for_who_may_open_the_other(self) -> None:
        only_redirects = make_user("editor", "change_redirect")
        client = Client()
        client.force_login(only_redirects)
        response = client.get(INDEX)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'href="/admin/scheduled-redirects/"')
