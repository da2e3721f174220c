"""The "Scheduled redirects" admin and the page action, through Wagtail's real views."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.utils.pages import add_page, fresh_site_tree, make_site
from tests.utils.users import make_user
from tests.utils.windows import INDEX, bulk_url
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect, UserNotificationPreferences

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class AdminTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.shop = make_site("shop.example", add_page(cls.home, "shop"))
        cls.sale = add_page(cls.home, "sale", title="Sale")
        cls.campaign = add_page(cls.home, "campaign", title="Campaign")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        with time_machine.travel(NOW - 10 * DAY, tick=False):
            cls.active = schedule_redirect(
                cls.sale, cls.campaign, expires_at=NOW + 5 * DAY, reason="Winter sale"
            )
            cls.upcoming = schedule_redirect(
                "/black-friday",
                "https://shop.example/bf/",
                starts_at=NOW + 2 * DAY,
                expires_at=NOW + 4 * DAY,
                site=cls.shop,
            )
            cls.expired = schedule_redirect(
                "/autumn",
                "/campaign/",
                expires_at=NOW - DAY,
            )

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.mark.collation
class TestListing(AdminTestCase):
    def test_lists_every_window_with_its_state(self) -> None:
        response = self.client_for(self.superuser).get(INDEX)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for text in ["Sale", "shop.example/black-friday", "/autumn", "Campaign"]:
            self.assertIn(text, html)
        self.assertEqual(html.count('data-window-state="active"'), 1)
        self.assertEqual(html.count('data-window-state="scheduled"'), 1)
        self.assertEqual(html.count('data-window-state="expired"'), 1)

    def test_state_site_and_search_filters(self) -> None:
        client = self.client_for(self.superuser)
        for query, expected in [
            ({"state": "active"}, [self.active]),
            ({"state": "scheduled"}, [self.upcoming]),
            ({"state": "expired"}, [self.expired]),
            ({"site": self.shop.pk}, [self.upcoming]),
            ({"q": "winter"}, [self.active]),
            ({"q": "autumn"}, [self.expired]),
        ]:
            with self.subTest(query=query):
                response = client.get(INDEX, query)
                self.assertEqual(list(response.context["object_list"]), expected)

    def test_sorting_by_start_and_expiry(self) -> None:
        client = self.client_for(self.superuser)
        listed = client.get(INDEX, {"ordering": "-expires_at"}).context["object_list"]
        self.assertEqual(list(listed), [self.active, self.upcoming, self.expired])
        listed = client.get(INDEX, {"ordering": "expires_at"}).context["object_list"]
        self.assertEqual(list(listed), [self.expired, self.upcoming, self.active])
        # "Immediately" (no start) sorts first on every database.
        listed = client.get(INDEX, {"ordering": "starts_at"}).context["object_list"]
        self.assertEqual(list(listed), [self.expired, self.active, self.upcoming])
        listed = client.get(INDEX, {"ordering": "-starts_at"}).context["object_list"]
        self.assertEqual(list(listed), [self.upcoming, self.active, self.expired])

    def test_listing_is_in_the_settings_menu(self) -> None:
        response = self.client_for(self.superuser).get("/admin/")
        self.assertContains(response, "Scheduled redirects")
        self.assertContains(response, INDEX)

    def test_users_without_permission_are_turned_away(self) -> None:
        nobody = make_user("nobody")
        response = self.client_for(nobody).get(INDEX)
        self.assertRedirects(response, "/admin/")
        response = self.client_for(nobody).get(INDEX + "new/")
        self.assertRedirects(response, "/admin/")

    def test_view_permission_lists_without_add_button(self) -> None:
        viewer = make_user("viewer", "view_scheduledredirect")
        response = self.client_for(viewer).get(INDEX)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, INDEX + "new/")

    def test_permissions_appear_in_the_group_editor(self) -> None:
        response = self.client_for(self.superuser).get("/admin/groups/new/")
        for codename in ["add", "change", "delete", "view"]:
            permission = Permission.objects.get(codename=f"{codename}_scheduledredirect")
            self.assertContains(response, f'value="{permission.pk}"')


class TestCreateAndEdit(AdminTestCase):
    def form_data(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "old_path": "/spring",
            "site": "",
            "source_page": "",
            "redirect_page": "",
            "redirect_page_route_path": "",
            "redirect_link": "/campaign/",
            "status_code": "302",
            "starts_at": "2026-12-01 09:00",
            "expires_at": "2026-12-10 18:00",
            "reason": "Spring",
        }
        data.update(overrides)
        return data

    def test_create_reads_times_in_the_editors_time_zone(self) -> None:
        editor = make_user("editor", "add_scheduledredirect", "change_scheduledredirect")
        profile = UserProfile.get_for_user(editor)
        profile.current_time_zone = "America/New_York"
        profile.save()
        response = self.client_for(editor).post(INDEX + "new/", self.form_data())
        self.assertRedirects(response, INDEX)
        window = ScheduledRedirect.objects.get(old_path="/spring")
        self.assertEqual(window.starts_at, datetime.datetime(2026, 12, 1, 14, 0, tzinfo=UTC))
        self.assertEqual(window.expires_at, datetime.datetime(2026, 12, 10, 23, 0, tzinfo=UTC))
        self.assertEqual(window.created_by, editor)
        # ... and shows them back in that zone.
        response = self.client_for(editor).get(INDEX + f"edit/{window.pk}/")
        self.assertContains(response, 'value="2026-12-01 09:00"')

    def test_create_page_window_with_page_choosers(self) -> None:
        data = self.form_data(old_path="", source_page=self.campaign.pk, redirect_link="")
        data["redirect_page"] = self.sale.pk
        response = self.client_for(self.superuser).post(INDEX + "new/", data)
        self.assertRedirects(response, INDEX)
        window = ScheduledRedirect.objects.get(source_page=self.campaign)
        self.assertEqual(window.redirect_page_id, self.sale.pk)

    def test_errors_are_shown_and_nothing_is_saved(self) -> None:
        client = self.client_for(self.superuser)
        for overrides, message in [
            ({"old_path": "/sale", "redirect_link": "javascript:alert(1)"}, "is neither"),
            ({"expires_at": "2026-11-30 09:00"}, "The expiry must be after the start."),
            ({"starts_at": "", "expires_at": "2026-11-20 09:00"}, "must be in the future"),
            ({"old_path": "", "source_page": ""}, "Enter a path to redirect"),
            (
                {"source_page": self.sale.pk, "old_path": "", "starts_at": "2026-11-28 09:00"},
                "overlaps another redirect",
            ),
        ]:
            with self.subTest(overrides=overrides):
                response = client.post(INDEX + "new/", self.form_data(**overrides))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(ScheduledRedirect.objects.count(), 3)

    def test_edit_and_delete(self) -> None:
        client = self.client_for(self.superuser)
        url = INDEX + f"edit/{self.upcoming.pk}/"
        data = self.form_data(
            old_path="/black-friday",
            site=self.shop.pk,
            redirect_link="https://shop.example/bf/",
            starts_at="2026-11-27 00:00",
            expires_at="2026-11-30 00:00",
        )
        self.assertRedirects(client.post(url, data), INDEX)
        self.upcoming.refresh_from_db()
        self.assertEqual(self.upcoming.expires_at, datetime.datetime(2026, 11, 30, tzinfo=UTC))
        response = client.post(INDEX + f"delete/{self.upcoming.pk}/")
        self.assertRedirects(response, INDEX)
        self.assertFalse(ScheduledRedirect.objects.filter(pk=self.upcoming.pk).exists())

    def test_users_who_may_not_change_cannot_edit_or_delete(self) -> None:
        adder = make_user("adder", "add_scheduledredirect")
        client = self.client_for(adder)
        self.assertRedirects(client.get(INDEX + f"edit/{self.active.pk}/"), "/admin/")
        self.assertRedirects(client.post(INDEX + f"delete/{self.active.pk}/"), "/admin/")
        self.assertTrue(ScheduledRedirect.objects.filter(pk=self.active.pk).exists())

    def test_forms_require_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.superuser)
        response = client.post(INDEX + "new/", self.form_data())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ScheduledRedirect.objects.filter(old_path="/spring").exists())


class TestBulkActions(AdminTestCase):
    def test_end_now_ends_active_windows_only(self) -> None:
        client = self.client_for(self.superuser)
        url = bulk_url("end_now", self.active, self.upcoming)
        response = client.get(url)
        self.assertContains(response, "End these redirects now?")
        response = client.post(url)
        self.assertRedirects(response, INDEX)
        self.active.refresh_from_db()
        self.upcoming.refresh_from_db()
        self.assertEqual(self.active.expires_at, NOW)
        self.assertEqual(self.active.state, "expired")
        self.assertIsNotNone(self.active.end_logged_at)
        self.assertEqual(self.upcoming.state, "scheduled")
        self.assertEqual(Client().get("/sale/", HTTP_HOST="localhost").status_code, 200)

    def test_extend_expiry_changes_all_or_none(self) -> None:
        client = self.client_for(self.superuser)
        url = bulk_url("extend_expiry", self.active, self.expired)
        response = client.post(url, {"expires_at": "2026-12-24 18:00"})
        self.assertRedirects(response, INDEX)
        for window in (self.active, self.expired):
            window.refresh_from_db()
            self.assertEqual(window.expires_at, datetime.datetime(2026, 12, 24, 18, tzinfo=UTC))
        self.assertEqual(self.expired.state, "active")

    def test_extend_expiry_reports_an_overlap_and_changes_nothing(self) -> None:
        schedule_redirect("/autumn", "/later/", starts_at=NOW + 20 * DAY, expires_at=NOW + 30 * DAY)
        client = self.client_for(self.superuser)
        url = bulk_url("extend_expiry", self.active, self.expired)
        response = client.post(url, {"expires_at": "2026-12-24 18:00"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "/autumn: This window overlaps another redirect")
        self.active.refresh_from_db()
        self.assertEqual(self.active.expires_at, NOW + 5 * DAY)

    def test_extend_expiry_must_be_in_the_future(self) -> None:
        client = self.client_for(self.superuser)
        response = client.post(
            bulk_url("extend_expiry", self.active), {"expires_at": "2026-11-01 00:00"}
        )
        self.assertContains(response, "The new expiry must be in the future.")

    def test_delete(self) -> None:
        client = self.client_for(self.superuser)
        response = client.post(bulk_url("delete", self.active, self.expired))
        self.assertRedirects(response, INDEX)
        self.assertEqual(list(ScheduledRedirect.objects.all()), [self.upcoming])

    def test_select_all_in_a_filtered_listing_acts_on_that_listing_only(self) -> None:
        # "Select all in listing" sends the listing's filters with id=all.
        client = self.client_for(self.superuser)
        url = reverse(
            "wagtail_bulk_action", args=["wagtail_redirect_tools", "scheduledredirect", "delete"]
        )
        response = client.post(f"{url}?site={self.shop.pk}&id=all&next={INDEX}")
        self.assertRedirects(response, INDEX)
        self.assertEqual(set(ScheduledRedirect.objects.all()), {self.active, self.expired})
        response = client.get(f"{url}?q=autumn&id=all&next={INDEX}")
        self.assertEqual([item["item"] for item in response.context["items"]], [self.expired])

    def test_users_without_change_permission_change_nothing(self) -> None:
        viewer = make_user("viewer", "view_scheduledredirect")
        client = self.client_for(viewer)
        response = client.get(bulk_url("end_now", self.active))
        self.assertRedirects(response, "/admin/")  # refused before any window is named
        client.post(bulk_url("end_now", self.active))
        self.active.refresh_from_db()
        self.assertEqual(self.active.state, "active")


class TestPageAction(AdminTestCase):
    def page_url(self, page: Any) -> str:
        return f"/admin/redirect-tools/pages/{page.pk}/redirect-temporarily/"

    def test_editor_redirects_a_page_temporarily(self) -> None:
        editor = make_user("editor", "add_scheduledredirect", page=self.home)
        client = self.client_for(editor)
        response = client.get(self.page_url(self.campaign))
        self.assertEqual(response.status_code, 200)
        response = client.post(
            self.page_url(self.campaign),
            {
                "redirect_link": "https://shop.example/xmas/",
                "status_code": "307",
                "starts_at": "",
                "expires_at": "2026-12-26 00:00",
                "reason": "Christmas",
            },
        )
        self.assertRedirects(response, f"/admin/pages/{self.campaign.pk}/edit/")
        window = ScheduledRedirect.objects.get(source_page=self.campaign)
        self.assertEqual((window.status_code, window.created_by), (307, editor))
        response = Client().get("/campaign/", HTTP_HOST="localhost")
        self.assertEqual(
            (response.status_code, response["Location"]), (307, "https://shop.example/xmas/")
        )

    def test_page_action_shows_existing_windows_and_validation(self) -> None:
        client = self.client_for(self.superuser)
        response = client.get(self.page_url(self.sale))
        self.assertContains(response, "Current and upcoming windows of this page")
        response = client.post(
            self.page_url(self.sale),
            {"redirect_link": "/other/", "status_code": "302", "expires_at": "2026-12-01 00:00"},
        )
        self.assertContains(response, "overlaps another redirect")

    def test_needs_add_permission_and_page_edit_rights(self) -> None:
        no_model_permission = make_user("pages-only", page=self.home)
        no_page_rights = make_user("model-only", "add_scheduledredirect")
        for user in (no_model_permission, no_page_rights):
            with self.subTest(user=user.username):
                client = self.client_for(user)
                # Wagtail answers a permission denial with its dashboard and a message.
                self.assertRedirects(client.get(self.page_url(self.campaign)), "/admin/")
                response = client.post(
                    self.page_url(self.campaign),
                    {
                        "redirect_link": "/x/",
                        "status_code": "302",
                        "expires_at": "2026-12-26 00:00",
                    },
                )
                self.assertRedirects(response, "/admin/")
        self.assertFalse(ScheduledRedirect.objects.filter(source_page=self.campaign).exists())

    def test_page_editor_shows_the_action_and_the_current_window(self) -> None:
        response = self.client_for(self.superuser).get(f"/admin/pages/{self.sale.pk}/edit/")
        self.assertContains(response, "Redirect temporarily…")
        self.assertContains(response, "Redirected until")
        self.assertContains(response, self.page_url(self.sale))

    def test_page_listing_shows_which_pages_are_redirected(self) -> None:
        response = self.client_for(self.superuser).get(f"/admin/pages/{self.home.pk}/")
        html = response.content.decode()
        self.assertEqual(html.count("data-page-window-status"), 1)
        self.assertIn("Redirected until", html)
        # Every page's "More" menu offers the action.
        self.assertIn(self.page_url(self.campaign), html)

    def test_page_listing_costs_no_query_per_page_for_window_status(self) -> None:
        client = self.client_for(self.superuser)

        def window_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/admin/pages/{self.home.pk}/")
            self.assertEqual(response.status_code, 200)
            return sum("scheduledredirect" in q["sql"] for q in queries.captured_queries)

        with_one = window_queries()
        for index in range(5):
            schedule_redirect(add_page(self.home, f"extra-{index}"), "/x/", expires_at=NOW + DAY)
        self.assertEqual(window_queries(), with_one)
        html = client.get(f"/admin/pages/{self.home.pk}/").content.decode()
        self.assertEqual(html.count("data-page-window-status"), 6)


class TestAccountSettings(AdminTestCase):
    def test_editor_can_turn_expiry_notices_off(self) -> None:
        editor = make_user("editor")
        # Required by the account form:
        editor.first_name, editor.last_name, editor.email = "Ed", "Itor", "ed@example.com"
        editor.save()
        client = self.client_for(editor)
        response = client.get("/admin/account/")
        self.assertContains(response, "Scheduled redirect expiry notices")
        self.assertTrue(UserNotificationPreferences.wants_expiry_notices(editor))
        # Submit the whole account form as the browser would, with our box unticked.
        data = {}
        for panel_form in response.context["panels_by_tab"].values():
            for panel in panel_form:
                for field in panel.get_form():
                    value = field.value()
                    if isinstance(value, str | int | list) and value is not False:
                        data[field.html_name] = value
        data.pop("redirect_notices-expiry_notices")
        response = client.post("/admin/account/", data)
        self.assertRedirects(response, "/admin/account/")
        self.assertFalse(UserNotificationPreferences.wants_expiry_notices(editor))
