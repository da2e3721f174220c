"""Ending a window early, from every place an editor meets it: the window's edit screen,
its row's ⋯ menu on the Scheduled redirects listing, the page's "Redirect temporarily"
screen and the page editor's banner. All use the bulk action's ``end_windows``."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect
from wagtail_redirect_tools.scheduling.transitions import ACTION_ENDED

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)
INDEX = "/admin/scheduled-redirects/"


def end_url(window: ScheduledRedirect) -> str:
    return reverse("wagtail_redirect_tools:end_window", args=[window.pk])


@time_machine.travel(NOW, tick=False)
class EndNowTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.sale = add_page(cls.home, "sale", title="Sale")
        cls.campaign = add_page(cls.home, "campaign", title="Campaign")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        with time_machine.travel(NOW - 10 * DAY, tick=False):
            cls.active = schedule_redirect(cls.sale, cls.campaign, expires_at=NOW + 5 * DAY)
            cls.upcoming = schedule_redirect(
                "/black-friday", "/campaign/", starts_at=NOW + 2 * DAY, expires_at=NOW + 4 * DAY
            )

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def assert_ended(self, window: ScheduledRedirect, user: Any) -> None:
        window.refresh_from_db()
        self.assertEqual((window.expires_at, window.state), (NOW, "expired"))
        entry = ModelLogEntry.objects.get(action=ACTION_ENDED, object_id=str(window.pk))
        self.assertEqual(entry.user, user)
        self.assertEqual(Client().get("/sale/", HTTP_HOST="localhost").status_code, 200)


class TestEndNowScreen(EndNowTestCase):
    def test_asks_first_then_ends_the_window_and_logs_it(self) -> None:
        client = self.client_for(self.superuser)
        self.assertEqual(Client().get("/sale/", HTTP_HOST="localhost").status_code, 302)
        response = client.get(end_url(self.active))
        self.assertContains(response, "End this redirect now?")
        self.assertContains(response, "Yes, end now")
        self.active.refresh_from_db()
        self.assertEqual(self.active.state, "active")  # a GET changes nothing

        response = client.post(end_url(self.active))
        edit = INDEX + f"edit/{self.active.pk}/"
        self.assertRedirects(response, edit, fetch_redirect_response=False)
        self.assert_ended(self.active, self.superuser)
        # In the page's own history too, like every other end.
        self.assertTrue(PageLogEntry.objects.filter(action=ACTION_ENDED, page=self.sale).exists())
        self.assertContains(client.get(edit), "The redirect from Sale ended")

    def test_goes_back_to_a_safe_next_url(self) -> None:
        client = self.client_for(self.superuser)
        page_edit = f"/admin/pages/{self.sale.pk}/edit/"
        response = client.post(end_url(self.active) + f"?next={page_edit}")
        self.assertRedirects(response, page_edit, fetch_redirect_response=False)
        self.active.refresh_from_db()
        response = client.post(end_url(self.upcoming) + "?next=https://evil.example/")
        self.assertRedirects(response, INDEX + f"edit/{self.upcoming.pk}/")

    def test_a_window_that_is_not_active_is_left_as_it_is(self) -> None:
        client = self.client_for(self.superuser)
        response = client.get(end_url(self.upcoming))
        self.assertContains(response, "not active")
        self.assertNotContains(response, "Yes, end now")
        client.post(end_url(self.upcoming))
        self.upcoming.refresh_from_db()
        self.assertEqual(self.upcoming.expires_at, NOW + 4 * DAY)

    def test_needs_the_change_permission(self) -> None:
        for user in (make_user("viewer", "view_scheduledredirect"), make_user("nobody")):
            with self.subTest(user=user.username):
                client = self.client_for(user)
                self.assertRedirects(client.get(end_url(self.active)), "/admin/")
                self.assertRedirects(client.post(end_url(self.active)), "/admin/")
        self.active.refresh_from_db()
        self.assertEqual(self.active.state, "active")
        # The active window is on a page: ending it also needs edit rights on the page
        # (issue 29, item 11; tests/test_window_page_rights.py).
        editor = make_user("editor", "change_scheduledredirect", page=self.home)
        self.client_for(editor).post(end_url(self.active))
        self.assert_ended(self.active, editor)

    def test_says_what_visitors_and_a_cdn_see_as_the_settings_tell(self) -> None:
        # Issue 28, item 7: "at once" is true for browsers (a window's answer is kept by
        # none); a CDN may keep it TEMPORARY_MAX_AGE seconds unless the site purges it.
        purging = {
            "default": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": "http://127.0.0.1:9/",
            }
        }
        bulk = reverse(
            "wagtail_bulk_action", args=["wagtail_redirect_tools", "scheduledredirect", "end_now"]
        )
        screens = {
            "End now screen": end_url(self.active),
            "bulk action": bulk + f"?id={self.active.pk}",
        }
        cases = [
            (
                {},
                "again at once; a CDN or caching proxy in front of the site may keep sending "
                "them to the target for up to 60 seconds.",
            ),
            ({"WAGTAIL_REDIRECT_TOOLS_TEMPORARY_MAX_AGE": 1}, "for up to 1 second."),
            ({"WAGTAIL_REDIRECT_TOOLS_TEMPORARY_MAX_AGE": 0}, "again at once.</p>"),
            (
                {"WAGTAILFRONTENDCACHE": purging},
                "at once; its URLs are purged from the front-end cache",
            ),
        ]
        client = self.client_for(self.superuser)
        for settings, said in cases:
            for screen, url in screens.items():
                with self.subTest(screen, settings=settings), self.settings(**settings):
                    response = client.get(url)
                    self.assertContains(response, "Visitors see the original page or path")
                    self.assertContains(response, said)
                    if settings:
                        self.assertNotContains(response, "60 seconds")

    def test_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.superuser)
        self.assertEqual(client.post(end_url(self.active)).status_code, 403)
        self.active.refresh_from_db()
        self.assertEqual(self.active.state, "active")


class TestEntryPoints(EndNowTestCase):
    def test_edit_screen_offers_end_now_for_an_active_window_only(self) -> None:
        client = self.client_for(self.superuser)
        response = client.get(INDEX + f"edit/{self.active.pk}/")
        self.assertContains(response, end_url(self.active))
        self.assertContains(response, "End now")
        response = client.get(INDEX + f"edit/{self.upcoming.pk}/")
        self.assertNotContains(response, end_url(self.upcoming))

    def test_listing_rows_more_menu_offers_end_now_for_active_windows(self) -> None:
        response = self.client_for(self.superuser).get(INDEX)
        html = response.content.decode()
        self.assertIn(end_url(self.active) + "?next=", html)
        self.assertNotIn(end_url(self.upcoming), html)
        viewer = make_user("viewer", "view_scheduledredirect")
        html = self.client_for(viewer).get(INDEX).content.decode()
        self.assertNotIn(end_url(self.active), html)

    def test_page_window_screen_ends_the_active_window(self) -> None:
        client = self.client_for(self.superuser)
        screen = reverse("wagtail_redirect_tools:page_window", args=[self.sale.pk])
        response = client.get(screen)
        self.assertContains(response, f'href="{end_url(self.active)}?next=')
        self.assertContains(response, "End now")
        response = client.post(end_url(self.active) + f"?next={screen}")
        self.assertRedirects(response, screen)
        self.assert_ended(self.active, self.superuser)
        response = client.get(screen)
        self.assertNotContains(response, end_url(self.active))

    def test_page_banner_offers_end_now_for_an_active_window(self) -> None:
        client = self.client_for(self.superuser)
        page_edit = f"/admin/pages/{self.sale.pk}/edit/"
        response = client.get(page_edit)
        self.assertContains(response, "Redirected until")
        self.assertContains(response, end_url(self.active) + "?next=")
        response = client.post(end_url(self.active) + f"?next={page_edit}")
        self.assertRedirects(response, page_edit)
        self.assertNotContains(client.get(page_edit), "Redirected until")

    def test_banner_shows_no_end_now_without_the_change_permission(self) -> None:
        editor = make_user("page-editor", "add_scheduledredirect", page=self.home)
        response = self.client_for(editor).get(f"/admin/pages/{self.sale.pk}/edit/")
        self.assertContains(response, "Redirected until")
        self.assertNotContains(response, end_url(self.active))
