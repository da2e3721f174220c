"""The planner's quick answer to "does a view of the site answer this path?" (for a
target nothing else answers, see ``importing.unanswered``) is the one Django's
``resolve()`` gives, path for path: the admin's views, the API's, Wagtail's own
``_util`` views with their converters, page paths with and without their slash, and
paths no pattern matches."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.urls import get_resolver, get_urlconf, path

from wagtail_redirect_tools.importing.unanswered import (
    ViewPaths,
    _plain,
    answered_by_a_view,
)

PATHS = [
    "/",
    "/admin",
    "/admin/",
    "/admin/pages/",
    "/admin/pages/3/edit/",
    "/admin/pages/x/edit/",
    "/admin/login",
    "/admin/no-such-view/",
    "/api/v2/pages/",
    "/api/v2/pages/12/",
    "/api/v2/redirects",
    "/api/core-v2/pages/",
    "/api/nothing/",
    "/_util/login/",
    "/_util/login",
    "/_util/authenticate_with_password/1/2/",
    "/_util/authenticate_with_password/a/2/",
    "/news/",
    "/news",
    "/news/2026/a-story/",
    "/n%C3%A9ws/",
    "/néws/",
    "/with space/",
    "/shop/item.html",
    "/shop/item.html/",
    "/a//b/",
    "/old/*",
    "/new/page-1",
    "/ADMIN/",
    "/documents/1/file.pdf",
]


class ViewPathsTests(SimpleTestCase):
    def test_the_walk_answers_as_resolve_does(self) -> None:
        views = ViewPaths()
        self.assertTrue(views.plain)  # the test project's patterns are Django's own kinds
        for candidate in PATHS:
            with self.subTest(path=candidate):
                self.assertEqual(views(candidate), answered_by_a_view(candidate))

    def test_a_pattern_of_another_kind_is_asked_itself(self) -> None:
        class OwnPattern(type(path("x/", lambda request: None))):  # type: ignore[misc]
            pass

        resolver = get_resolver(get_urlconf())
        self.assertTrue(_plain(resolver))
        own = OwnPattern(resolver.url_patterns[0].pattern, lambda request: None)
        resolver.url_patterns.insert(0, own)
        try:
            self.assertFalse(_plain(resolver))
        finally:
            resolver.url_patterns.remove(own)
