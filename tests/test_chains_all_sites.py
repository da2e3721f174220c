"""All-sites redirects to a moved page's old path are re-pointed at the page when the path
means that page on every site (issue: they were all skipped, so ``/setup`` kept a second
hop through ``/docs/install/``); the ambiguous ones are kept and the move's log says so."""

from __future__ import annotations

import pytest
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry

from tests.utils.autoredirects import get
from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.autoredirects import ACTION_CREATED

pytestmark = pytest.mark.collation  # compares our path columns with core's


class DocsTestCase(TestCase):
    """localhost's home with docs/install, and manual to move docs under."""

    def setUp(self) -> None:
        self.site, self.home = fresh_site_tree("localhost")
        self.docs = add_page(self.home, "docs")
        self.install = add_page(self.docs, "install")
        self.manual = add_page(self.home, "manual")


class TestOneSite(DocsTestCase):
    def test_an_all_sites_redirect_follows_the_page_in_one_hop(self) -> None:
        for old_path, link in (("/setup", "/docs/install/"), ("/getting-started", "/docs/install")):
            Redirect.objects.create(old_path=old_path, redirect_link=link)
        self.docs.move(self.manual, pos="last-child")

        for old_path in ("/setup", "/getting-started"):
            redirect = Redirect.objects.get(old_path=old_path)
            self.assertEqual(
                (redirect.redirect_page_id, redirect.redirect_link), (self.install.pk, "")
            )
            response = get(old_path)
            self.assertEqual(
                (response.status_code, response["Location"]), (301, "/manual/docs/install/")
            )


class TestTwoSites(DocsTestCase):
    def test_a_path_that_means_another_page_on_another_site_is_kept_and_logged(self) -> None:
        other_home = add_page(self.home.get_parent(), "other-home", title="Other home")
        make_site("other.example", other_home)
        add_page(add_page(other_home, "docs"), "install")  # /docs/install/ there is another page
        Redirect.objects.create(old_path="/setup", redirect_link="/docs/install/")
        self.docs.move(self.manual, pos="last-child")

        redirect = Redirect.objects.get(old_path="/setup")
        self.assertEqual(
            (redirect.redirect_page_id, redirect.redirect_link), (None, "/docs/install/")
        )
        self.assertEqual(get("/setup", "other.example")["Location"], "/docs/install/")
        entry = PageLogEntry.objects.get(page=self.docs, action=ACTION_CREATED)
        self.assertEqual(entry.data["kept_chains"], ["/setup"])
        self.assertIn("1 all-sites redirect to an old URL kept (/setup)", entry.message)

    def test_two_host_names_for_one_tree_are_one_meaning(self) -> None:
        make_site("www.example", self.home)  # the same pages under a second host name
        Redirect.objects.create(old_path="/setup", redirect_link="/docs/install/")
        self.docs.move(self.manual, pos="last-child")
        self.assertEqual(Redirect.objects.get(old_path="/setup").redirect_page_id, self.install.pk)
