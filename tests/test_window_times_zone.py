"""Every window time in a message names its zone, the editor's (issue 32, item 7): an
editor in Berlin reads "10:00 CET" in winter and "14:00 CEST" after the clocks change."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase
from wagtail.users.models import UserProfile

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools import schedule_redirect

UTC = datetime.UTC
NOW = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
ADD = "/admin/scheduled-redirects/new/"


@time_machine.travel(NOW, tick=False)
class TestOverlapMessage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.editor = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        profile = UserProfile.get_for_user(cls.editor)
        profile.current_time_zone = "Europe/Berlin"
        profile.save()
        # Across the change to summer time (28 March 2027 in Europe).
        schedule_redirect(
            "/spring",
            "/offers/",
            starts_at=datetime.datetime(2027, 3, 20, 9, 0, tzinfo=UTC),
            expires_at=datetime.datetime(2027, 4, 2, 12, 0, tzinfo=UTC),
        )

    def form_data(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "old_path": "/spring",
            "site": "",
            "source_page": "",
            "redirect_page": "",
            "redirect_page_route_path": "",
            "redirect_link": "/later/",
            "status_code": "302",
            "starts_at": "2027-03-25 09:00",
            "expires_at": "2027-03-30 18:00",
            "reason": "",
        }
        data.update(overrides)
        return data

    def test_the_overlap_error_names_the_zone_of_each_time(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(ADD, self.form_data())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "(2027-03-20 10:00 CET to 2027-04-02 14:00 CEST)", html=False)
