"""A 404 that a view raises (Wagtail's ``serve`` raises ``Http404`` for a path no page has)
is answered with its redirect when it is raised: Django does not render the project's 404
page only for the redirect to replace it. A raised 404 with no redirect renders the page
once, is counted in the 404 log once, and the redirects are read once; a 404 a view
returns (not raises) is answered as before."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.test.utils import WagtailTestUtils

from tests.test_early_not_found import TEMPLATES_WITH_404
from tests.utils.kept import read_kept_redirects
from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.not_found import log
from wagtail_redirect_tools.not_found.writing import normalise
from wagtail_redirect_tools.resolution import window_index

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def raises_not_found(request: HttpRequest) -> HttpResponse:
    raise Http404("No such thing")


def returns_not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound("Not here")


class AnswersNotFound:
    """A middleware that answers a 404 itself (as Django's flatpages fallback does)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        return HttpResponse("A flat page") if response.status_code == 404 else response


#: Our middleware under another dotted path (as a project that re-exports it names it).
OurMiddlewareAgain = RedirectMiddleware

urlpatterns = [
    path("raises/", raises_not_found),
    path("returns/", returns_not_found),
    path("", include("tests.urls")),
]


def templates_of(response: object) -> list[str]:
    return [template.name for template in response.templates]  # type: ignore[attr-defined]


def redirect_reads(queries: CaptureQueriesContext) -> int:
    return sum("wagtailredirects_redirect" in query["sql"] for query in queries)


@override_settings(
    TEMPLATES=TEMPLATES_WITH_404,
    ROOT_URLCONF=__name__,
    WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=3600,
)
class RaisedNotFoundTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        cls.other = make_site("other.example", add_page(cls.home, "other-home"))

    def setUp(self) -> None:
        self.enterContext(time_machine.travel(NOW, tick=False))
        window_index.current_index(timezone.now())
        log.take_due(force=True)

    def test_a_redirect_for_a_path_wagtail_routes_to_no_page_renders_no_404_page(self) -> None:
        Redirect.objects.create(old_path="/old-news", site=self.site, redirect_link="/about/")
        response = Client().get("/old-news/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/about/")
        self.assertNotIn("404.html", templates_of(response))

    def test_a_redirect_for_a_404_another_view_raises_renders_no_404_page(self) -> None:
        Redirect.objects.create(old_path="/raises", redirect_link="/about/", is_permanent=False)
        response = Client().get("/raises/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/about/")
        self.assertNotIn("404.html", templates_of(response))

    def test_a_404_a_view_returns_is_still_redirected(self) -> None:
        Redirect.objects.create(old_path="/returns", redirect_link="/about/")
        response = Client().get("/returns/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/about/")

    def test_a_raised_404_without_a_redirect_renders_the_page_once_and_reads_once(self) -> None:
        # The path is stored for the other site only: the lookup for this site reads the
        # redirects (the set of stored paths says it may be there), and finds none.
        Redirect.objects.create(old_path="/old-news", site=self.other, redirect_link="/x/")
        read_kept_redirects()
        with CaptureQueriesContext(connection) as queries:
            response = Client().get("/old-news/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(templates_of(response), ["404.html"])
        self.assertContains(response, "Nothing at /old-news/", status_code=404)
        self.assertEqual(redirect_reads(queries), 1)
        counts = log.take_due(force=True)
        self.assertIsNotNone(counts)
        entry = normalise(counts)[(self.site.pk, "/old-news")]  # type: ignore[arg-type]
        self.assertEqual(entry.hits, 1)

    def test_a_raised_404_remembered_as_redirected_is_answered_before_routing(self) -> None:
        """The early answer still learns from a redirect answered where it was raised."""
        Redirect.objects.create(old_path="/old-news", site=self.site, redirect_link="/about/")
        visitor = Client()
        self.assertEqual(visitor.get("/old-news/").status_code, 301)
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get("/old-news/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(len(queries), 0)

    def test_ours_listed_last_under_another_name_answers_where_raised(self) -> None:
        """The last entry is ours when it loads our class, whatever path names it."""
        Redirect.objects.create(old_path="/old-news", site=self.site, redirect_link="/about/")
        renamed = [*settings.MIDDLEWARE[:-1], f"{__name__}.OurMiddlewareAgain"]
        with self.settings(MIDDLEWARE=renamed):
            response = Client().get("/old-news/")
        self.assertEqual(response.status_code, 301)
        self.assertNotIn("404.html", templates_of(response))

    def test_a_middleware_after_ours_that_answers_404s_keeps_the_first_say(self) -> None:
        """As with core's middleware: the one listed after it sees the 404 first."""
        Redirect.objects.create(old_path="/old-news", site=self.site, redirect_link="/about/")
        after = [*settings.MIDDLEWARE, f"{__name__}.AnswersNotFound"]
        for url in ("/old-news/", "/raises/"):
            with self.subTest(url=url), self.settings(MIDDLEWARE=after):
                response = Client().get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.content, b"A flat page")
        core = [
            "wagtail.contrib.redirects.middleware.RedirectMiddleware"
            if name.endswith(".RedirectMiddleware")
            else name
            for name in after
        ]
        with self.settings(MIDDLEWARE=core):
            self.assertEqual(Client().get("/old-news/").status_code, 200)
