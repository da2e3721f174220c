"""A 404 that Wagtail's page routing gives again and again costs no query from the third
request on: the page tree alone decides it (no page at the path, or one that is not live,
and no page on the way with routes of its own), so routing is skipped while no redirect,
site or page changes. The first 404 costs what it did; the 404 page is rendered for each
request, and the 404 log counts every one."""

from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.contrib.redirects.models import Redirect
from wagtail.test.utils import WagtailTestUtils

from tests.testapp.models import EventIndexPage
from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.models import ChangeStamp
from wagtail_redirect_tools.not_found import log
from wagtail_redirect_tools.not_found.writing import normalise
from wagtail_redirect_tools.resolution import window_index

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)

#: The project's 404 page: rendered with the time, so a page given again is seen.
TEMPLATES_WITH_404 = [
    {
        **settings.TEMPLATES[0],
        "APP_DIRS": False,
        "OPTIONS": {
            **settings.TEMPLATES[0]["OPTIONS"],
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {"404.html": "Nothing at {{ request_path }} at {% now 'H:i:s' %}."},
                ),
                "django.template.loaders.app_directories.Loader",
            ],
        },
    }
]

#: Queries of a first 404 routed by Wagtail one level below the home page, once the host
#: was seen (the warm-up): the root's specific page and the child by slug (routing; the
#: site with its root page is set from memory, ``sites.preset_site``); nothing of ours.
FIRST_404_QUERIES = 2


@override_settings(TEMPLATES=TEMPLATES_WITH_404)
class EarlyNotFoundTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        cls.draft = add_page(cls.home, "draft", live=False)
        cls.events = add_page(cls.home, "events", page_class=EventIndexPage)

    def setUp(self) -> None:
        self.traveller = self.enterContext(time_machine.travel(NOW, tick=False))
        window_index.current_index(timezone.now())
        log.take_due(force=True)
        self.visitor = Client()

    def get(self, path: str) -> object:
        return self.visitor.get(path)

    def queries_of(self, path: str, status: int = 404) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.get(path)
        self.assertEqual(response.status_code, status)  # type: ignore[attr-defined]
        return len(queries)

    def assert_routed_every_time(self, path: str) -> None:
        for _ in range(4):
            self.assertGreater(self.queries_of(path), 0)


class TestRepeatedNotFound(EarlyNotFoundTestCase):
    def test_no_query_from_the_third_request_with_a_query_string(self) -> None:
        path = "/gone/?utm_source=news"
        self.get("/warm-up/")  # made once per process: the stored paths, the patterns
        with self.assertNumQueries(FIRST_404_QUERIES):
            self.assertEqual(self.get(path).status_code, 404)
        # The second 404 checks the page tree (one query of the pages on the way).
        with self.assertNumQueries(FIRST_404_QUERIES + 1):
            self.assertEqual(self.get(path).status_code, 404)
        for _ in range(3):
            with self.assertNumQueries(0):
                self.assertEqual(self.get(path).status_code, 404)

    def test_a_deeper_path_and_a_head_request(self) -> None:
        path = "/about/no/such/page/"
        self.get(path)
        self.get(path)
        with self.assertNumQueries(0):
            self.assertEqual(self.get(path).status_code, 404)
        with self.assertNumQueries(0):
            self.assertEqual(self.visitor.head(path).status_code, 404)

    def test_the_404_page_is_rendered_for_each_request(self) -> None:
        path = "/gone/"
        bodies = []
        for _ in range(4):
            bodies.append(self.get(path).content)  # type: ignore[attr-defined]
            self.traveller.shift(datetime.timedelta(seconds=1))
        self.assertEqual(
            bodies,
            [f"Nothing at /gone/ at 12:00:0{second}.".encode() for second in range(4)],
        )

    def test_the_404_log_counts_every_request(self) -> None:
        for _ in range(5):
            self.get("/gone/")
        counts = log.take_due(force=True)
        assert counts is not None
        self.assertEqual([entry.hits for entry in normalise(counts).values()], [5])

    def test_a_page_that_is_not_live(self) -> None:
        for path in ("/draft/", "/draft/child/"):
            self.get(path)
            self.get(path)
            with self.assertNumQueries(0):
                self.assertEqual(self.get(path).status_code, 404)

    def test_a_post_is_routed(self) -> None:
        for _ in range(3):
            self.get("/gone/")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.visitor.post("/gone/").status_code, 404)
        self.assertGreater(len(queries), 0)

    def test_another_language_is_routed(self) -> None:
        # Without language prefixes the root a path is routed from can depend on it.
        for _ in range(3):
            self.get("/gone/")
        with translation.override("fr"):
            self.assertGreater(self.queries_of("/gone/"), 0)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_ANSWER_BEFORE_ROUTING=False)
    def test_switched_off(self) -> None:
        self.assert_routed_every_time("/gone/")


class TestRoutesOfTheirOwn(EarlyNotFoundTestCase):
    """A page class with its own ``route()`` may start answering a sub-path with no page
    changed (a new snippet, a tag): its 404s are never decided before routing."""

    def test_a_routable_page_sub_path(self) -> None:
        self.assert_routed_every_time("/events/nothing/")

    def test_below_a_routable_page(self) -> None:
        self.assert_routed_every_time("/events/nothing/deeper/")

    def test_a_routable_page_as_the_site_root(self) -> None:
        self.site.root_page = self.events
        self.site.save()
        self.assert_routed_every_time("/nothing/")


class TestChanges(EarlyNotFoundTestCase):
    def known(self, path: str) -> None:
        self.get(path)
        self.get(path)
        with self.assertNumQueries(0):
            self.assertEqual(self.get(path).status_code, 404)

    def test_a_page_published_at_the_path(self) -> None:
        self.known("/draft/")
        self.draft.save_revision().publish()
        self.assertEqual(self.get("/draft/").status_code, 200)

    def test_a_page_added_at_the_path(self) -> None:
        self.known("/news/")
        add_page(self.home, "news")
        self.assertEqual(self.get("/news/").status_code, 200)

    def test_a_redirect_added(self) -> None:
        self.known("/gone/")
        Redirect.add_redirect("/gone", self.about, is_permanent=True)
        response = self.get("/gone/")
        self.assertEqual((response.status_code, response["Location"]), (301, "/about/"))  # type: ignore[index, attr-defined]

    def test_a_page_published_in_another_process(self) -> None:
        self.known("/draft/")
        type(self.draft).objects.filter(pk=self.draft.pk).update(live=True)
        ChangeStamp.objects.filter(name="pages").update(stamp="another-process")
        with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0):
            self.assertEqual(self.get("/draft/").status_code, 200)
