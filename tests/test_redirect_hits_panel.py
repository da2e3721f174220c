"""Where Wagtail says "Used 0 times" (references in its usage count), a redirect's
screens show how often it was followed (issue 16): its hits and last hit, with the
references named as such."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.models import RedirectDetails

LAST_HIT = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC)


class TestHitsOnRedirectScreens(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        cls.redirect = Redirect.objects.create(
            old_path="/summer-fair", site=cls.site, redirect_link="/events/"
        )
        details = RedirectDetails.record(cls.redirect, status_code=301)
        details.hits = 12
        details.last_hit_at = LAST_HIT
        details.save()
        cls.unused = Redirect.objects.create(old_path="/never-hit", redirect_link="/x/")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def test_edit_side_panel_shows_hits_not_used_0_times(self) -> None:
        response = self.client.get(
            reverse("redirect_tools_redirects:edit", args=[self.redirect.pk])
        )
        html = response.content.decode()
        self.assertIn("Followed 12 times", html)
        self.assertRegex(html, r"Followed 12 times, last on Nov\.? 28, 2026")
        self.assertNotIn("Used 0 times", html)
        self.assertIn("Referenced 0 times", html)

    def test_a_redirect_never_followed_says_so(self) -> None:
        response = self.client.get(reverse("redirect_tools_redirects:edit", args=[self.unused.pk]))
        self.assertContains(response, "Never followed")

    def test_delete_screen_says_how_often_it_was_followed(self) -> None:
        response = self.client.get(
            reverse("redirect_tools_redirects:delete", args=[self.redirect.pk])
        )
        self.assertContains(response, "Followed 12 times")
        self.assertContains(response, "Are you sure you want to delete this redirect?")
