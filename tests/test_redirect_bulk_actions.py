"""Bulk actions on the Redirects listing (issue 16): delete, change status code and
export selected, through Wagtail's bulk-action views and the listing's own checkboxes."""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.models import RedirectDetails

INDEX = reverse("redirect_tools_redirects:index")


def answer(path: str) -> int:
    """What a visitor requesting ``path`` gets (with a slash, so that Django's
    APPEND_SLASH does not answer first)."""
    return Client().get(path + "/").status_code


def action_url(action: str, *redirects: Redirect, next_url: str = INDEX) -> str:
    url = reverse("wagtail_bulk_action", args=["wagtailredirects", "redirect", action])
    ids = "&".join(f"id={redirect.pk}" for redirect in redirects)
    return f"{url}?next={next_url}&{ids}"


class BulkActionTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.news = add_page(cls.home, "news")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        cls.to_link = Redirect.objects.create(
            old_path="/bulk-old-offers", site=cls.site, redirect_link="/offers/"
        )
        cls.to_page = Redirect.objects.create(
            old_path="/bulk-old-news", site=cls.site, redirect_page=cls.news
        )
        cls.gone = Redirect.objects.create(old_path="/bulk-gone", site=cls.site, redirect_link="")
        RedirectDetails.record(cls.gone, status_code=410)
        cls.untouched = Redirect.objects.create(
            old_path="/bulk-untouched", site=cls.site, redirect_link="/x/"
        )

    def setUp(self) -> None:
        self.client.force_login(self.superuser)


class TestListingOffersBulkActions(BulkActionTestCase):
    def test_each_row_has_a_checkbox_and_the_bar_offers_the_three_actions(self) -> None:
        html = self.client.get(INDEX).content.decode()
        self.assertIn(f'data-object-id="{self.to_link.pk}" data-bulk-action-checkbox', html)
        for action in ("delete", "change_status", "export_selected"):
            with self.subTest(action):
                url = reverse("wagtail_bulk_action", args=["wagtailredirects", "redirect", action])
                self.assertIn(url, html)
        self.assertIn("wagtailadmin/js/bulk-actions.js", html)


class TestDelete(BulkActionTestCase):
    def test_confirmation_names_the_redirects_then_deletes_only_them(self) -> None:
        url = action_url("delete", self.to_link, self.to_page)
        response = self.client.get(url)
        self.assertContains(response, "/bulk-old-offers")
        self.assertContains(response, "/bulk-old-news")
        self.assertNotContains(response, "/bulk-untouched")

        response = self.client.post(url)
        self.assertRedirects(response, INDEX)
        remaining = set(Redirect.objects.values_list("old_path", flat=True))
        self.assertEqual(remaining, {"/bulk-gone", "/bulk-untouched"})
        self.assertEqual(
            ModelLogEntry.objects.filter(action="wagtail.delete").count(), 2
        )  # audit log, as Wagtail's own delete view writes
        self.assertEqual(answer("/bulk-old-offers"), 404)


class TestChangeStatus(BulkActionTestCase):
    def test_the_form_offers_every_code(self) -> None:
        response = self.client.get(action_url("change_status", self.to_link))
        self.assertContains(response, "/bulk-old-offers")
        codes = [code for code, _label in response.context["form"].fields["status_code"].choices]
        self.assertEqual(codes, [301, 302, 307, 308, 410])

    def test_new_code_is_stored_kept_in_step_with_core_and_logged(self) -> None:
        self.assertEqual(
            answer("/bulk-old-offers"), 301
        )  # remembered, so the change must be noticed
        response = self.client.post(
            action_url("change_status", self.to_link, self.to_page), {"status_code": "307"}
        )
        self.assertRedirects(response, INDEX)
        for redirect in (self.to_link, self.to_page):
            redirect.refresh_from_db()
            self.assertEqual(RedirectDetails.effective_status_code(redirect), 307)
            self.assertFalse(redirect.is_permanent)
        self.assertEqual(answer("/bulk-old-offers"), 307)
        entries = ModelLogEntry.objects.filter(action="wagtail_redirect_tools.change_status")
        self.assertEqual(entries.count(), 2)
        entry = entries.get(object_id=str(self.to_link.pk))
        self.assertEqual(entry.data["status_code"], {"from": 301, "to": 307})
        self.assertEqual(entry.user, self.superuser)
        messages = [str(m).strip() for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
        self.assertIn("2 redirects now answer with 307.", messages)

    def test_410_clears_the_target(self) -> None:
        self.client.post(
            action_url("change_status", self.to_link, self.to_page), {"status_code": "410"}
        )
        for redirect in (self.to_link, self.to_page):
            redirect.refresh_from_db()
            self.assertIsNone(redirect.redirect_page_id)
            self.assertEqual(redirect.redirect_link, "")
            self.assertEqual(RedirectDetails.effective_status_code(redirect), 410)
        self.assertEqual(answer("/bulk-old-news"), 410)

    def test_a_gone_redirect_has_no_target_to_redirect_to_and_is_left_alone(self) -> None:
        response = self.client.post(
            action_url("change_status", self.gone, self.to_link), {"status_code": "301"}
        )
        self.gone.refresh_from_db()
        self.assertEqual(RedirectDetails.effective_status_code(self.gone), 410)
        messages = [str(m).strip() for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
        self.assertIn("1 redirect now answers with 301.", messages)
        self.assertTrue(any("/bulk-gone" in message for message in messages), messages)

    def test_an_unknown_code_is_refused(self) -> None:
        response = self.client.post(
            action_url("change_status", self.to_link), {"status_code": "303"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.to_link.refresh_from_db()
        self.assertEqual(RedirectDetails.effective_status_code(self.to_link), 301)


def read_csv(content: bytes) -> list[dict[str, Any]]:
    assert content.startswith(codecs.BOM_UTF8)  # for Excel, like the listing's own export
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


class TestExportSelected(BulkActionTestCase):
    def test_csv_of_just_the_selected_rows(self) -> None:
        url = action_url("export_selected", self.to_link, self.gone)
        self.assertContains(self.client.get(url), "/bulk-old-offers")
        response = self.client.post(url, {"format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('filename="redirects.csv"', response["Content-Disposition"])
        rows = read_csv(response.content)
        self.assertEqual([row["from"] for row in rows], ["/bulk-gone", "/bulk-old-offers"])
        self.assertEqual(rows[0]["type"], "410")

    def test_xlsx(self) -> None:
        response = self.client.post(
            action_url("export_selected", self.to_link, self.to_page), {"format": "xlsx"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        self.assertIn('filename="redirects.xlsx"', response["Content-Disposition"])


class TestPermissions(BulkActionTestCase):
    def get(self, user: Any, action: str) -> Any:
        self.client.force_login(user)
        return self.client.get(action_url(action, self.to_link))

    def test_admin_access_alone_opens_none(self) -> None:
        user = make_user("visitor")
        for action in ("delete", "change_status", "export_selected"):
            with self.subTest(action):
                response = self.get(user, action)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(b"bulk-old-offers", response.content)

    def test_each_action_needs_its_own_permission(self) -> None:
        table = {
            "add_redirect": {"export_selected"},
            "change_redirect": {"change_status", "export_selected"},
            "delete_redirect": {"delete", "export_selected"},
        }
        for codename, allowed in table.items():
            user = make_user(f"only-{codename}", codename)
            for action in ("delete", "change_status", "export_selected"):
                with self.subTest(codename=codename, action=action):
                    response = self.get(user, action)
                    self.assertEqual(response.status_code == 200, action in allowed)

    def test_post_is_refused_too(self) -> None:
        self.client.force_login(make_user("changer", "change_redirect"))
        response = self.client.post(action_url("delete", self.to_link))
        self.assertNotEqual(response.status_code, 200)  # Wagtail: back to the dashboard
        self.assertTrue(Redirect.objects.filter(pk=self.to_link.pk).exists())


class TestSelectAllInListing(BulkActionTestCase):
    """ "Select all in listing" sends the listing's own query (search and filters) with
    ``id=all``: the action applies to exactly the rows that listing has."""

    def all_url(self, action: str, **listing: str) -> str:
        url = reverse("wagtail_bulk_action", args=["wagtailredirects", "redirect", action])
        query = "&".join(f"{name}={value}" for name, value in listing.items())
        return f"{url}?{query}&id=all&next={INDEX}"

    def test_delete_all_of_a_filtered_listing_deletes_only_those(self) -> None:
        response = self.client.post(self.all_url("delete", target_page=str(self.news.pk)))
        self.assertRedirects(response, INDEX)
        self.assertFalse(Redirect.objects.filter(pk=self.to_page.pk).exists())
        self.assertEqual(Redirect.objects.count(), 3)

    def test_searched_listing(self) -> None:
        response = self.client.get(self.all_url("change_status", q="bulk-old"))
        listed = {item["item"].old_path for item in response.context["items"]}
        self.assertEqual(listed, {"/bulk-old-offers", "/bulk-old-news"})

    def test_unfiltered_listing_is_everything(self) -> None:
        response = self.client.get(self.all_url("export_selected"))
        self.assertEqual(len(response.context["items"]), 4)
