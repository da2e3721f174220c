"""Wagtail's confirm screens for deleting and unpublishing a page say how many redirects
and scheduled redirects point at it (and at the pages under it), with a link to them
(issue 32, item 3: Wagtail's own "referenced 0 times" leaves redirects out). Only a
warning: the page is deleted or unpublished as before."""

from __future__ import annotations

import datetime
import re
from html import unescape

import time_machine
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@time_machine.travel(NOW, tick=False)
class TestRemovalWarnings(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        cls.parking = add_page(home, "parking", title="Parking")
        cls.permits = add_page(cls.parking, "permits", title="Parking permits")
        cls.quiet = add_page(home, "quiet", title="Nothing points here")
        Redirect.objects.create(old_path="/car-parks", site=cls.site, redirect_page=cls.parking)
        Redirect.objects.create(old_path="/permits-2019", redirect_page=cls.permits)
        with time_machine.travel(NOW - 10 * DAY, tick=False):
            schedule_redirect("/parking-offer", cls.parking, expires_at=NOW + 9 * DAY)
            schedule_redirect("/old-offer", cls.parking, expires_at=NOW - DAY)  # over: not counted
        cls.superuser = cls.create_superuser("admin")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def listing_link(self, page: Page) -> str:
        return reverse("redirect_tools_redirects:index") + f"?target_page={page.pk}"

    def test_the_delete_screen_counts_the_page_and_its_subpages(self) -> None:
        response = self.client.get(reverse("wagtailadmin_pages:delete", args=[self.parking.pk]))
        self.assertEqual(response.status_code, 200)
        shown = text(response.content.decode())
        self.assertIn(
            "2 redirects and 1 scheduled redirect point at this page or the pages under it", shown
        )
        self.assertContains(response, f'href="{self.listing_link(self.parking)}"')

    def test_the_unpublish_screen_counts_the_page_then_its_subpages(self) -> None:
        url = reverse("wagtailadmin_pages:unpublish", args=[self.parking.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        shown = text(response.content.decode())
        self.assertIn("1 redirect and 1 scheduled redirect point at this page", shown)
        self.assertIn("1 more redirect points at the pages under it", shown)
        self.assertContains(response, f'href="{self.listing_link(self.parking)}"')

    def test_nothing_said_when_nothing_points_at_the_page(self) -> None:
        for name in ("delete", "unpublish"):
            with self.subTest(name):
                url = reverse(f"wagtailadmin_pages:{name}", args=[self.quiet.pk])
                self.assertNotContains(self.client.get(url), "point at this page")

    def test_a_warning_only_the_page_is_unpublished_and_deleted(self) -> None:
        url = reverse("wagtailadmin_pages:unpublish", args=[self.parking.pk])
        self.assertEqual(self.client.post(url, {"include_descendants": "on"}).status_code, 302)
        self.assertFalse(Page.objects.get(pk=self.parking.pk).live)
        url = reverse("wagtailadmin_pages:delete", args=[self.parking.pk])
        self.assertEqual(self.client.post(url).status_code, 302)
        self.assertFalse(Page.objects.filter(pk=self.parking.pk).exists())


@time_machine.travel(NOW, tick=False)
class TestBulkRemovalWarnings(WagtailTestUtils, TestCase):
    """The same on Wagtail's bulk delete and unpublish screens for the selected pages."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        cls.parking = add_page(home, "parking", title="Parking")
        cls.permits = add_page(cls.parking, "permits", title="Parking permits")
        cls.bins = add_page(home, "bins", title="Bins")
        Redirect.objects.create(old_path="/car-parks", redirect_page=cls.parking)
        Redirect.objects.create(old_path="/permits-2019", redirect_page=cls.permits)
        Redirect.objects.create(old_path="/wheelie-bins", redirect_page=cls.bins)
        cls.superuser = cls.create_superuser("admin")

    def screen(self, action: str) -> str:
        self.client.force_login(self.superuser)
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
        response = self.client.get(url, {"id": [self.parking.pk, self.bins.pk]})
        self.assertEqual(response.status_code, 200)
        return text(response.content.decode())

    def test_bulk_delete(self) -> None:
        self.assertIn(
            "3 redirects point at the selected pages or the pages under them", self.screen("delete")
        )

    def test_bulk_unpublish(self) -> None:
        shown = self.screen("unpublish")
        self.assertIn("2 redirects point at the selected pages", shown)
        self.assertIn("1 more redirect points at the pages under them", shown)
