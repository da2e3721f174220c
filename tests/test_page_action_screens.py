"""The page's "Redirect temporarily" screen has Wagtail's admin header (title, and
breadcrumbs through the page tree to the page) from WagtailAdminTemplateMixin."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from tests.utils.pages import add_page, fresh_site_tree


class TestPageWindowScreen(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        _site, home = fresh_site_tree("localhost")
        cls.page = add_page(home, "campaign", title="Campaign")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def test_title_and_header(self) -> None:
        self.client.force_login(self.superuser)
        url = reverse("wagtail_redirect_tools:page_window", args=[self.page.pk])
        self.assertEqual(url, f"/admin/redirect-tools/pages/{self.page.pk}/redirect-temporarily/")
        response = self.client.get(url)
        self.assertEqual(response.context["header_title"], "Redirect temporarily: Campaign")
        self.assertContains(response, "<title>Redirect temporarily: Campaign")
        # The page is named in the breadcrumbs (below), as on Wagtail's page action screens.

    def test_breadcrumbs_lead_through_the_pages_to_the_screen(self) -> None:
        self.client.force_login(self.superuser)
        url = reverse("wagtail_redirect_tools:page_window", args=[self.page.pk])
        response = self.client.get(url)
        items = response.context["breadcrumbs_items"]
        labels = [str(item["label"]) for item in items]
        self.assertEqual(labels[-2:], ["Campaign", "Redirect temporarily"])
        self.assertIn("Home", labels)
        urls = [item["url"] for item in items]
        self.assertIn(reverse("wagtailadmin_explore", args=[self.page.pk]), urls)
        self.assertIn(reverse("wagtailadmin_explore_root"), urls)
        html = response.content.decode()
        self.assertIn("w-breadcrumbs", html)
        self.assertIn(f'href="{reverse("wagtailadmin_explore", args=[self.page.pk])}"', html)
