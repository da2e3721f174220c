"""``next=`` leads only back into this site (issue 29, item 10): on every screen of the
package that takes one, a ``next`` naming another host (``//evil.example/x`` and its
kin) becomes neither the Cancel link nor the redirect after confirming; the screen's
own way back is used instead. A ``next`` on this site is kept."""

from __future__ import annotations

import datetime
import re
import time
from html import unescape

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageLogEntry

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.autoredirects.report import ACTION_CREATED
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.writing import write_counts

HOSTILE = (
    "//evil.example/x",
    "https://evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "///evil.example/x",
    "javascript:alert(1)",
)
REPORT = "wagtail_redirect_tools:not_found"


class NextTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.page = add_page(cls.home, "summer")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        counts = NotFoundCounts(max_paths=10)
        counts.add((cls.site.pk, "/old-page"), bot=False, when=time.time(), referer="")
        write_counts(counts)

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def assert_not_sent_away(self, response: object) -> None:
        """No link, no ``next`` carried on and no redirect of the response names the other
        host. (A form may post to its own URL with the ``next`` it was given: the view
        checks it again when it answers the POST.)"""
        content = response.content.decode()  # type: ignore[attr-defined]
        carried = re.findall(r'(?:href|value)="([^"]*)"', content)
        location = response.get("Location", "")  # type: ignore[attr-defined]
        for url in (*carried, location):
            self.assertNotIn("evil.example", unescape(url))
            self.assertFalse(unescape(url).startswith("javascript:"), url)


class TestNotFoundFixes(NextTestCase):
    def entry_id(self) -> int:
        return NotFoundPath.objects.get(path="/old-page").pk

    def test_the_cancel_link_stays_on_the_site(self) -> None:
        for action in ("ignore", "gone", "redirect"):
            url = reverse("wagtail_redirect_tools:not_found_fix", args=[action])
            for next_url in HOSTILE:
                with self.subTest(action=action, next=next_url):
                    response = self.client.get(url, {"id": self.entry_id(), "next": next_url})
                    self.assertEqual(response.status_code, 200)
                    self.assert_not_sent_away(response)
                    self.assertContains(response, f'href="{reverse(REPORT)}"')

    def test_confirming_returns_to_the_report(self) -> None:
        for action, extra in (
            ("redirect", {"redirect_link": "/new/"}),
            ("gone", {}),
            ("ignore", {}),
        ):
            url = reverse("wagtail_redirect_tools:not_found_fix", args=[action])
            for next_url in HOSTILE:
                with self.subTest(action=action, next=next_url):
                    data = {"id": self.entry_id(), "next": next_url, **extra}
                    response = self.client.post(url, data)
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(response["Location"], reverse(REPORT))

    def test_a_next_on_this_site_is_kept(self) -> None:
        back = reverse(REPORT) + "?min_hits=1"
        url = reverse("wagtail_redirect_tools:not_found_fix", args=["ignore"])
        response = self.client.get(url, {"id": self.entry_id(), "next": back})
        self.assertContains(response, 'href="/admin/redirect-tools/not-found/?min_hits=1"')
        response = self.client.post(url, {"id": self.entry_id(), "next": back})
        self.assertEqual(response["Location"], back)


class TestSiblings(NextTestCase):
    """The other screens taking ``next`` (they use Wagtail's check already)."""

    def test_end_now(self) -> None:
        now = datetime.datetime.now(datetime.UTC)
        window = schedule_redirect("/promo", "/x/", expires_at=now + datetime.timedelta(days=1))
        url = reverse("wagtail_redirect_tools:end_window", args=[window.pk])
        for next_url in HOSTILE:
            with self.subTest(next=next_url):
                self.assert_not_sent_away(self.client.get(url, {"next": next_url}))
                response = self.client.post(f"{url}?next={next_url}")
                self.assertEqual(
                    response["Location"], reverse("scheduled_redirects:edit", args=[window.pk])
                )

    def test_redirect_temporarily(self) -> None:
        url = reverse("wagtail_redirect_tools:page_window", args=[self.page.pk])
        for next_url in HOSTILE:
            with self.subTest(next=next_url):
                self.assert_not_sent_away(self.client.get(url, {"next": next_url}))

    def test_undo_a_moves_redirects(self) -> None:
        archive = add_page(self.home, "archive")
        self.page.move(archive, pos="last-child")
        entry = PageLogEntry.objects.get(action=ACTION_CREATED)
        url = reverse("wagtail_redirect_tools:undo_move", args=[entry.pk])
        for next_url in HOSTILE:
            with self.subTest(next=next_url):
                self.assert_not_sent_away(self.client.get(url, {"next": next_url}))
                response = self.client.post(url, {"next": next_url})
                self.assertEqual(
                    response["Location"], reverse("wagtailadmin_explore", args=[archive.pk])
                )
