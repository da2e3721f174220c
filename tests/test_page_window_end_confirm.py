"""End now on the page's "Redirect temporarily" screen asks first, as the page editor's
banner does (issue 32, item 7): it opens the same confirmation screen, and only its
"Yes, end now" ends the window."""

from __future__ import annotations

import datetime
import html
import re

import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class TestEndNowAsksFirst(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.sale = add_page(cls.home, "sale", title="Sale")
        cls.campaign = add_page(cls.home, "campaign", title="Campaign")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        with time_machine.travel(NOW - DAY, tick=False):
            cls.window = schedule_redirect(cls.sale, cls.campaign, expires_at=NOW + 5 * DAY)

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def end_now_links(self, page: str) -> list[str]:
        """Where each "End now" on ``page`` leads, as a link (a form posting at once is
        not a link)."""
        return [
            html.unescape(href)
            for href in re.findall(r'<a href="([^"]*)"[^>]*>\s*End now\s*</a>', page)
        ]

    def test_the_screen_links_to_the_banners_confirmation(self) -> None:
        screen = reverse("wagtail_redirect_tools:page_window", args=[self.sale.pk])
        page = self.client.get(screen).content.decode()
        self.assertNotRegex(page, r'<form action="[^"]*/end-now/[^"]*" method="POST"')
        [link] = self.end_now_links(page)
        end_url = reverse("wagtail_redirect_tools:end_window", args=[self.window.pk])
        self.assertTrue(link.startswith(end_url + "?next="), link)
        confirmation = self.client.get(link)
        self.assertContains(confirmation, "Yes, end now")
        self.window.refresh_from_db()
        self.assertEqual(self.window.state, "active")
        response = self.client.post(link)
        self.assertRedirects(response, screen)
        self.window.refresh_from_db()
        self.assertEqual(self.window.state, "expired")
