"""The editor's redirect workspace (issue 16), through Django's test client: the import
screen's template buttons and the Redirects listing's columns and sorting."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.models import Origin, RedirectDetails

UPLOAD = reverse("wagtail_redirect_tools:import")


class TestImportTemplateButtons(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def test_each_template_is_a_small_button_with_an_icon_sized_by_wagtail(self) -> None:
        self.client.force_login(self.superuser)
        html = self.client.get(UPLOAD).content.decode()
        links = re.findall(
            r"<a [^>]*href=\"[^\"]*/template\.(?:csv|xlsx)\"[^>]*>.*?</a>", html, re.S
        )
        self.assertEqual(len(links), 2)
        for link in links:
            # Wagtail sizes an icon inside a button only for ``button--icon`` (1em square);
            # without it the SVG takes the browser's default 300x150.
            self.assertRegex(link, r'class="button button-small button-secondary button--icon"')
            self.assertIn("icon-download", link)
        self.assertIn(">CSV</a>", html.replace("\n", ""))


INDEX = reverse("redirect_tools_redirects:index")


class TestRedirectsListing(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        cls.codes: dict[str, int] = {}

        def add(path: str, stored: int | None, *, permanent: bool, target: str = "/x/") -> None:
            redirect = Redirect.objects.create(
                old_path=path, site=cls.site, redirect_link=target, is_permanent=permanent
            )
            if stored is not None:
                RedirectDetails.objects.create(redirect=redirect, status_code=stored)

        add("/a-core-301", None, permanent=True)
        add("/b-core-302", None, permanent=False)
        add("/c-308", 308, permanent=True)
        add("/d-307", 307, permanent=False)
        add("/e-gone", 410, permanent=True, target="")
        add("/f-gone-with-a-target", 410, permanent=False)  # core's 302
        add("/g-308-made-temporary-by-core", 308, permanent=False)  # core's 302
        Redirect.objects.create(
            old_path="/h-automatic", redirect_link="/x/", automatically_created=True
        )

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def listed(self, ordering: str) -> list[Redirect]:
        response = self.client.get(INDEX, {"ordering": ordering})
        self.assertEqual(response.status_code, 200)
        return list(response.context["object_list"])

    def test_status_sorts_by_the_code_requests_are_answered_with(self) -> None:
        rows = self.listed("effective_status")
        codes = [RedirectDetails.effective_status_code(row) for row in rows]
        self.assertEqual(codes, sorted(codes))
        self.assertEqual([row.effective_status for row in rows], codes)
        self.assertEqual(codes[0], 301)
        self.assertEqual(codes[-1], 410)
        descending = [
            RedirectDetails.effective_status_code(r) for r in self.listed("-effective_status")
        ]
        self.assertEqual(descending, sorted(codes, reverse=True))

    def test_origin_sorts_with_cores_implied_origin(self) -> None:
        imported = Redirect.objects.get(old_path="/c-308")
        RedirectDetails.objects.filter(redirect=imported).update(origin=Origin.IMPORT)
        rows = self.listed("origin")
        origins = [RedirectDetails.origin_of(row) for row in rows]
        self.assertEqual([row.origin for row in rows], [str(o) for o in origins])
        self.assertEqual(origins, sorted(origins))
        self.assertEqual(rows[0].old_path, "/h-automatic")
        self.assertEqual(self.listed("-origin")[-1].old_path, "/h-automatic")

    def test_status_and_origin_headings_are_sort_links(self) -> None:
        html = self.client.get(INDEX).content.decode()
        self.assertIn("?ordering=effective_status", html)
        self.assertIn("?ordering=origin", html)

    def test_an_all_sites_redirect_says_so(self) -> None:
        response = self.client.get(INDEX, {"q": "h-automatic"})
        self.assertContains(response, "All sites")

    def test_the_from_path_wraps_only_after_its_slashes(self) -> None:
        Redirect.objects.create(old_path="/catalogue/fishermans-jumper", redirect_link="/x/")
        html = self.client.get(INDEX).content.decode()
        self.assertIn(
            '<span class="wrt-path__segment">/catalogue/</span><wbr>'
            '<span class="wrt-path__segment">fishermans-jumper</span>',
            html,
        )
        self.assertIn('class="wrt-path title"', html)
        self.assertIn("wagtail_redirect_tools/css/listing.css", html)
