"""A 410 Gone is a page (``wagtail_redirect_tools/410.html``, which a site can override like
Django's 404.html), served without an added query."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.test import Client, RequestFactory, TestCase, override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.resolution.responses import GONE_TEMPLATE


def not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


class TestGonePage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        gone = Redirect.objects.create(old_path="/withdrawn-leaflet", site=None)
        RedirectDetails.record(gone, status_code=410)

    def test_the_default_page_says_gone_and_links_home(self) -> None:
        response = Client().get("/withdrawn-leaflet/")
        self.assertEqual(response.status_code, 410)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")
        self.assertTemplateUsed(response, GONE_TEMPLATE)
        html = response.content.decode()
        self.assertIn("<title>Gone</title>", html)
        self.assertIn("<h1>Gone</h1>", html)
        self.assertIn("/withdrawn-leaflet/", html)
        self.assertIn('href="/"', html)

    def test_the_requested_path_is_escaped(self) -> None:
        gone = Redirect.objects.create(old_path="/tom&jerry", site=None)
        RedirectDetails.record(gone, status_code=410)
        response = Client().get("/tom&jerry")
        self.assertEqual(response.status_code, 410)
        self.assertIn("<code>/tom&amp;jerry</code>", response.content.decode())

    def test_the_middleware_alone_renders_it_without_a_query(self) -> None:
        def answer() -> HttpResponse:
            request = RequestFactory().get("/withdrawn-leaflet", HTTP_HOST="localhost")
            request._wagtail_site = self.site  # type: ignore[attr-defined]
            return RedirectMiddleware(not_found)(request)  # type: ignore[return-value]

        answer()  # the lookup is remembered: a repeated request reads nothing
        with self.assertNumQueries(0):
            response = answer()
        self.assertEqual(response.status_code, 410)
        self.assertIn(b"Gone", response.content)


@pytest.mark.django_db
def test_a_site_overrides_the_template(tmp_path: Path) -> None:
    own = tmp_path / "wagtail_redirect_tools" / "410.html"
    own.parent.mkdir()
    own.write_text("<p>Our leaflet {{ request_path }} is out of print.</p>", encoding="utf-8")
    fresh_site_tree("localhost")
    gone = Redirect.objects.create(old_path="/old-leaflet", site=None)
    RedirectDetails.record(gone, status_code=410)
    templates = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    with override_settings(TEMPLATES=templates):
        response = Client().get("/old-leaflet")
    assert response.status_code == 410
    assert response.content.decode().strip() == "<p>Our leaflet /old-leaflet is out of print.</p>"
