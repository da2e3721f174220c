"""A 410 Gone can be one of the site's own pages, with its header and navigation, when
``WAGTAIL_REDIRECT_TOOLS_GONE_PAGE`` names its path (issue 32, item 7): each site's page of
that path is rendered, with the status still 410; a site without one keeps the template."""

from __future__ import annotations

from django.test import Client, TestCase, override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.checks import check_settings
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.resolution.responses import GONE_TEMPLATE


def make_gone(path: str) -> None:
    RedirectDetails.record(Redirect.objects.create(old_path=path, site=None), status_code=410)


@override_settings(WAGTAIL_REDIRECT_TOOLS_GONE_PAGE="/page-removed/")
class TestGoneSitePage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.removed = add_page(cls.home, "page-removed", title="Sorry, this page was removed")
        cls.shop = make_site("shop.example", add_page(cls.home, "shop"))
        make_gone("/withdrawn-leaflet")

    def test_the_sites_page_is_rendered_with_410(self) -> None:
        response = Client().get("/withdrawn-leaflet/")
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "<h1>Sorry, this page was removed</h1>", status_code=410)
        self.assertTemplateNotUsed(response, GONE_TEMPLATE)

    def test_the_page_itself_answers_200_at_its_own_url(self) -> None:
        self.assertEqual(Client().get("/page-removed/").status_code, 200)

    def test_a_site_without_that_page_keeps_the_template(self) -> None:
        response = Client().get("/withdrawn-leaflet/", HTTP_HOST="shop.example")
        self.assertEqual(response.status_code, 410)
        self.assertTemplateUsed(response, GONE_TEMPLATE)

    def test_an_unpublished_page_is_not_shown(self) -> None:
        self.removed.unpublish()
        response = Client().get("/withdrawn-leaflet/")
        self.assertEqual(response.status_code, 410)
        self.assertTemplateUsed(response, GONE_TEMPLATE)

    def test_a_post_gets_the_template_not_the_pages_form_handling(self) -> None:
        response = Client().post("/withdrawn-leaflet/", {"a": "b"})
        self.assertEqual(response.status_code, 410)
        self.assertTemplateUsed(response, GONE_TEMPLATE)

    def test_a_bad_value_is_reported(self) -> None:
        for value in ("page-removed", 12, ""):
            with self.subTest(value=value):
                with override_settings(WAGTAIL_REDIRECT_TOOLS_GONE_PAGE=value):
                    messages = check_settings()
                self.assertEqual([m.id for m in messages], ["wagtail_redirect_tools.E006"])
