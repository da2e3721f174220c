"""The target the "Not found" report suggests on its *Create redirect* form (issue 32,
item 2): only one an editor would accept, with the reason, a standard page before a news
item, in one query.

"Acceptable" (``not_found.suggestions``): the words of the path's last segment and those of
the page's title (or of its slug) match, each word of the shorter list is in the longer, and
at least half of the longer's. A news item is a page without children under a page listing
ten or more, or one with a year in its URL."""

from __future__ import annotations

import re
import time

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.suggestions import suggest_target
from wagtail_redirect_tools.not_found.writing import write_counts

NEWS = [
    ("council-elections-2024", "Council elections"),
    ("bin-collections", "Bin collections"),
    ("new-harbour-wall", "New harbour wall"),
    ("beach-clean", "Beach clean"),
    ("library-opening-hours", "Library opening hours"),
    ("budget-consultation", "Budget consultation"),
    ("winter-gritting", "Winter gritting"),
    ("summer-festival", "Summer festival"),
    ("bus-timetable", "Bus timetable"),
    ("pier-repairs", "Pier repairs"),
    ("street-lighting", "Street lighting"),
]

# (the path's last segment, a title, whether an editor would accept it), pinned.
ACCEPTED = [
    ("council-tax-bands", "Council tax bands"),
    ("council-tax-bands", "Council tax"),  # the topic of the page that was removed
    ("bins", "Bins and recycling"),
    ("about-us.html", "About us"),
    ("recyling-centres", "Recycling centre"),  # a typo, and a plural
    ("planning-applications", "Planning application search"),
    ("parking-permits", "Parking"),
    ("Council_Tax", "Council tax"),
]
REFUSED = [
    ("council-tax-bands", "Council elections"),  # the harm seen: one shared word of three
    ("library-opening-hours", "Leisure centre opening hours"),  # other place, same hours
    ("tax", "Council tax bands frozen"),
    ("jobs", "Jobcentre closures announced"),
    ("bins", "Bingo night"),
    ("about-us.html", "Contact us"),
    ("2019", "Annual report 2019"),  # no words, only a year
]


class TestLikeness(TestCase):
    def test_what_an_editor_would_accept(self) -> None:
        from wagtail_redirect_tools.not_found.suggestions import likeness

        for segment, title in ACCEPTED:
            with self.subTest(segment=segment, title=title):
                self.assertIsNotNone(likeness(segment, title))
        for segment, title in REFUSED:
            with self.subTest(segment=segment, title=title):
                self.assertIsNone(likeness(segment, title))


class TestSuggestedTarget(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        services = add_page(home, "services", title="Services")
        cls.council_tax = add_page(services, "council-tax", title="Council tax")
        add_page(cls.council_tax, "pay-council-tax", title="Pay your council tax")
        cls.bins = add_page(services, "bins-and-recycling", title="Bin collections and recycling")
        add_page(cls.bins, "report-a-missed-bin", title="Report a missed bin")
        news = add_page(home, "news", title="News")
        cls.news = {slug: add_page(news, slug, title=title) for slug, title in NEWS}
        cls.editor = make_user("editor", "add_redirect")

    def log(self, path: str) -> NotFoundPath:
        counts = NotFoundCounts(max_paths=10)
        counts.add((self.site.pk, path), bot=False, when=time.time(), referer="")
        write_counts(counts)
        return NotFoundPath.objects.get(path=path)

    def create_form(self, path: str) -> str:
        self.client.force_login(self.editor)
        entry = self.log(path)
        response = self.client.get(
            reverse("wagtail_redirect_tools:not_found_create", args=[entry.pk])
        )
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def suggested(self, html: str) -> Page | None:
        """The page the form's "Use this page" button applies, if any."""
        found = re.findall(r"[?&]amp;redirect_page=(\d+)|[?&]redirect_page=(\d+)", html)
        pks = {int(a or b) for a, b in found}
        self.assertLessEqual(len(pks), 1, pks)
        return Page.objects.get(pk=pks.pop()).specific if pks else None

    def test_council_tax_bands_is_not_sent_to_the_elections_story(self) -> None:
        html = self.create_form("/council-tax-bands")
        self.assertEqual(self.suggested(html), self.council_tax)
        self.assertIn("Suggested target for /council-tax-bands: &#x27;Council tax&#x27;", html)
        self.assertIn("Its title has the words council, tax.", html)

    def test_nothing_when_only_a_story_shares_a_word(self) -> None:
        self.council_tax.delete()
        html = self.create_form("/council-tax-bands")
        self.assertIsNone(self.suggested(html))
        self.assertNotIn("Suggested target", html)

    def test_a_page_before_a_news_item_that_matches_as_well(self) -> None:
        # The story "Bin collections" has exactly the words; the service page has them too.
        html = self.create_form("/bin-collections")
        self.assertEqual(self.suggested(html), self.bins)

    def test_a_news_item_is_offered_as_one_when_no_page_matches(self) -> None:
        html = self.create_form("/news/2019/pier-repairs.html")
        self.assertEqual(self.suggested(html), self.news["pier-repairs"])
        self.assertIn("a news item", html)

    def test_the_same_last_path_word(self) -> None:
        html = self.create_form("/old-site/services/bins-and-recycling.aspx")
        self.assertEqual(self.suggested(html), self.bins)
        self.assertIn("Its URL ends in the same words", html)

    def test_one_query(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            suggest_target(self.site, "/council-tax-bands")
        self.assertEqual(len(queries), 1, [q["sql"] for q in queries])
