"""The dashboard's "Redirects" panel (issue 16): windows active now (issue 32) and those
starting in the next 7 days, redirects whose target page is unpublished or deleted, and
the busiest redirects, each section linking to the filtered listing; hidden from users
without redirect permissions, and a bounded number of queries however many rows there are."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import RedirectDetails

pytestmark = pytest.mark.collation  # compares our path columns with core's

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
HOME = reverse("wagtailadmin_home")


def panel_of(html: str) -> str:
    """The panel's own markup, or "" when the dashboard has none."""
    found = re.search(r"<div data-redirects-dashboard>.*?</section>\s*</div>", html, re.S)
    return found.group(0) if found else ""


def with_hits(redirect: Redirect, hits: int, last_hit: datetime.datetime) -> Redirect:
    details = RedirectDetails.record(redirect)
    details.hits = hits
    details.last_hit_at = last_hit
    details.save()
    return redirect


@time_machine.travel(NOW, tick=False)
class TestDashboardPanel(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(NOW, tick=False):
            cls.site, cls.home = fresh_site_tree("localhost")
            cls.offers = add_page(cls.home, "offers", title="Winter offers")
            cls.retired = add_page(cls.home, "retired", title="Retired page")
            cls.superuser = get_user_model().objects.create_superuser(
                "admin", "a@example.com", "pw"
            )
            schedule_redirect(
                "/ending-soon", "/news/", starts_at=NOW - DAY, expires_at=NOW + 3 * DAY
            )
            schedule_redirect(
                "/starting-soon", cls.offers, starts_at=NOW + 2 * DAY, expires_at=NOW + 30 * DAY
            )
            schedule_redirect("/far-away", "/news/", expires_at=NOW + 30 * DAY)
            Redirect.objects.create(old_path="/to-retired", redirect_page=cls.retired)
            cls.retired.unpublish()
            with_hits(
                Redirect.objects.create(old_path="/busy", redirect_link="/x/"), 120, NOW - DAY
            )
            with_hits(Redirect.objects.create(old_path="/quiet", redirect_link="/x/"), 3, NOW - DAY)
            with_hits(
                Redirect.objects.create(old_path="/busy-last-year", redirect_link="/x/"),
                900,
                NOW - 300 * DAY,
            )

    def dashboard(self, user: Any) -> str:
        self.client.force_login(user)
        response = self.client.get(HOME)
        self.assertEqual(response.status_code, 200)
        return panel_of(response.content.decode())

    def test_windows_active_now_and_starting_in_the_next_7_days(self) -> None:
        panel = self.dashboard(self.superuser)
        # Active now, the one ending soonest first, however far away its end (issue 32, item 1).
        self.assertRegex(panel, r"Ends\s+Nov\.? 28, 2026, noon UTC")  # in the editor's zone
        self.assertLess(panel.index("/ending-soon"), panel.index("/far-away"))
        self.assertIn("/starting-soon", panel)
        self.assertRegex(panel, r"Starts\s+Nov\.? 27, 2026, noon UTC")
        self.assertIn(reverse("scheduled_redirects:index"), panel)

    def test_redirects_to_unpublished_or_deleted_pages_count_and_link(self) -> None:
        panel = self.dashboard(self.superuser)
        self.assertRegex(panel, r"1\s+redirect points at an unpublished or deleted page")
        self.assertIn(reverse("redirect_tools_redirects:index") + "?target=unavailable", panel)

    def test_busiest_redirects_this_week(self) -> None:
        panel = self.dashboard(self.superuser)
        self.assertLess(panel.index("/busy"), panel.index("/quiet"))
        self.assertIn("120", panel)
        self.assertNotIn("/busy-last-year", panel)  # not hit this week
        self.assertIn(reverse("redirect_tools_redirects:index") + "?ordering=-hit_count", panel)

    def test_hidden_from_users_without_redirect_permissions(self) -> None:
        self.assertEqual(self.dashboard(make_user("reader")), "")

    def test_each_section_for_those_who_may_see_it(self) -> None:
        redirects_only = self.dashboard(make_user("redirect-editor", "change_redirect"))
        self.assertIn("/busy", redirects_only)
        self.assertNotIn("/ending-soon", redirects_only)
        windows_only = self.dashboard(make_user("window-editor", "change_scheduledredirect"))
        self.assertIn("/ending-soon", windows_only)
        self.assertNotIn("/busy", windows_only)

    def test_queries_do_not_grow_with_the_rows(self) -> None:
        def count() -> int:
            self.client.force_login(self.superuser)
            self.client.get(HOME)  # warm: sessions, site, caches
            with CaptureQueriesContext(connection) as queries:
                self.client.get(HOME)
            return len(
                [
                    q
                    for q in queries
                    if ("wagtail_redirect_tools" in q["sql"] or "wagtailredirects" in q["sql"])
                    # The 404 log's own panel (test_not_found_dashboard.py counts it).
                    and "notfound" not in q["sql"]
                ]
            )

        before = count()
        for number in range(8):
            schedule_redirect(
                f"/more-{number}", self.offers, expires_at=NOW + (number + 1) * DAY / 2
            )
            with_hits(
                Redirect.objects.create(
                    old_path=f"/more-busy-{number}", redirect_page=self.retired
                ),
                10 + number,
                NOW - DAY,
            )
        self.assertEqual(count(), before)
        self.assertLessEqual(before, 4)
