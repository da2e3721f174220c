"""Pattern redirects answer 404s like exact redirects: through the middleware, resolve(),
both APIs, hits and the 404 log; exact redirects win, then the most specific pattern;
and what it costs (``resolution.pattern_index``)."""

from __future__ import annotations

import datetime
from unittest import skipUnless

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry, Page, Site

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.not_found import log as not_found_log
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.queries import unanswered
from wagtail_redirect_tools.resolution import (
    find_core_redirect,
    forget_process_state,
    hits,
    pattern_index,
    resolve,
    stamps,
)
from wagtail_redirect_tools.resolution.pattern_index import PatternIndex, entry_for

try:
    import wagtail.api.v3  # noqa: F401

    HAS_V3 = True
except ImportError:
    HAS_V3 = False


def add_pattern(
    source: str,
    target: str | Page = "",
    *,
    code: int = 301,
    site: Site | None = None,
) -> Redirect:
    page = target if isinstance(target, Page) else None
    redirect = Redirect.objects.create(
        old_path=source,
        site=site,
        is_permanent=code in (301, 308),
        redirect_page=page,
        redirect_link="" if page is not None else str(target),
    )
    RedirectDetails.record(redirect, status_code=code, is_pattern=True)
    return redirect


def add_exact(path: str, target: str, site: Site | None = None) -> Redirect:
    return Redirect.add_redirect(path, target, is_permanent=True, site=site)


HOSTS = ["localhost", "other.test", "testserver"]
NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


def count_nodes(node) -> int:  # type: ignore[no-untyped-def]
    children = list((node.literal or {}).values()) + ([node.named] if node.named else [])
    return 1 + sum(count_nodes(child) for child in children)


@override_settings(ALLOWED_HOSTS=HOSTS)
class PatternTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        other_home = add_page(cls.home.get_parent(), "home-other", title="Other home")
        cls.other = make_site("other.test", other_home)
        cls.section = add_pattern("/old-section/*", "/new-section/:splat")
        cls.special = add_pattern("/old-section/special/*", "/special/:splat", code=308)
        cls.kept = add_exact("/old-section/kept", "/kept-target/")
        cls.news = add_pattern("/news/:year/:slug", "/blog/:slug", code=302, site=cls.site)
        cls.gone = add_pattern("/gone-section/*", code=410)
        cls.moved = add_pattern("/moved/*", "https://newsite.com/:splat")
        cls.to_page = add_pattern("/to-about/*", cls.about)
        cls.shop_all = add_pattern("/shop/*", "/all-shop/")
        cls.shop_local = add_pattern("/shop/*", "/local-shop/", site=cls.site)
        cls.under_page = add_pattern("/about/*", "/elsewhere/:splat")
        cls.under_view = add_pattern("/api/*", "/not-the-api/")

    def setUp(self) -> None:
        forget_process_state()

    def get(self, path: str, host: str = "localhost", **extra: str):  # type: ignore[no-untyped-def]
        return Client().get(path, HTTP_HOST=host, **extra)

    def assertRedirectsTo(self, response, code: int, location: str) -> None:  # type: ignore[no-untyped-def]
        self.assertEqual((response.status_code, response.get("Location")), (code, location))


class TestThroughTheMiddleware(PatternTestCase):
    def test_a_prefix_carries_the_rest_of_the_path(self) -> None:
        self.assertRedirectsTo(self.get("/old-section/a/b/"), 301, "/new-section/a/b/")
        self.assertRedirectsTo(self.get("/old-section/"), 301, "/new-section/")

    def test_named_segments(self) -> None:
        self.assertRedirectsTo(self.get("/news/2019/hello/"), 302, "/blog/hello")

    def test_an_external_target_and_a_page_target(self) -> None:
        self.assertRedirectsTo(self.get("/moved/x/y/"), 301, "https://newsite.com/x/y/")
        # Absolute, as core gives a page's URL when there are several sites.
        self.assertRedirectsTo(self.get("/to-about/anything/"), 301, "http://localhost/about/")

    def test_gone(self) -> None:
        self.assertEqual(self.get("/gone-section/old/page/").status_code, 410)

    def test_exact_wins_then_the_most_specific_pattern(self) -> None:
        self.assertRedirectsTo(self.get("/old-section/kept/"), 301, "/kept-target/")
        self.assertRedirectsTo(self.get("/old-section/special/x/"), 308, "/special/x/")
        self.assertRedirectsTo(self.get("/old-section/specialx/"), 301, "/new-section/specialx/")

    def test_a_site_s_own_pattern_beats_an_all_sites_one(self) -> None:
        self.assertRedirectsTo(self.get("/shop/x/"), 301, "/local-shop/")
        self.assertRedirectsTo(self.get("/shop/x/", host="other.test"), 301, "/all-shop/")

    def test_a_pattern_of_another_site_does_not_answer(self) -> None:
        self.assertEqual(self.get("/news/2019/hello/", host="other.test").status_code, 404)

    def test_a_live_page_and_another_view_keep_answering(self) -> None:
        self.assertEqual(self.get("/about/").status_code, 200)
        self.assertRedirectsTo(self.get("/about/missing/"), 301, "/elsewhere/missing/")
        self.assertEqual(self.get("/api/v2/pages/").status_code, 200)

    def test_the_query_string_as_for_exact_redirects(self) -> None:
        self.assertRedirectsTo(self.get("/old-section/a/?utm=x"), 301, "/new-section/a/")
        with override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING=True):
            forget_process_state()
            self.assertRedirectsTo(self.get("/old-section/a/?utm=x"), 301, "/new-section/a/?utm=x")

    def test_no_protocol_relative_location(self) -> None:
        add_pattern("/out/*", "/:splat")
        self.assertRedirectsTo(self.get("/out//evil.com/"), 301, "/evil.com/")

    def test_encoded_text_is_carried_once(self) -> None:
        self.assertRedirectsTo(
            self.get("/old-section/caf%C3%A9/a%20b/"), 301, "/new-section/caf%C3%A9/a%20b/"
        )

    def test_a_pattern_row_never_answers_as_an_exact_path(self) -> None:
        # A row marked as a pattern whose source does not parse answers nothing, not
        # even its own path as an exact redirect would.
        redirect = Redirect.objects.create(old_path="/broken/*/x", redirect_link="/somewhere/")
        RedirectDetails.record(redirect, is_pattern=True)
        self.assertEqual(self.get("/broken/*/x").status_code, 404)

    def test_a_hit_is_counted(self) -> None:
        hits.forget()
        self.get("/old-section/a/")
        self.get("/old-section/b/")
        due = hits.take_due(force=True)
        assert due is not None
        self.assertEqual(due.redirect[self.section.pk][0], 2)

    def test_a_404_answered_by_a_pattern_is_not_logged(self) -> None:
        not_found_log.forget()
        self.get("/old-section/a/")
        self.assertIsNone(not_found_log.take_due(force=True))
        self.get("/nothing-here/")
        self.assertIsNotNone(not_found_log.take_due(force=True))


class TestQueries(PatternTestCase):
    def setUp(self) -> None:
        super().setUp()
        stamps.current()  # read outside the counted queries, as every request's first step

    def request(self, path: str):  # type: ignore[no-untyped-def]
        request = RequestFactory().get(path, HTTP_HOST="localhost")
        request._wagtail_site = self.site  # type: ignore[attr-defined]
        return request

    def test_the_patterns_come_with_the_first_lookup(self) -> None:
        # After a change, the first lookup reads the set of stored paths, then (no exact
        # redirect is stored at the path) the patterns.
        with self.assertNumQueries(2):
            self.assertIsNone(find_core_redirect(self.request("/nothing/")))
        # The index holds the pattern's row: a first hit under it costs no query.
        with self.assertNumQueries(0):
            match = find_core_redirect(self.request("/old-section/a/"))
        assert match is not None
        self.assertEqual(match.location(), "/new-section/a/")
        with self.assertNumQueries(0):
            find_core_redirect(self.request("/old-section/a/"))
            find_core_redirect(self.request("/nothing/"))

    def test_a_change_rebuilds_the_index(self) -> None:
        find_core_redirect(self.request("/brand-new/x/"))
        add_pattern("/brand-new/*", "/fresh/:splat")
        match = find_core_redirect(self.request("/brand-new/x/"))
        assert match is not None
        self.assertEqual(match.location(), "/fresh/x/")

    def test_current_for_other_callers(self) -> None:
        with self.assertNumQueries(1):
            index = pattern_index.current()
        with CaptureQueriesContext(connection) as queries:
            found = index.match(self.site.pk, "/news/2020/hi")
            pattern_index.current()
        self.assertEqual(len(queries), 0)
        assert found is not None
        self.assertEqual(found.entry.pk, self.news.pk)
        self.assertEqual(found.captured, {"year": "2020", "slug": "hi"})


class TestResolveAndAPIs(PatternTestCase):
    def test_resolve(self) -> None:
        answer = resolve(self.site, "/old-section/a/b/")
        self.assertEqual(
            (answer.kind, answer.status_code, answer.location, answer.source_id),
            ("redirect", 301, "/new-section/a/b/", self.section.pk),
        )
        self.assertEqual(resolve(self.site, "/gone-section/x/").kind, "gone")
        self.assertEqual(resolve(self.site, "/about/").kind, "none")
        self.assertEqual(resolve(self.other, "/news/2019/x/").kind, "none")
        self.assertEqual(resolve(self.other, "/shop/x/").location, "/all-shop/")

    def test_api_v2(self) -> None:
        response = Client().get(
            "/api/v2/redirects/resolve/", {"html_path": "/old-section/a/", "site": "localhost"}
        )
        data = response.json()
        self.assertEqual(
            (data["kind"], data["status_code"], data["location"]),
            ("redirect", 301, "/new-section/a/"),
        )

    @skipUnless(HAS_V3, "Wagtail 7.4 has no v3 API")
    def test_api_v3(self) -> None:
        for endpoint in ("find", "resolve"):
            response = Client().get(
                f"/api/v3/redirect-tools/{endpoint}/",
                {"html_path": "/news/2019/hi/", "site": "localhost"},
            )
            self.assertEqual(response.status_code, 200, endpoint)
            self.assertEqual(response.json()["location"], "/blog/hi", endpoint)


class TestIndex(TestCase):
    """The trie alone: precedence and bounded work."""

    @staticmethod
    def index(*sources: tuple[str, int | None]) -> PatternIndex:
        entries = []
        for pk, (source, site_id) in enumerate(sources, start=1):
            redirect = Redirect(pk=pk, old_path=source, site_id=site_id, redirect_link="/t/")
            entries.append(entry_for(redirect, 301, False))
        return PatternIndex(entries, None)

    def source(self, index: PatternIndex, path: str, site_id: int | None = 1) -> str | None:
        found = index.match(site_id, path)
        return found.entry.pattern.source if found else None

    def test_literal_before_named_before_splat(self) -> None:
        index = self.index(("/a/*", None), ("/a/:x/*", None), ("/a/b/*", None), ("/a/:x", None))
        self.assertEqual(self.source(index, "/a/b/c"), "/a/b/*")
        self.assertEqual(self.source(index, "/a/z/c"), "/a/:x/*")
        self.assertEqual(self.source(index, "/a/z"), "/a/:x")
        self.assertEqual(self.source(index, "/a/z/"), "/a/:x")
        self.assertEqual(self.source(index, "/a"), "/a/*")
        self.assertEqual(self.source(index, "/a//"), "/a/*")
        self.assertIsNone(self.source(index, "/b"))

    def test_backtracks_when_the_literal_branch_ends_nowhere(self) -> None:
        index = self.index(("/a/b/:c/e", None), ("/a/:x/d", None))
        self.assertEqual(self.source(index, "/a/b/d"), "/a/:x/d")

    def test_sites(self) -> None:
        index = self.index(("/s/*", None), ("/s/*", 1), ("/s/x/*", None), ("/t/*", 2))
        self.assertEqual(self.index_pk(index, "/s/y", 1), 2)  # the site's own, same node
        self.assertEqual(self.index_pk(index, "/s/y", 3), 1)  # all sites
        self.assertEqual(self.index_pk(index, "/s/x/y", 1), 3)  # more specific wins
        self.assertIsNone(index.match(1, "/t/y"))

    @staticmethod
    def index_pk(index: PatternIndex, path: str, site_id: int) -> int | None:
        found = index.match(site_id, path)
        return found.entry.pk if found else None

    def test_a_long_path_against_many_named_patterns_stays_bounded(self) -> None:
        # Every level has a literal and a named branch; a path that matches neither's end
        # visits each node at most once (no exponential backtracking).
        sources = []
        for depth in range(1, 30):
            named = "/".join(f":n{level}" for level in range(depth))
            sources.append(("/" + "/".join(["a"] * depth) + "/:last/zz", None))
            sources.append((f"/{named}/yy", None))
        index = self.index(*sources)
        self.assertIsNone(index.match(1, "/" + "/".join(["a"] * 40)))
        self.assertEqual(index.match(1, "/a/a/a/b/zz").entry.pattern.source, "/a/a/a/:last/zz")
        # A walk takes each node at most once (a node sits at one depth): the work is
        # bounded by the trie, which has a node per distinct prefix of the sources (not
        # per combination of branches, which would be 2**30 here).
        self.assertLessEqual(count_nodes(index.root), 1 + 5 * 29)


class TestNotFoundReport(PatternTestCase):
    def test_a_logged_path_under_a_pattern_leaves_the_report(self) -> None:
        for path in ("/old-section/a", "/news/2019/x", "/nothing/here", "/news/2019"):
            NotFoundPath.objects.create(
                site=self.site, path=path, first_seen_at=NOW, last_seen_at=NOW
            )
        NotFoundPath.objects.create(
            site=self.other, path="/news/2019/x", first_seen_at=NOW, last_seen_at=NOW
        )
        open_paths = sorted(unanswered().values_list("site__hostname", "path"))
        self.assertEqual(
            open_paths,
            [
                ("localhost", "/news/2019"),
                ("localhost", "/nothing/here"),
                ("other.test", "/news/2019/x"),
            ],
        )


class TestAmongManyExactRedirects(TestCase):
    """Issue 33's figure: one pattern beside 10,000 exact redirects (run it on PostgreSQL:
    ``WRT_DATABASE=postgres``): a first hit under the pattern costs the exact lookup's one
    query, a repeated one none."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        Redirect.objects.bulk_create(
            [Redirect(old_path=f"/old/{i}", redirect_link=f"/new/{i}/") for i in range(10_000)],
            batch_size=2000,
        )
        cls.pattern = add_pattern("/old-section/*", "/new-section/:splat")

    def setUp(self) -> None:
        forget_process_state()
        stamps.current()
        pattern_index.current()  # as any earlier 404 of this process leaves it

    def test_a_repeated_hit_costs_no_query(self) -> None:
        client = Client(HTTP_HOST="localhost")
        with self.assertNumQueries(1):
            request = RequestFactory().get("/old-section/a/b/", HTTP_HOST="localhost")
            request._wagtail_site = self.site  # type: ignore[attr-defined]
            match = find_core_redirect(request)
        assert match is not None
        self.assertEqual(match.location(), "/new-section/a/b/")
        client.get("/old-section/x/")  # the first request of this path
        with self.assertNumQueries(0):
            response = client.get("/old-section/x/")
        self.assertEqual((response.status_code, response["Location"]), (301, "/new-section/x/"))
        client.get("/old/17/")
        with self.assertNumQueries(0):  # an exact redirect, repeated: as before
            response = client.get("/old/17/")
        self.assertEqual(response["Location"], "/new/17/")


class TestNoPatterns(TestCase):
    def test_an_empty_index_is_kept_too(self) -> None:
        forget_process_state()
        stamps.current()
        with self.assertNumQueries(1):
            pattern_index.current()
        with self.assertNumQueries(0):
            self.assertFalse(pattern_index.current())


class TestBulkActions(TestCase):
    """The Redirects listing's bulk actions change and delete pattern redirects as any
    other, each with its audit-log entry, and the visitors' answers follow at once."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        cls.pattern = add_pattern("/bulk-section/*", "/moved/:splat")

    def setUp(self) -> None:
        forget_process_state()
        self.client.force_login(self.superuser)

    @staticmethod
    def action_url(action: str, redirect: Redirect) -> str:
        url = reverse("wagtail_bulk_action", args=["wagtailredirects", "redirect", action])
        return f"{url}?next=/admin/&id={redirect.pk}"

    def test_change_status_then_delete(self) -> None:
        self.assertEqual(Client().get("/bulk-section/a/").status_code, 301)  # remembered
        self.client.post(self.action_url("change_status", self.pattern), {"status_code": "307"})
        response = Client().get("/bulk-section/a/")
        self.assertEqual((response.status_code, response["Location"]), (307, "/moved/a/"))
        self.pattern.refresh_from_db()
        self.assertTrue(RedirectDetails.is_pattern_redirect(self.pattern))
        entry = ModelLogEntry.objects.get(action="wagtail_redirect_tools.change_status")
        self.assertEqual(entry.data["status_code"], {"from": 301, "to": 307})

        self.client.post(self.action_url("change_status", self.pattern), {"status_code": "410"})
        self.assertEqual(Client().get("/bulk-section/a/").status_code, 410)

        self.client.post(self.action_url("delete", self.pattern))
        self.assertFalse(Redirect.objects.filter(pk=self.pattern.pk).exists())
        self.assertTrue(ModelLogEntry.objects.filter(action="wagtail.delete").exists())
        self.assertEqual(Client().get("/bulk-section/a/").status_code, 404)


class TestModelValidation(TestCase):
    def test_a_pattern_redirect_must_parse_and_fill(self) -> None:
        fine = add_pattern("/v-ok/*", "/v-new/:splat")
        fine.details.full_clean()
        wrong_target = add_pattern("/v-target/*", "/v-new/:slug")
        with self.assertRaisesMessage(ValidationError, "does not define"):
            wrong_target.details.full_clean()
        broken = add_pattern("/v-broken/*/x", "/v-new/")
        with self.assertRaisesMessage(ValidationError, "last segment"):
            broken.details.full_clean()
        # The same path as an exact redirect is fine: only patterns are parsed.
        exact = add_exact("/v-exact/*/x", "/v-new/")
        RedirectDetails.record(exact)
        exact.details.full_clean()
