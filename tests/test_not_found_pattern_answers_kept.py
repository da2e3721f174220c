"""The logged paths a pattern redirect answers, kept per process between views of the 404
report (issue 34, item 5): after paths are logged, patterns added or removed (here and in
another process), rows purged, and a row committed late with a lower id than rows read
before, the report shows the same rows and totals as with nothing kept; and reading the
rows logged since costs one query."""

from __future__ import annotations

from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.test_not_found_report_answers import CORPUS, NOW, ReportCase, add_pattern, logged
from wagtail_redirect_tools.models import ChangeStamp, RedirectDetails
from wagtail_redirect_tools.not_found import queries
from wagtail_redirect_tools.not_found.models import NotFoundPath


class TestKeptAnswers(ReportCase):
    def setUp(self) -> None:
        super().setUp()
        queries._answered.forget()
        logged(self.site, *CORPUS)
        logged(self.other, *CORPUS[:8])
        add_pattern("/old-section/*")
        add_pattern("/news/:year/:slug", site=self.site)
        add_pattern("/a+b/(c)/*")

    def assert_as_fresh(self) -> list[tuple[str, str]]:
        """The report's rows and totals, and the panel's count, with the answers kept; then
        the same with nothing kept (read in full); and each of the kept ids a row there is."""
        kept = self.listed()
        kept_count = self.panel_count()
        known = queries._answered._known
        if known is not None:
            existing = set(NotFoundPath.objects.values_list("pk", flat=True))
            self.assertLessEqual(set(known.answered), existing)
        queries._answered.forget()
        self.assertEqual(self.listed(), kept)
        self.assertEqual(self.panel_count(), kept_count)
        self.assertEqual(kept_count, len(kept))
        return kept

    def test_paths_logged_since(self) -> None:
        before = self.assert_as_fresh()
        logged(self.site, "/old-section/new", "/news/2020/new", "/still/open")
        after = self.assert_as_fresh()
        self.assertEqual(sorted(set(after) - set(before)), [("localhost", "/still/open")])

    def test_reading_what_was_logged_since_is_one_query(self) -> None:
        queries.pattern_answered_ids()
        logged(self.site, "/old-section/new", "/still/open")
        with self.assertNumQueries(1):
            answered = queries.pattern_answered_ids()
        new = NotFoundPath.objects.get(site=self.site, path="/old-section/new")
        self.assertIn(new.pk, answered)
        with self.assertNumQueries(1):
            self.assertEqual(queries.pattern_answered_ids(), answered)

    def test_a_pattern_added_and_removed_here(self) -> None:
        self.assert_as_fresh()
        pattern = add_pattern("/shop/*")
        with_shop = self.assert_as_fresh()
        self.assertNotIn(("localhost", "/shop/x"), with_shop)
        pattern.delete()
        without = self.assert_as_fresh()
        self.assertIn(("localhost", "/shop/x"), without)

    def test_a_pattern_added_and_removed_in_another_process(self) -> None:
        with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0):
            self.assert_as_fresh()
            # Another process: its rows and its stored stamp, no signal here.
            (pattern,) = Redirect.objects.bulk_create(
                [Redirect(old_path="/shop/*", redirect_link="/elsewhere/")]
            )
            RedirectDetails.objects.bulk_create(
                [RedirectDetails(redirect=pattern, status_code=301, is_pattern=True)]
            )
            ChangeStamp.objects.update_or_create(name="redirects", defaults={"stamp": "added"})
            self.assertNotIn(("localhost", "/shop/x"), self.assert_as_fresh())
            Redirect.objects.filter(pk=pattern.pk).delete()
            ChangeStamp.objects.update_or_create(name="redirects", defaults={"stamp": "removed"})
            self.assertIn(("localhost", "/shop/x"), self.assert_as_fresh())

    def test_rows_purged(self) -> None:
        self.assert_as_fresh()
        NotFoundPath.objects.filter(path__startswith="/old-section").delete()
        queries.pattern_answered_ids()
        logged(self.site, "/old-section/again")
        after = self.assert_as_fresh()
        self.assertNotIn(("localhost", "/old-section/again"), after)
        self.assertIn(("localhost", "/shop/x"), after)  # logged before, still open

    def test_purged_rows_are_read_again_in_two_queries(self) -> None:
        queries.pattern_answered_ids()
        NotFoundPath.objects.filter(path="/old-section/a").delete()
        with self.assertNumQueries(2):  # the rows since, then the whole log again
            answered = queries.pattern_answered_ids()
        existing = set(NotFoundPath.objects.values_list("pk", flat=True))
        self.assertLessEqual(set(answered), existing)

    def test_a_row_committed_late_with_a_lower_id(self) -> None:
        # Ids are taken at insert, rows seen at commit: a row may appear below the
        # highest id read. Here: a row's id left free, then taken after a read.
        logged(self.site, "/placeholder", "/after")
        free_id = NotFoundPath.objects.get(site=self.site, path="/placeholder").pk
        NotFoundPath.objects.filter(pk=free_id).delete()
        self.assert_as_fresh()
        queries.pattern_answered_ids()
        NotFoundPath.objects.create(
            pk=free_id,
            site=self.site,
            path="/old-section/late",
            hits=1,
            first_seen_at=NOW,
            last_seen_at=NOW,
        )
        self.assertNotIn(("localhost", "/old-section/late"), self.assert_as_fresh())
