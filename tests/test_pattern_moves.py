"""A pattern redirect whose target lies under a page that moves or changes slug follows it
(``autoredirects/pattern_targets.py``): a visitor takes one hop, not two through the
automatic redirect of the page's old URL."""

from __future__ import annotations

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry

from tests.test_autoredirects import move, rename
from tests.test_pattern_resolution import add_pattern
from tests.utils.autoredirects import AutoRedirectTestCase, get
from tests.utils.pages import add_page, make_site
from wagtail_redirect_tools.autoredirects import ACTION_CREATED


class TestPatternTargetsFollowThePage(AutoRedirectTestCase):
    def link(self, redirect: Redirect) -> str:
        redirect.refresh_from_db()
        return redirect.redirect_link

    def test_a_move_rewrites_the_target_and_a_visitor_takes_one_hop(self) -> None:
        pattern = add_pattern("/old-news/*", "/news/:splat")
        self.assertEqual(get("/old-news/story/")["Location"], "/news/story/")
        with self.captureOnCommitCallbacks(execute=True):
            move(self.news, self.about)
        self.assertEqual(self.link(pattern), "/about/news/:splat")
        self.assert_redirects_to("/old-news/story/deep/", "/about/news/story/deep/")
        entry = PageLogEntry.objects.filter(action=ACTION_CREATED).latest("pk")
        self.assertEqual(entry.data["repointed"], 1)

    def test_a_slug_change_rewrites_the_target_and_moving_back_restores_it(self) -> None:
        pattern = add_pattern("/archive/:year/:slug", "/news/:slug/?year=:year")
        with self.captureOnCommitCallbacks(execute=True):
            news = rename(self.news, "latest")
        self.assertEqual(self.link(pattern), "/latest/:slug/?year=:year")
        self.assertEqual(get("/archive/2020/story")["Location"], "/latest/story/?year=2020")
        with self.captureOnCommitCallbacks(execute=True):
            rename(news, "news")
        self.assertEqual(self.link(pattern), "/news/:slug/?year=:year")

    def test_targets_elsewhere_full_urls_and_fixed_targets_are_left_alone(self) -> None:
        sibling = add_pattern("/old-about/*", "/about/:splat")
        prefix_only = add_pattern("/n/*", "/newsletter/:splat")  # /news is not its prefix
        full = add_pattern("/ext/*", "https://example.org/news/:splat")
        fixed = add_pattern("/all-news/*", "/news/")  # a fixed target: the page, as chains
        with self.captureOnCommitCallbacks(execute=True):
            move(self.news, self.about)
        self.assertEqual(self.link(sibling), "/about/:splat")
        self.assertEqual(self.link(prefix_only), "/newsletter/:splat")
        self.assertEqual(self.link(full), "https://example.org/news/:splat")
        fixed.refresh_from_db()
        self.assertEqual((fixed.redirect_link, fixed.redirect_page_id), ("", self.news.pk))
        self.assert_redirects_to("/all-news/anything/", "/about/news/")

    def test_a_target_that_would_lead_under_its_own_pattern_is_kept(self) -> None:
        pattern = add_pattern("/about/*", "/news/:splat")
        with self.captureOnCommitCallbacks(execute=True):
            move(self.news, self.about)
        self.assertEqual(self.link(pattern), "/news/:splat")
        entry = PageLogEntry.objects.filter(action=ACTION_CREATED).latest("pk")
        self.assertIn("/about/*", " ".join(entry.data["conflicts"]))
        self.assertEqual(entry.data["repointed"], 0)

    def test_other_sites_and_all_sites_patterns(self) -> None:
        other_home = add_page(Page.objects.get(depth=1), "other-home", title="Other")
        other = make_site("other.example", other_home)
        add_page(other_home, "news")
        on_other = add_pattern("/old-news/*", "/news/:splat", site=other)
        everywhere = add_pattern("/everywhere/*", "/news/:splat")
        on_this = add_pattern("/old-news/*", "/news/:splat", site=self.site)
        with self.captureOnCommitCallbacks(execute=True):
            move(self.news, self.about)
        self.assertEqual(self.link(on_this), "/about/news/:splat")
        self.assertEqual(self.link(on_other), "/news/:splat")
        # On the other site /news/ is another page, which did not move.
        self.assertEqual(self.link(everywhere), "/news/:splat")
