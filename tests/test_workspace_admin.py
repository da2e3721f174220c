"""The editor's redirect workspace (issue 16), through Django's test client: the import
screen's template buttons and the Redirects listing's columns and sorting."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree

UPLOAD = reverse("wagtail_redirect_tools:import")


class TestImportTemplateButtons(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def test_each_template_is_a_small_button_with_an_icon_sized_by_wagtail(self) -> None:
        self.client.force_login(self.superuser)
        html = self.client.get(UPLOAD).content.decode()
        links = re.findall(r"<a [^>]*href=\"[^\"]*/template\.(?:csv|xlsx)\"[^>]*>.*?</a>", html, re.S)
        self.assertEqual(len(links), 2)
        for link in links:
            # Wagtail sizes an icon inside a button only for ``button--icon`` (1em square);
            # without it the SVG takes the browser's default 300x150.
            self.assertRegex(link, r'class="button button-small button-secondary button--icon"')
            self.assertIn("icon-download", link)
        self.assertIn(">CSV</a>", html.replace("\n", ""))
