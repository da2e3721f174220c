"""A bulk action's confirmation screen is refused, before it names any window, to a
user without the action's permission on scheduled redirects."""

from __future__ import annotations

import datetime

import time_machine
from django.test import Client, TestCase
from django.urls import reverse

from tests.utils.pages import fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)


def confirm_url(action: str, pk: int) -> str:
    url = reverse(
        "wagtail_bulk_action", args=["wagtail_redirect_tools", "scheduledredirect", action]
    )
    return f"{url}?id={pk}"


@time_machine.travel(NOW, tick=False)
class TestBulkActionPermissions(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        with time_machine.travel(NOW, tick=False):
            cls.window = schedule_redirect(
                "/secret-campaign-2027", "/news/", expires_at=NOW + datetime.timedelta(days=3)
            )

    def get(self, user: object, action: str) -> object:
        client = Client()
        client.force_login(user)
        return client.get(confirm_url(action, self.window.pk))

    def test_admin_access_alone_sees_nothing(self) -> None:
        user = make_user("visitor")
        for action in ("end_now", "extend_expiry", "delete"):
            with self.subTest(action):
                response = self.get(user, action)
                self.assertNotEqual(response.status_code, 200)  # type: ignore[attr-defined]
                self.assertNotIn(b"secret-campaign", response.content)  # type: ignore[attr-defined]

    def test_change_permission_does_not_open_delete(self) -> None:
        user = make_user("changer", "change_scheduledredirect")
        response = self.get(user, "end_now")
        self.assertEqual(response.status_code, 200)  # type: ignore[attr-defined]
        self.assertContains(response, "/secret-campaign-2027")  # type: ignore[arg-type]
        self.assertNotIn(b"secret-campaign", self.get(user, "delete").content)  # type: ignore[attr-defined]
