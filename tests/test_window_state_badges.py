"""A window's state badge looks the same on every screen that shows one (issue 32, item 1):
*Active* (what is redirected right now) stands out in Wagtail's positive colour,
*Scheduled* is Wagtail's info label, *Expired* and *Ended* are neutral, and nothing is
red (red is for errors). The dashboard lists the windows active now, not only those
starting or ending this week."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

import wagtail_redirect_tools
from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.scheduling import end_windows

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
CSS = Path(wagtail_redirect_tools.__file__).parent / "static/wagtail_redirect_tools/css/windows.css"
BADGE = re.compile(r'<span class="([^"]*)" data-window-state="(\w+)"')


def badges(html: str) -> dict[str, str]:
    """Each state shown on the screen and its badge's classes."""
    found: dict[str, str] = {}
    for classes, state in BADGE.findall(html):
        assert found.get(state, classes) == classes, (state, found[state], classes)
        found[state] = classes
    return found


@time_machine.travel(NOW, tick=False)
class TestStateBadges(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(NOW - 10 * DAY, tick=False):
            _site, home = fresh_site_tree("localhost")
            cls.bins = add_page(home, "bins", title="Bins")
            cls.news = add_page(home, "news", title="News")
            cls.superuser = get_user_model().objects.create_superuser(
                "admin", "a@example.com", "pw"
            )
            cls.active = schedule_redirect(cls.bins, cls.news, expires_at=NOW + 40 * DAY)
            cls.upcoming = schedule_redirect(
                "/bins-survey",
                cls.bins,
                starts_at=NOW + 20 * DAY,
                expires_at=NOW + 30 * DAY,
            )
            schedule_redirect("/autumn", cls.bins, expires_at=NOW - DAY)
            to_end = schedule_redirect("/winter", cls.bins, expires_at=NOW + 9 * DAY)
        with time_machine.travel(NOW - DAY, tick=False):
            end_windows([to_end])

    def get(self, url: str) -> str:
        self.client.force_login(self.superuser)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def assert_house_style(self, shown: dict[str, str]) -> None:
        if "active" in shown:
            self.assertIn("wrt-status--active", shown["active"])
        if "scheduled" in shown:
            self.assertIn("w-status--label", shown["scheduled"])
        for state in ("expired", "ended"):
            if state in shown:
                self.assertNotIn("--active", shown[state])
                self.assertNotIn("--label", shown[state])
        for classes in shown.values():
            self.assertIn("w-status", classes)

    def test_listing(self) -> None:
        html = self.get(reverse("scheduled_redirects:index"))
        shown = badges(html)
        self.assertEqual(set(shown), {"active", "scheduled", "expired", "ended"})
        self.assert_house_style(shown)
        self.assertIn("css/windows.css", html)

    def test_the_pages_redirects_screen(self) -> None:
        html = self.get(reverse("redirect_tools_workspace:page_redirects", args=[self.bins.pk]))
        shown = badges(html)
        self.assertEqual(set(shown), {"active", "scheduled"})
        self.assert_house_style(shown)
        self.assertIn("css/windows.css", html)

    def test_the_redirect_temporarily_screen(self) -> None:
        html = self.get(reverse("wagtail_redirect_tools:page_window", args=[self.bins.pk]))
        shown = badges(html)
        self.assertEqual(set(shown), {"active"})
        self.assert_house_style(shown)
        self.assertIn("css/windows.css", html)

    def test_dashboard_shows_the_windows_active_now(self) -> None:
        html = self.get(reverse("wagtailadmin_home"))
        panel = html.split("data-redirects-dashboard", 1)[1]
        active = panel.split("data-windows-active", 1)[1].split("</table>", 1)[0]
        # Active for another 40 days: not "starting or ending this week", but active now.
        self.assertIn("Bins", active)
        self.assertRegex(active, r"Ends\s+Jan\.? 4, 2027")
        self.assertIn(reverse("scheduled_redirects:index") + "?state=active", panel)
        starting = panel.split("data-windows-starting", 1)[1]
        self.assertIn("No scheduled redirect starts in the next 7 days.", starting)
        shown = badges(panel)
        self.assertEqual(set(shown), {"active"})
        self.assert_house_style(shown)
        self.assertIn("css/windows.css", html)

    def test_no_state_is_drawn_in_the_error_colour(self) -> None:
        css = CSS.read_text()
        self.assertNotIn("critical", css)
        active_rule = css.split(".wrt-status--active", 1)[1].split("}", 1)[0]
        self.assertIn("--w-color-positive", active_rule)
