"""The page's "Redirect temporarily" screen has Wagtail's admin header (title, page as
subtitle) from WagtailAdminTemplateMixin."""

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
        self.assertContains(response, '<span class="w-header__subtitle">Campaign</span>')
