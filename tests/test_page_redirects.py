"""A page's redirects (issue 16): the page header's "more" menu leads to a screen of the
redirects and windows pointing at the page and those from its URL, with "Add redirect to
this page" (our add form with the page filled in) and a link to the listing's Target
page filter. Wagtail 7.4 and 8 have no hook for page side panels, so this is a screen."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect

LATER = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)


class TestPageRedirects(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.services = add_page(cls.home, "services", title="Services")
        cls.other = add_page(cls.home, "other")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        Redirect.objects.create(old_path="/our-services", site=cls.site, redirect_page=cls.services)
        Redirect.objects.create(old_path="/what-we-do", redirect_page=cls.services)
        Redirect.objects.create(old_path="/services-mentioned", redirect_page=cls.other)
        Redirect.objects.create(old_path="/services", site=cls.site, redirect_link="/other/")
        schedule_redirect("/winter-services", cls.services, expires_at=LATER)
        schedule_redirect(cls.services, "/closed-for-winter/", expires_at=LATER)

    def url(self, page: object = None) -> str:
        page = page or self.services
        return reverse("redirect_tools_workspace:page_redirects", args=[page.pk])  # type: ignore[attr-defined]

    def test_header_more_menu_leads_there_with_the_count(self) -> None:
        self.client.force_login(self.superuser)
        html = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.services.pk])).content
        self.assertIn(self.url().encode(), html)
        self.assertIn(b"Redirects to this page (2)", html)

    def test_lists_what_points_at_the_page_and_what_leaves_from_it(self) -> None:
        self.client.force_login(self.superuser)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertRegex(html, r"The page <a [^>]*>Services</a> \(/services/\)")
        self.assertIn("/our-services", html)
        self.assertIn("/what-we-do", html)
        self.assertNotIn("/services-mentioned", html)
        self.assertIn("/services", html)  # from the page's own URL
        self.assertIn("/winter-services", html)  # a window to the page
        self.assertIn("/closed-for-winter/", html)  # a window from the page
        listing = reverse("redirect_tools_redirects:index")
        self.assertIn(f"{listing}?target_page={self.services.pk}", html)
        add = reverse("redirect_tools_redirects:add")
        self.assertIn(f"{add}?redirect_page={self.services.pk}", html)

    def test_add_redirect_to_this_page_is_prefilled(self) -> None:
        self.client.force_login(self.superuser)
        add = reverse("redirect_tools_redirects:add")
        response = self.client.get(add, {"redirect_page": self.services.pk})
        self.assertEqual(response.context["form"].initial.get("redirect_page"), self.services.pk)
        self.assertContains(response, f'name="redirect_page" value="{self.services.pk}"')

    def test_refused_without_redirect_permissions(self) -> None:
        self.client.force_login(make_user("reader", page=self.home))
        self.assertNotEqual(self.client.get(self.url()).status_code, 200)
        html = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.services.pk])).content
        self.assertNotIn(self.url().encode(), html)
