"""Automatic permanent redirects when pages move or change slug: through Wagtail's own
move and publish, and requested with the test client."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, Site

from tests.testapp.models import EventIndexPage, FlatUrlPage
from tests.utils.autoredirects import AutoRedirectTestCase, get
from tests.utils.pages import add_page, build_tree, fresh_site_tree, make_site, root_page
from wagtail_redirect_tools.autoredirects import ACTION_CREATED, redirect_old_urls


def move(page: Page, target: Page) -> Page:
    page.move(target, pos="last-child")
    return Page.objects.get(pk=page.pk)


def rename(page: Page, slug: str) -> Page:
    page = page.specific
    page.slug = slug
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk)


class TestMoveAndSlugChange(AutoRedirectTestCase):
    def test_every_old_url_of_a_moved_section_answers_301(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            move(self.news, self.about)
        self.assert_redirects_to("/news/", "/about/news/")
        self.assert_redirects_to("/news/story/", "/about/news/story/")
        self.assert_redirects_to("/news/story/deep/", "/about/news/story/deep/")
        self.assertFalse(Redirect.objects.filter(old_path="/news/draft").exists())
        rows = Redirect.objects.order_by("old_path")
        self.assertEqual(
            [
                (r.old_path, r.redirect_page_id, r.is_permanent, r.automatically_created)
                for r in rows
            ],
            [
                ("/news", self.news.pk, True, True),
                ("/news/story", self.story.pk, True, True),
                ("/news/story/deep", self.deep.pk, True, True),
            ],
        )

    def test_slug_change_redirects_the_page_and_its_descendants(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            rename(self.news, "latest-news")
        self.assert_redirects_to("/news/", "/latest-news/")
        self.assert_redirects_to("/news/story/deep/", "/latest-news/story/deep/")
        self.assertEqual(Redirect.objects.count(), 3)  # core's handler did not run as well

    def test_redirects_follow_later_moves(self) -> None:
        move(self.news, self.about)
        move(Page.objects.get(pk=self.news.pk), self.home)  # ...and back
        news_target = add_page(self.home, "archive")
        move(Page.objects.get(pk=self.news.pk), news_target)
        self.assert_redirects_to("/about/news/story/", "/archive/news/story/")
        # The page's first URL is no longer live: its redirect leads to where it is now.
        self.assert_redirects_to("/news/story/", "/archive/news/story/")

    def test_route_paths_of_a_routable_page_are_redirected(self) -> None:
        events = add_page(self.home, "events", page_class=EventIndexPage)
        move(events, self.about)
        self.assert_redirects_to("/events/past/", "/about/events/past/")
        route_row = Redirect.objects.get(old_path="/events/past")
        self.assertEqual(route_row.redirect_page_route_path, "/past/")

    def test_every_site_the_page_is_served_on(self) -> None:
        make_site("news.example", self.news)  # the section is also a site of its own
        move(self.deep, self.news)
        self.assert_redirects_to("/news/story/deep/", "http://news.example/deep/")
        self.assert_redirects_to("/story/deep/", "http://news.example/deep/", host="news.example")

    def test_no_cross_site_redirects_like_core(self) -> None:
        archive = add_page(root_page(), "archive")  # a tree of its own, not under localhost
        make_site("archive.example", archive)
        move(self.story, archive)
        # The story left localhost for archive.example: core makes no redirect between
        # sites, and neither do we (yet).
        self.assertFalse(Redirect.objects.exists())

    def test_a_reorder_creates_nothing(self) -> None:
        self.about.move(self.home, pos="first-child")
        self.assertFalse(Redirect.objects.exists())


class TestChainsLoopsAndConflicts(AutoRedirectTestCase):
    def test_redirects_to_an_old_url_are_repointed_at_the_page(self) -> None:
        relative = Redirect.objects.create(old_path="/vote", site=self.site, redirect_link="/news/")
        absolute = Redirect.objects.create(
            old_path="/latest", site=self.site, redirect_link="http://localhost/news/story/"
        )
        all_sites = Redirect.objects.create(old_path="/nachrichten", redirect_link="/news/")
        move(self.news, self.about)
        relative.refresh_from_db()
        absolute.refresh_from_db()
        all_sites.refresh_from_db()
        self.assertEqual((relative.redirect_page_id, relative.redirect_link), (self.news.pk, ""))
        self.assertEqual(absolute.redirect_page_id, self.story.pk)
        # With one site, a path on an all-sites redirect means this page too.
        self.assertEqual((all_sites.redirect_page_id, all_sites.redirect_link), (self.news.pk, ""))
        response = get("/vote")
        self.assertEqual((response.status_code, response["Location"]), (301, "/about/news/"))

    def test_moving_back_leaves_no_redirect_on_live_urls(self) -> None:
        move(self.news, self.about)
        move(Page.objects.get(pk=self.news.pk), self.home)
        live_paths = ["/news", "/news/story", "/news/story/deep"]
        self.assertFalse(Redirect.objects.filter(old_path__in=live_paths).exists())
        self.assertEqual(get("/news/story/").status_code, 200)
        self.assert_redirects_to("/about/news/story/", "/news/story/")

    def test_manual_redirects_are_never_overwritten_and_are_reported(self) -> None:
        manual = Redirect.objects.create(
            old_path="/news/story", site=self.site, redirect_link="https://elsewhere.example/"
        )
        stale_automatic = Redirect.objects.create(
            old_path="/news/story/deep",
            site=self.site,
            redirect_link="/old/",
            automatically_created=True,
        )
        move(self.news, self.about)
        manual.refresh_from_db()
        self.assertEqual(manual.redirect_link, "https://elsewhere.example/")
        self.assertFalse(Redirect.objects.filter(pk=stale_automatic.pk).exists())
        self.assert_redirects_to("/news/story/deep/", "/about/news/story/deep/")
        entry = PageLogEntry.objects.get(page=self.news, action=ACTION_CREATED)
        self.assertEqual(entry.data["conflict_count"], 1)
        self.assertIn("/news/story (site", entry.data["conflicts"][0])
        self.assertEqual((entry.data["created"], entry.data["replaced"]), (2, 1))


class TestOwnUrlScheme(AutoRedirectTestCase):
    """A page type that serves itself outside its parent's path: its old URL is looked up
    one by one even where nothing sits under the section's old or new path."""

    def setUp(self) -> None:
        super().setUp()
        self.flat = add_page(self.story, "flat", page_class=FlatUrlPage)

    def test_its_old_url_is_redirected(self) -> None:
        move(self.news, self.about)
        redirect = Redirect.objects.get(old_path="/flat/news-story-flat")
        self.assertEqual(redirect.redirect_page_id, self.flat.pk)

    def test_a_redirect_linking_to_its_old_url_is_repointed(self) -> None:
        link = Redirect.objects.create(
            old_path="/promo", site=self.site, redirect_link="/flat/news-story-flat/"
        )
        move(self.news, self.about)
        link.refresh_from_db()
        self.assertEqual((link.redirect_page_id, link.redirect_link), (self.flat.pk, ""))

    def test_a_manual_redirect_at_its_old_url_is_kept_and_reported(self) -> None:
        manual = Redirect.objects.create(
            old_path="/flat/news-story-flat", site=self.site, redirect_link="/kept/"
        )
        move(self.news, self.about)
        manual.refresh_from_db()
        self.assertEqual((manual.redirect_link, manual.automatically_created), ("/kept/", False))
        entry = PageLogEntry.objects.get(page=self.news, action=ACTION_CREATED)
        self.assertIn("/flat/news-story-flat (site", entry.data["conflicts"][0])

    def test_no_redirect_where_a_page_of_the_section_now_lives(self) -> None:
        # Once the section moves under /about/, the flat page's new URL is the plain
        # page's old URL: that URL is a live page's own, so no redirect goes there.
        section = add_page(self.home, "flat")
        plain = add_page(section, "about-flat-f")
        flat = add_page(section, "f", page_class=FlatUrlPage)
        move(section, self.about)
        self.assertEqual(Page.objects.get(pk=flat.pk).specific.url, "/flat/about-flat-f/")
        self.assertFalse(Redirect.objects.filter(old_path="/flat/about-flat-f").exists())
        # Its other old URLs are redirected as usual.
        self.assertEqual(Redirect.objects.get(old_path="/flat/flat-f").redirect_page_id, flat.pk)
        self.assertEqual(Redirect.objects.get(old_path="/flat").redirect_page_id, section.pk)
        self.assertFalse(Redirect.objects.filter(redirect_page=plain).exists())

    def test_moving_back_clears_the_redirect_from_its_live_url(self) -> None:
        move(self.news, self.about)
        # Only the page's own redirect is left: nothing under the section's paths.
        Redirect.objects.exclude(old_path__startswith="/flat/").delete()
        move(Page.objects.get(pk=self.news.pk), self.home)
        self.assertFalse(Redirect.objects.filter(old_path="/flat/news-story-flat").exists())
        self.assertTrue(Redirect.objects.filter(old_path="/flat/about-news-story-flat").exists())


class TestSwitches(AutoRedirectTestCase):
    """One switch: ours when it is set, otherwise core's ``WAGTAILREDIRECTS_AUTO_CREATE``
    (on by default), so a site that had turned core's off keeps them off after upgrading."""

    @override_settings(WAGTAIL_REDIRECT_TOOLS_AUTO_REDIRECTS=False)
    def test_our_setting_turns_it_off_and_core_does_not_step_in(self) -> None:
        move(self.news, self.about)
        self.assertFalse(Redirect.objects.exists())

    @override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False)
    def test_cores_setting_is_honoured_when_ours_is_not_set(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            rename(self.news, "latest-news")
        move(Page.objects.get(pk=self.news.pk), self.about)
        self.assertFalse(Redirect.objects.exists())

    @override_settings(
        WAGTAIL_REDIRECT_TOOLS_AUTO_REDIRECTS=True, WAGTAILREDIRECTS_AUTO_CREATE=False
    )
    def test_ours_when_set_decides_alone(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            move(self.news, self.about)
        self.assert_redirects_to("/news/story/", "/about/news/story/")

    @override_settings(
        WAGTAIL_REDIRECT_TOOLS_AUTO_REDIRECTS=False, WAGTAILREDIRECTS_AUTO_CREATE=True
    )
    def test_ours_off_wins_over_cores_on(self) -> None:
        move(self.news, self.about)
        self.assertFalse(Redirect.objects.exists())


@pytest.mark.slow  # a tree of 1,111 pages: 15-30 s to build on a small machine
class TestBulkQueries(TestCase):
    """Queries of the redirect step itself, measured on subtrees that have already moved."""

    @classmethod
    def setUpTestData(cls) -> None:
        _site, home = fresh_site_tree("localhost")
        small, large = add_page(home, "small"), add_page(home, "large")
        build_tree(small, depth=1, breadth=10)  # 11 pages with the section
        build_tree(large, depth=3, breadth=10)  # 1,111 pages
        elsewhere = add_page(home, "elsewhere")
        with override_settings(WAGTAIL_REDIRECT_TOOLS_AUTO_REDIRECTS=False):
            cls.small, cls.large = move(small, elsewhere), move(large, elsewhere)

    def queries_for(self, page: Page, batch_size: int, *, near: bool = False) -> list[str]:
        """The queries of ``page``'s redirect step; with ``near``, a redirect already sits
        under the section's old path and another links to a URL under it."""
        Redirect.objects.all().delete()
        before = f"/home-localhost/{page.slug}/"
        if near:
            site = Site.objects.get(hostname="localhost")
            Redirect.objects.create(old_path=f"/{page.slug}/gone", site=site, redirect_link="/")
            Redirect.objects.create(old_path="/short", redirect_link=f"/{page.slug}/nowhere/")
        Site.get_site_root_paths()  # cached, as on any site that has served a page
        with CaptureQueriesContext(connection) as queries:
            report = redirect_old_urls(page, url_path_before=before, batch_size=batch_size)
        assert report is not None
        self.assertEqual(report.created, Page.objects.descendant_of(page, inclusive=True).count())
        return [query["sql"] for query in queries.captured_queries]

    def test_queries_are_a_constant_plus_one_per_batch(self) -> None:
        small = self.queries_for(self.small, batch_size=100)  # 1 batch
        large = self.queries_for(self.large, batch_size=100)  # 12 batches
        per_batch, remainder = divmod(len(large) - len(small), 11)
        self.assertEqual(remainder, 0)
        # Nothing sits at the section's URLs or links to them (asked once per move, by
        # the section's old and new paths): per batch, its INSERT.
        self.assertEqual(per_batch, 1)
        # Once: the page, its sites, whether redirects sit at or link to URLs under the
        # section's paths, the subtree's rows, the audit log entry, a savepoint.
        self.assertLessEqual(len(small) - per_batch, 10)

    def test_lookups_per_batch_where_redirects_are_near(self) -> None:
        small = self.queries_for(self.small, batch_size=100, near=True)
        large = self.queries_for(self.large, batch_size=100, near=True)
        per_batch, remainder = divmod(len(large) - len(small), 11)
        self.assertEqual(remainder, 0)
        # Per batch: redirects already at its old and new URLs, one INSERT, redirects
        # that link to its old URLs (plus a DELETE when some are replaced).
        self.assertEqual(per_batch, 3)

    def test_one_batch_takes_1000_pages_in_as_many_queries_as_10(self) -> None:
        if connection.vendor == "sqlite":
            self.skipTest("SQLite takes at most 999 parameters per INSERT: batches are smaller")
        small = self.queries_for(self.small, batch_size=2000, near=True)
        large = self.queries_for(self.large, batch_size=2000, near=True)
        self.assertEqual(len(large), len(small))

    def test_no_query_grows_past_the_batch(self) -> None:
        by_100 = self.queries_for(self.large, batch_size=100, near=True)
        by_20 = self.queries_for(self.large, batch_size=20, near=True)
        longest_100 = max(len(sql) for sql in by_100)
        longest_20 = max(len(sql) for sql in by_20)
        self.assertLess(longest_20 * 3, longest_100)  # size follows the batch, not the subtree


class TestPathNormalisation(TestCase):
    def test_fast_path_agrees_with_core(self) -> None:
        from wagtail_redirect_tools.rules import normalise_path

        for path in [
            "/",
            "/news/",
            "/news",
            "/über-uns/",
            "/a/b/c/",
            "/x?b=2&a=1",
            "/%C3%BC/",
            "/a;p/",
            "//evil.example/x/",
            "/a//b/",
            "news/",
            " /padded/ ",
            "/a:b/",
            "http://example.com/x/",
        ]:
            with self.subTest(path=path):
                self.assertEqual(normalise_path(path), Redirect.normalise_path(path))
