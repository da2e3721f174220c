"""The Redirects listing filtered to one move's redirects names the move, not its audit-log
entry's id (issue 32, item 7): "Move of News, <its time in the editor's zone>"."""

from __future__ import annotations

import datetime
import re

import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase
from wagtail.models import PageLogEntry
from wagtail.users.models import UserProfile

from tests.utils.pages import add_page, fresh_site_tree

MOVED_AT = datetime.datetime(2026, 12, 5, 11, 43, tzinfo=datetime.UTC)
LISTING = "/admin/redirect-tools/redirects/"


def active_filters(html: str) -> str:
    """The text of the listing's active filter chips."""
    match = re.search(r'<ul class="w-active-filters">.*?</ul>', html, re.S)
    assert match is not None, "no active filters"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


class TestMoveFilterChip(TestCase):
    def setUp(self) -> None:
        self.site, self.home = fresh_site_tree("localhost")
        self.news = add_page(self.home, "news", title="News")
        add_page(self.news, "story")
        self.about = add_page(self.home, "about", title="About")
        self.services = add_page(self.home, "services", title="Services")
        self.user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        profile = UserProfile.get_for_user(self.user)
        profile.current_time_zone = "Europe/Berlin"  # UTC+1 in December
        profile.save()
        self.client.force_login(self.user)

    def entry_after(self, url: str, data: dict[str, str]) -> PageLogEntry:
        with time_machine.travel(MOVED_AT, tick=False):
            response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        return PageLogEntry.objects.filter(action="wagtail_redirect_tools.auto_redirects").latest(
            "pk"
        )

    def test_a_move_is_named_by_page_action_and_local_time(self) -> None:
        entry = self.entry_after(f"/admin/pages/{self.news.pk}/move/{self.about.pk}/confirm/", {})
        chips = active_filters(self.client.get(LISTING, {"move": entry.pk}).content.decode())
        self.assertIn("Move of News, Dec. 5, 2026, 12:43 p.m.", chips)
        self.assertNotIn("(log entry)", chips)
        self.assertNotIn(f": {entry.pk}", chips)

    def test_a_slug_change_is_named_so(self) -> None:
        """Published with a new slug (the page editor's Publish does the same)."""
        page = self.services.specific
        page.slug = "council-services"
        with (
            time_machine.travel(MOVED_AT, tick=False),
            self.captureOnCommitCallbacks(execute=True),
        ):
            page.save_revision(user=self.user).publish(user=self.user)
        entry = PageLogEntry.objects.get(action="wagtail_redirect_tools.auto_redirects")
        chips = active_filters(self.client.get(LISTING, {"move": entry.pk}).content.decode())
        self.assertIn("Slug change of Services, Dec. 5, 2026, 12:43 p.m.", chips)
