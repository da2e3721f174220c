"""307 and 308 are Django's own redirect responses with ``preserve_request``, built from the
middleware's class attributes, so a subclass changes every redirect it answers."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.test import RequestFactory, TestCase
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.resolution import redirect_response, window_index


def not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


class MarkedRedirect(HttpResponseRedirect):
    pass


class MarkedPermanentRedirect(HttpResponsePermanentRedirect):
    pass


class MarkingMiddleware(RedirectMiddleware):
    response_redirect_class = MarkedRedirect
    response_permanent_redirect_class = MarkedPermanentRedirect


class TestRedirectResponses(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        for code in (301, 302, 307, 308):
            redirect = Redirect.add_redirect(
                f"/old-{code}", "/new/", is_permanent=code in (301, 308)
            )
            RedirectDetails.objects.create(redirect=redirect, status_code=code)

    def setUp(self) -> None:
        window_index.current_index(timezone.now())

    def answer(self, middleware: type[RedirectMiddleware], path: str) -> HttpResponseBase:
        request = RequestFactory().get(path, HTTP_HOST="localhost")
        request._wagtail_site = self.site
        return middleware(not_found)(request)

    def test_each_code_comes_from_djangos_classes(self) -> None:
        expected = {
            301: HttpResponsePermanentRedirect,
            302: HttpResponseRedirect,
            307: HttpResponseRedirect,
            308: HttpResponsePermanentRedirect,
        }
        for code, response_class in expected.items():
            with self.subTest(code):
                response = self.answer(RedirectMiddleware, f"/old-{code}")
                self.assertIs(type(response), response_class)
                self.assertEqual((response.status_code, response["Location"]), (code, "/new/"))

    def test_a_subclass_answers_every_code_with_its_classes(self) -> None:
        expected = {
            301: MarkedPermanentRedirect,
            302: MarkedRedirect,
            307: MarkedRedirect,
            308: MarkedPermanentRedirect,
        }
        for code, response_class in expected.items():
            with self.subTest(code):
                response = self.answer(MarkingMiddleware, f"/old-{code}")
                self.assertIs(type(response), response_class)
                self.assertEqual(response.status_code, code)

    def test_redirect_response_alone(self) -> None:
        self.assertEqual(redirect_response("/x/", 307).status_code, 307)
        self.assertEqual(redirect_response("/x/", 308).status_code, 308)
        self.assertEqual(redirect_response("/x/", 302).status_code, 302)
