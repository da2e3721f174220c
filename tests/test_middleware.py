"""Our RedirectMiddleware behaves like core's, with one query per lookup."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotFound
from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.testapp.models import EventIndexPage
from tests.utils.kept import read_kept_redirects
from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.resolution import window_index


def not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


class MiddlewareTestCase(TestCase):
    site: Site

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.other_site = make_site("other.example", add_page(cls.home, "other-home"))
        cls.target = add_page(cls.home, "target")

    def setUp(self) -> None:
        # Build the index of scheduled windows (empty here) outside the counted queries.
        window_index.current_index(timezone.now())

    def know_stored_paths(self) -> None:
        """Make this process's set of stored old paths (one query after each change of
        the redirects, see ``test_membership``) outside the counted queries."""
        read_kept_redirects()

    def run_middleware(
        self, path: str, *, site: Site | None = None, host: str = "localhost"
    ) -> HttpResponseBase:
        """The middleware alone, after a view answered 404, with the site already resolved."""
        request = RequestFactory().get(path, HTTP_HOST=host)
        request._wagtail_site = site if site is not None else self.site
        return RedirectMiddleware(not_found)(request)


class TestMatching(MiddlewareTestCase):
    def test_miss_costs_no_query(self) -> None:
        Redirect.add_redirect("/old", "/new")
        self.know_stored_paths()
        with self.assertNumQueries(0):
            response = self.run_middleware("/nothing-here/")
        self.assertEqual(response.status_code, 404)

    def test_link_hit_costs_one_query(self) -> None:
        Redirect.add_redirect("/old", "/new", is_permanent=True)
        self.know_stored_paths()
        with self.assertNumQueries(1):
            response = self.run_middleware("/old/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/new")

    def test_temporary_redirect_answers_302(self) -> None:
        Redirect.add_redirect("/old", "/new", is_permanent=False)
        response = self.run_middleware("/old")
        self.assertEqual(response.status_code, 302)

    def test_site_specific_beats_all_sites_in_one_query(self) -> None:
        Redirect.add_redirect("/old", "/all-sites")
        Redirect.add_redirect("/old", "/this-site", site=self.site)
        Redirect.add_redirect("/old", "/other-site", site=self.other_site)
        self.know_stored_paths()
        with self.assertNumQueries(1):
            response = self.run_middleware("/old")
        self.assertEqual(response["Location"], "/this-site")
        response = self.run_middleware("/old", site=self.other_site)
        self.assertEqual(response["Location"], "/other-site")

    def test_all_sites_redirect_applies_to_every_site(self) -> None:
        Redirect.add_redirect("/old", "/all-sites")
        Redirect.add_redirect("/old", "/other-site", site=self.other_site)
        self.assertEqual(self.run_middleware("/old")["Location"], "/all-sites")

    def test_redirect_of_another_site_is_ignored(self) -> None:
        Redirect.add_redirect("/old", "/other-site", site=self.other_site)
        self.assertEqual(self.run_middleware("/old").status_code, 404)

    def test_non_404_responses_pass_untouched(self) -> None:
        Redirect.add_redirect("/old", "/new")
        request = RequestFactory().get("/old")
        with self.assertNumQueries(0):
            response = RedirectMiddleware(lambda request: HttpResponse("page"))(request)
        self.assertEqual(response.content, b"page")

    def test_decoded_null_byte_never_reaches_the_database(self) -> None:
        # Only the percent-encoded form is looked up: PostgreSQL cannot compare a NUL.
        Redirect.add_redirect("/old%00path", "/new")
        self.know_stored_paths()
        with self.assertNumQueries(1) as queries:
            response = self.run_middleware("/old%00path")
        self.assertEqual(response.status_code, 301)
        self.assertIn("/old%00path", queries.captured_queries[0]["sql"])


class TestQueryStrings(MiddlewareTestCase):
    def test_exact_query_string_match_wins(self) -> None:
        Redirect.add_redirect("/old?b=2&a=1", "/exact")
        Redirect.add_redirect("/old", "/path-only")
        self.assertEqual(self.run_middleware("/old?a=1&b=2")["Location"], "/exact")

    def test_falls_back_to_path_without_query(self) -> None:
        Redirect.add_redirect("/old", "/new?ref=1")
        # Core: two queries (full path, then bare path). Ours: one for all the forms.
        self.know_stored_paths()
        with self.assertNumQueries(1):
            response = self.run_middleware("/old/?utm_source=mail")
        self.assertEqual(response["Location"], "/new?ref=1")

    @override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING=True)
    def test_keep_query_string_carries_the_unmatched_query_over(self) -> None:
        Redirect.add_redirect("/old", "/new?ref=1")
        Redirect.add_redirect("/plain", "https://example.org/landing")
        self.assertEqual(
            self.run_middleware("/old/?utm_source=mail")["Location"],
            "/new?ref=1&utm_source=mail",
        )
        self.assertEqual(
            self.run_middleware("/plain?utm_source=mail&x=1")["Location"],
            "https://example.org/landing?utm_source=mail&x=1",
        )

    @override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING=True)
    def test_keep_query_string_leaves_exact_matches_alone(self) -> None:
        Redirect.add_redirect("/old?campaign=1", "/new")
        self.assertEqual(self.run_middleware("/old?campaign=1")["Location"], "/new")


class TestEncodedPaths(MiddlewareTestCase):
    def test_unicode_path_stored_as_iri_matches_encoded_request(self) -> None:
        Redirect.add_redirect("/über-uns", "/about")
        self.assertEqual(self.run_middleware("/%C3%BCber-uns/")["Location"], "/about")

    def test_path_stored_percent_encoded_still_matches(self) -> None:
        Redirect.objects.create(old_path="/caf%C3%A9", redirect_link="/coffee")
        # Core: two queries (decoded, then as sent). Ours: one.
        self.know_stored_paths()
        with self.assertNumQueries(1):
            response = self.run_middleware("/caf%C3%A9")
        self.assertEqual(response["Location"], "/coffee")


class TestPageTargets(MiddlewareTestCase):
    def test_redirect_to_page_costs_one_query(self) -> None:
        # Once Wagtail has cached its site root paths (the first request does that),
        # a page target costs one query; core needs three (redirect, page, specific page).
        Redirect.add_redirect("/old", self.target)
        Redirect.add_redirect("/warm", self.target)
        self.run_middleware("/warm")
        with self.assertNumQueries(1):
            response = self.run_middleware("/old")
        # With two sites, core's page.url is absolute.
        self.assertEqual(response["Location"], "http://localhost/target/")

    def test_redirect_to_route_of_routable_page(self) -> None:
        events = add_page(self.home, "events", page_class=EventIndexPage)
        Redirect.add_redirect("/old-past", events, page_route_path="/past/")
        self.assertEqual(
            self.run_middleware("/old-past")["Location"], "http://localhost/events/past/"
        )

    def test_page_without_url_keeps_the_404(self) -> None:
        orphan_root = add_page(self.home.get_parent(), "not-in-any-site")
        Redirect.add_redirect("/old", orphan_root)
        Site.objects.filter(root_page=orphan_root).delete()
        self.assertEqual(self.run_middleware("/old").status_code, 404)


class TestFullStack(MiddlewareTestCase):
    def test_live_page_is_served_and_redirect_answers_404(self) -> None:
        Redirect.add_redirect("/old-target", self.target)
        self.assertEqual(self.client.get("/target/").status_code, 200)
        response = self.client.get("/old-target/")
        self.assertRedirects(response, "http://localhost/target/", status_code=301)

    def test_unknown_path_is_still_404(self) -> None:
        self.assertEqual(self.client.get("/no-such-page/").status_code, 404)


class PermanentRedirect308(HttpResponse):
    status_code = 308

    def __init__(self, location: str) -> None:
        super().__init__()
        self["Location"] = location


class Middleware308(RedirectMiddleware):
    response_permanent_redirect_class = PermanentRedirect308


class TestSubclassing(MiddlewareTestCase):
    def test_response_classes_are_overridable(self) -> None:
        Redirect.add_redirect("/old", "/new")
        request = RequestFactory().get("/old")
        request._wagtail_site = self.site
        response = Middleware308(not_found)(request)
        self.assertEqual((response.status_code, response["Location"]), (308, "/new"))


class TestMatchedObjects(MiddlewareTestCase):
    def test_the_match_holds_real_typed_model_instances(self) -> None:
        # Read without the ORM's query machinery, but converted as the ORM converts.
        Redirect.add_redirect("/old", self.target, is_permanent=False)
        published = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)
        type(self.target).objects.filter(pk=self.target.pk).update(first_published_at=published)
        from wagtail_redirect_tools.resolution import find_core_redirect

        request = RequestFactory().get("/old", HTTP_HOST="localhost")
        request._wagtail_site = self.site  # type: ignore[attr-defined]
        match = find_core_redirect(request)
        assert match is not None
        self.assertIs(match.redirect.is_permanent, False)
        page = match.redirect.redirect_page
        self.assertEqual(page.pk, self.target.pk)
        self.assertIs(page.live, True)
        self.assertEqual(page.first_published_at, published)
