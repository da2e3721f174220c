"""The Redirects listing's "Target page" filter (a page chooser) and its "target is
unpublished or deleted" filter (issue 16): what points at a page, not what mentions it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.models import RedirectDetails

INDEX = reverse("redirect_tools_redirects:index")


class TestTargetFilters(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.services = add_page(cls.home, "services", title="Services")
        cls.old_services = add_page(cls.home, "services-2019", title="Services 2019")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        cls.to_services = Redirect.objects.create(
            old_path="/our-services", site=cls.site, redirect_page=cls.services
        )
        cls.to_services_too = Redirect.objects.create(
            old_path="/what-we-do", site=None, redirect_page=cls.services
        )
        # Mentions "services" but points elsewhere: a title search would find these.
        cls.mentions = Redirect.objects.create(
            old_path="/services-old", site=cls.site, redirect_page=cls.old_services
        )
        cls.link = Redirect.objects.create(
            old_path="/services-link", site=cls.site, redirect_link="/services/"
        )
        cls.gone = Redirect.objects.create(old_path="/gone-on-purpose", site=cls.site)
        RedirectDetails.record(cls.gone, status_code=410)
        cls.no_target = Redirect.objects.create(old_path="/lost-its-target", site=cls.site)

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def listed(self, **params: str) -> set[str]:
        response = self.client.get(INDEX, params)
        self.assertEqual(response.status_code, 200)
        return {redirect.old_path for redirect in response.context["object_list"]}

    def test_target_page_finds_exactly_the_redirects_to_that_page(self) -> None:
        self.assertEqual(
            self.listed(target_page=str(self.services.pk)), {"/our-services", "/what-we-do"}
        )

    def test_target_page_filter_is_a_page_chooser(self) -> None:
        html = self.client.get(INDEX).content.decode()
        self.assertIn('name="target_page"', html)
        self.assertIn("Choose a page", html)
        self.assertIn("page-chooser", html)  # the chooser's JS is on the listing

    def test_chosen_page_is_shown_in_the_filter(self) -> None:
        response = self.client.get(INDEX, {"target_page": self.services.pk})
        self.assertContains(response, "Services")
        self.assertContains(response, f'value="{self.services.pk}"')

    def test_unpublished_or_deleted_target(self) -> None:
        self.assertEqual(self.listed(target="unavailable"), {"/lost-its-target"})
        self.services.unpublish()
        self.assertEqual(
            self.listed(target="unavailable"),
            {"/our-services", "/what-we-do", "/lost-its-target"},
        )

    def test_filters_combine_with_search(self) -> None:
        self.assertEqual(self.listed(q="what", target_page=str(self.services.pk)), {"/what-we-do"})
