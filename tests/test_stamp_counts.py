"""What each process derived from the database is kept by how many times the stamps changed,
not by the stamps' values: a write here changes the stamp here at once, and the stored one,
read back before the write's own stamp is stored (a TestCase never commits; in production
the store may fail), is the value the old answers were kept under. It is a change all the
same: nothing kept before the write may answer after it."""

from __future__ import annotations

import datetime

import time_machine
from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.models import ChangeStamp, RedirectDetails, ScheduledRedirect
from wagtail_redirect_tools.resolution import (
    forget_process_state,
    pattern_index,
    remembered,
    stamps,
    window_index,
)
from wagtail_redirect_tools.resolution.remembered import NOT_REMEMBERED

from .test_membership import not_found

MOMENT = datetime.datetime(2031, 3, 4, 12, 0, tzinfo=datetime.UTC)


@override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0)
class TestReadBack(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        # A stored stamp, as every site has once something was written and committed.
        for name in stamps.NAMES:
            ChangeStamp.objects.update_or_create(name=name, defaults={"stamp": "stored"})

    def setUp(self) -> None:
        forget_process_state()

    def ask(self, path: str) -> tuple[int, str | None]:
        request = RequestFactory().get(path, HTTP_HOST="localhost")
        request._wagtail_site = self.site  # type: ignore[attr-defined]
        response = RedirectMiddleware(not_found)(request)
        return response.status_code, response.get("Location")

    def test_a_remembered_miss_is_forgotten_by_a_write_here(self) -> None:
        self.assertEqual(self.ask("/gone"), (404, None))
        Redirect.add_redirect("/gone", "/new/")
        # The stamps are read again (the interval is 0): the stored one is as before.
        self.assertEqual(stamps.current().redirects, "stored")
        self.assertEqual(self.ask("/gone"), (301, "/new/"))

    def test_a_memory_keeps_nothing_across_a_change_read_back_as_before(self) -> None:
        memory = remembered.Memory("redirects")
        memory.remember("key", "old answer", stamps.current())
        self.assertEqual(memory.recall("key", stamps.current()), "old answer")
        stamps.redirects_changed()
        self.assertEqual(stamps.current().redirects, "stored")
        self.assertIs(memory.recall("key", stamps.current()), NOT_REMEMBERED)

    def test_the_pattern_index_is_made_again_after_a_change_read_back_as_before(self) -> None:
        kept = pattern_index.current()
        self.assertIs(pattern_index.loaded(stamps.current()), kept)
        stamps.redirects_changed()
        self.assertEqual(stamps.current().redirects, "stored")
        self.assertIsNone(pattern_index.loaded(stamps.current()))

    def test_a_pattern_added_here_answers_at_once(self) -> None:
        self.assertEqual(self.ask("/blog/2020/post/"), (404, None))
        self.ask("/old-section/a/")  # the index is made now, with no pattern
        redirect = Redirect.add_redirect("/old-section/*", "/new-section/:splat")
        RedirectDetails.record(redirect, is_pattern=True)
        self.assertEqual(self.ask("/old-section/a/"), (301, "/new-section/a/"))

    def test_the_window_index_is_made_again_after_a_change_read_back_as_before(self) -> None:
        with time_machine.travel(MOMENT, tick=False):
            index = window_index.current_index(timezone.now())
            self.assertEqual(index.by_path, {})
            ScheduledRedirect.objects.create(
                site=self.site,
                old_path="/sale",
                redirect_link="/spring-sale/",
                starts_at=MOMENT - datetime.timedelta(hours=1),
                expires_at=MOMENT + datetime.timedelta(days=1),
            )
            self.assertEqual(stamps.current().windows, "stored")
            self.assertIn("/sale", window_index.current_index(timezone.now()).by_path)
