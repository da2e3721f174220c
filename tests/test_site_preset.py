"""The request's site, with its root page, set before routing from this process's memory
(``resolution/sites.py`` ``preset_site``): Wagtail's routing does not look it up again, and
what it finds is what Wagtail's own lookup would find, also right after a site or its root
page changed, here or in another process."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.models import ChangeStamp
from wagtail_redirect_tools.resolution import forget_process_state

#: A query of the sites table, however the database quotes its name ("..." or `...`).
SITE_TABLE = re.compile(r"""FROM [`"]?wagtailcore_site[`"]?""")


def site_queries(captured: CaptureQueriesContext) -> int:
    return sum(bool(SITE_TABLE.search(query["sql"])) for query in captured.captured_queries)


class TestPresetSite(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about", title="About")
        cls.other_home = add_page(Page.objects.get(depth=1), "other-home", title="Other home")
        add_page(cls.other_home, "contact", title="Contact")
        cls.other = make_site("other.example", cls.other_home)

    def setUp(self) -> None:
        forget_process_state()
        self.client = Client()

    def get(self, path: str, host: str = "localhost") -> tuple[int, int]:
        """(status, queries of the site table) of a GET."""
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(path, HTTP_HOST=host)
        return response.status_code, site_queries(captured)

    def test_the_second_request_for_a_host_does_not_look_the_site_up(self) -> None:
        self.assertEqual(self.get("/about/"), (200, 1))  # Wagtail's own lookup, learnt
        self.assertEqual(self.get("/about/"), (200, 0))
        self.assertEqual(self.get("/missing/"), (404, 0))
        self.assertEqual(self.get("/contact/", "other.example"), (200, 1))
        self.assertEqual(self.get("/contact/", "other.example"), (200, 0))
        self.assertEqual(self.get("/about/", "other.example"), (404, 0))
        self.assertEqual(self.get("/contact/"), (404, 0))

    def test_each_request_gets_its_own_copies(self) -> None:
        from wagtail_redirect_tools.resolution.sites import preset_site

        self.get("/about/")
        first, second = self.client.get("/about/").wsgi_request, self.client.get("/").wsgi_request
        one, two = first._wagtail_site, second._wagtail_site  # type: ignore[attr-defined]
        self.assertIsNot(one, two)
        self.assertEqual((one.pk, one.root_page.pk), (self.site.pk, self.home.pk))
        self.assertIsNot(one.root_page, two.root_page)
        one.root_page.title = "Changed by one request"
        self.assertIsNone(preset_site(request := self.client.get("/").wsgi_request))
        self.assertEqual(request._wagtail_site.root_page.title, "Home")  # type: ignore[attr-defined]

    def test_a_site_changed_here_is_seen_at_once(self) -> None:
        self.get("/about/")
        self.site.root_page = self.other_home
        self.site.save()
        self.assertEqual(self.get("/contact/")[0], 200)
        self.assertEqual(self.get("/about/")[0], 404)

    def test_a_root_page_unpublished_here_is_seen_at_once(self) -> None:
        # A root of Wagtail's own Page class: its specific page is itself, so the root page
        # kept with the site is the one Wagtail routes from.
        plain_root = add_page(Page.objects.get(depth=1), "plain-root", page_class=Page)
        make_site("plain.example", plain_root)
        self.assertEqual(self.get("/", "plain.example")[0], 200)
        self.assertEqual(self.get("/", "plain.example"), (200, 0))
        plain_root.unpublish()
        self.assertEqual(self.get("/", "plain.example")[0], 404)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0)
    def test_a_site_changed_in_another_process_is_seen_after_the_stamp_check(self) -> None:
        self.get("/about/")
        # Another process: the rows and the stored stamp change, no signal here.
        Site.objects.filter(pk=self.site.pk).update(root_page=self.other_home)
        ChangeStamp.objects.update_or_create(name="redirects", defaults={"stamp": "elsewhere"})
        self.assertEqual(self.get("/contact/")[0], 200)

    def test_a_host_with_no_site_is_what_wagtail_finds(self) -> None:
        Site.objects.filter(pk=self.site.pk).update(is_default_site=False)
        forget_process_state()
        self.assertEqual(self.get("/about/", "unknown.example"), (404, 1))
        self.assertEqual(self.get("/about/", "unknown.example"), (404, 0))
