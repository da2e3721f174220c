"""The planner's quick answer to "does a view of the site answer this path?" (for a
target nothing else answers, see ``importing.unanswered``) is the one Django's
``resolve()`` gives, path for path: the admin's views, the API's, Wagtail's own
``_util`` views with their converters, page paths with and without their slash, and
paths no pattern matches."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings
from django.urls import get_resolver, get_urlconf, path, re_path

from wagtail_redirect_tools.importing.unanswered import (
    FirstSegments,
    ViewPaths,
    _plain,
    answered_by_a_view,
    literal_prefix,
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
    "/adminx/",
    "/admi/",
    "/api",
    "/api/",
    "/apiv2/pages/",
    "/_util",
    "/_utilx/login/",
    "//admin/",
    "///",
    "/nws/feed/",
    "/news/feed/",
    "/neews/feed/",
    "/feed/",
    "/feeds/",
    "/neews/feed",
    "/x/feed/",
]

#: Views added before Wagtail's page serving, each matched by more than literal text, with
#: a path each answers.
EXTRA_VIEWS = [
    (re_path(r"^ne?ws/feed/$", lambda request: None, name="optional-letter"), "/nws/feed/"),
    (re_path(r"^(?:x|y)/feed/$", lambda request: None, name="alternative"), "/x/feed/"),
    (path("<slug:section>/feed", lambda request: None, name="converter-first"), "/neews/feed"),
    (path("admi", lambda request: None, name="no-slash"), "/admi"),
    (re_path(r"^feed", lambda request: None), "/feeds/"),
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


@override_settings(ROOT_URLCONF="tests.urls")  # the paths above are this URLconf's
class FirstSegmentsTests(SimpleTestCase):
    """A first segment said to reach no view but page serving is only said so where
    ``resolve()`` agrees, for every path of it tried: the test project's patterns, and
    views added whose match starts with a converter, a regex's optional letter or an
    alternative."""

    def assert_agrees_with_resolve(self) -> None:
        segments = FirstSegments(get_resolver(get_urlconf()))
        views = ViewPaths()
        for candidate in PATHS:
            with self.subTest(path=candidate):
                answered = answered_by_a_view(candidate)
                if segments.only_pages(candidate):
                    self.assertFalse(answered)
                self.assertEqual(views(candidate), answered)

    def test_the_test_projects_patterns(self) -> None:
        self.assert_agrees_with_resolve()
        segments = FirstSegments(get_resolver(get_urlconf()))
        # Used where it can be: the sections of a site's pages, and no further.
        for page_path in ["/", "/news/", "/new/page-1", "/admi/", "/apiv2/pages/"]:
            with self.subTest(path=page_path):
                self.assertTrue(segments.only_pages(page_path))
        for view_path in ["/admin/", "/admin", "/api/v2/pages/", "/_util/login/"]:
            with self.subTest(path=view_path):
                self.assertFalse(segments.only_pages(view_path))

    def test_views_matched_by_more_than_literal_text(self) -> None:
        resolver = get_resolver(get_urlconf())
        serving = len(resolver.url_patterns) - 1  # Wagtail's, last
        for view, answered in EXTRA_VIEWS:
            with self.subTest(view=view.name):
                resolver.url_patterns.insert(serving, view)  # each alone: none hides another
                try:
                    self.assertTrue(answered_by_a_view(answered))
                    self.assertFalse(FirstSegments(resolver).only_pages(answered))
                    self.assert_agrees_with_resolve()
                finally:
                    resolver.url_patterns.remove(view)

    def test_literal_prefixes(self) -> None:
        expected = {
            "admin/": "admin/",
            "<slug:section>/feed": "",
            "a/<int:n>/": "a/",
        }
        for route, prefix in expected.items():
            with self.subTest(route=route):
                self.assertEqual(literal_prefix(path(route, lambda r: None).pattern), prefix)
        regexes = {
            r"^_util/login/$": "_util/login/",
            r"^ne?ws/": "n",
            r"^news{2}/": "new",
            r"^a+": "",
            r"^news\.html": "news",
            r"^(?:x|y)/": None,
            r"news/": None,
            r"^((?:[\w\-]+/)*)$": "",
        }
        for regex, prefix in regexes.items():
            with self.subTest(regex=regex):
                self.assertEqual(literal_prefix(re_path(regex, lambda r: None).pattern), prefix)
