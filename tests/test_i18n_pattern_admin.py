"""Pattern redirects in the admin on the multilingual test site (issue 33 with issue 30):
a prefix under a language's prefix warns of that language's pages, at the paths they are
served at."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Site

from tests.utils.i18n_site import build_site

pytestmark = pytest.mark.i18n

PREVIEW = reverse("redirect_tools_redirects:pattern_preview")


class TestLivePagesUnderALanguagesPrefix(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_site()
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def covered(self, path: str) -> dict[str, object]:
        site = Site.objects.get()
        return self.client.get(
            PREVIEW, {"match": "prefix", "old_path": path, "site": site.pk, "redirect_link": "/x/"}
        ).json()

    def test_the_welsh_services_and_their_paths(self) -> None:
        answer = self.covered("/cy/gwasanaethau")
        self.assertEqual(answer["live_pages"], 2)
        self.assertIn("/cy/gwasanaethau/biniau/", answer["html"])

    def test_a_pattern_over_every_languages_section(self) -> None:
        english = self.tree.page("en", "bins").url  # wherever English is served
        answer = self.client.get(
            PREVIEW,
            {"match": "pattern", "old_path": "/:language/gwasanaethau/:slug", "site": ""},
        ).json()
        self.assertEqual(answer["live_pages"], 1)
        self.assertIn("/cy/gwasanaethau/biniau/", answer["html"])
        self.assertNotIn(english, answer["html"])
