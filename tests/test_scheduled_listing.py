"""What the Scheduled redirects listing shows: the source as a path (with the page it
belongs to), the site labelled as on the Redirects listing, a badge per state, real start
times, times in the editor's zone with the zone named, and sortable columns."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from wagtail.users.models import UserProfile

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.admin.views.redirects import site_label
from wagtail_redirect_tools.scheduling import end_windows

pytestmark = pytest.mark.collation  # compares our path columns with core's

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)
INDEX = "/admin/scheduled-redirects/"


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, flags=re.S)


def row_of(html: str, text: str) -> str:
    matching = [row for row in rows(html) if text in row]
    assert len(matching) == 1, (text, len(matching))
    return matching[0]


def badge_classes(row: str) -> str:
    match = re.search(r'<span class="([^"]*)" data-window-state="(\w+)"', row)
    assert match is not None, row
    return match.group(1)


@time_machine.travel(NOW, tick=False)
class ListingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.site.site_name = "Harbourside Council"
        cls.site.save()
        cls.shop = make_site("shop.example", add_page(cls.home, "shop"))
        cls.sale = add_page(cls.home, "sale", title="Summer sale page")
        cls.campaign = add_page(cls.home, "campaign", title="Campaign")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        with time_machine.travel(NOW - 10 * DAY, tick=False):
            cls.active = schedule_redirect(cls.sale, cls.campaign, expires_at=NOW + 5 * DAY)
            cls.upcoming = schedule_redirect(
                "/black-friday",
                "/campaign/",
                starts_at=NOW + 2 * DAY,
                expires_at=NOW + 4 * DAY,
                site=cls.site,
            )
            cls.expired = schedule_redirect("/autumn", "/campaign/", expires_at=NOW - DAY)
            cls.to_end = schedule_redirect(
                "/winter", "/campaign/", expires_at=NOW + 9 * DAY, site=cls.shop
            )
        with time_machine.travel(NOW - DAY, tick=False):
            end_windows([cls.to_end])

    def listing(self, **query: Any) -> Any:
        client = Client()
        client.force_login(self.superuser)
        return client.get(INDEX, query)


class TestSourceAndSite(ListingTestCase):
    def test_source_is_the_path_with_the_page_as_secondary_link(self) -> None:
        html = self.listing().content.decode()
        row = row_of(html, "Summer sale page")
        source_cell = row.split("</td>", 2)[1]  # after the checkbox cell
        self.assertIn("/sale/", re.sub(r"<[^>]+>", "", source_cell))
        self.assertIn(f'href="/admin/pages/{self.sale.pk}/edit/"', source_cell)
        # A path window shows its path, not "hostname/path".
        source_cell = row_of(html, "/black-friday").split("</td>", 2)[1]
        shown = re.sub(r"<[^>]+>|\s", "", source_cell.split("<ul")[0])
        self.assertEqual(shown, "/black-friday")

    def test_site_is_labelled_as_on_the_redirects_listing(self) -> None:
        html = self.listing().content.decode()
        self.assertIn(site_label(self.upcoming), row_of(html, "/black-friday"))
        self.assertIn("Harbourside Council", row_of(html, "/black-friday"))
        self.assertIn("All sites", row_of(html, "/autumn"))
        # A page's window: the site the page is on.
        self.assertIn("Harbourside Council", row_of(html, "Summer sale page"))


class TestStatesAndTimes(ListingTestCase):
    def test_each_state_has_its_own_badge(self) -> None:
        html = self.listing().content.decode()
        states = {
            "active": row_of(html, "Summer sale page"),
            "scheduled": row_of(html, "/black-friday"),
            "expired": row_of(html, "/autumn"),
            "ended": row_of(html, "/winter"),
        }
        classes = {}
        for state, row in states.items():
            with self.subTest(state=state):
                self.assertIn(f'data-window-state="{state}"', row)
                classes[state] = badge_classes(row)
                self.assertIn("w-status", classes[state])
        self.assertEqual(len(set(classes.values())), 4, classes)
        self.assertIn("wrt-status--active", classes["active"])
        self.assertIn(">Ended<", states["ended"])

    def test_a_window_that_started_immediately_shows_its_real_start(self) -> None:
        html = self.listing().content.decode()
        started = "Nov. 15, 2026, noon UTC"  # created ten days ago, with no start
        self.assertIn(started, row_of(html, "/autumn"))
        self.assertIn(started, row_of(html, "Summer sale page"))
        self.assertNotIn("Immediately", html.split("<tbody>", 1)[1])

    def test_times_are_in_the_editors_time_zone_with_the_zone(self) -> None:
        profile = UserProfile.get_for_user(self.superuser)
        profile.current_time_zone = "Europe/Berlin"
        profile.save()
        row = row_of(self.listing().content.decode(), "/black-friday")
        self.assertIn("Nov. 27, 2026, 1 p.m. CET", row)  # starts 12:00 UTC
        self.assertIn("Nov. 29, 2026, 1 p.m. CET", row)


class TestSorting(ListingTestCase):
    def ordered(self, ordering: str) -> list[Any]:
        response = self.listing(ordering=ordering)
        self.assertEqual(response.status_code, 200)
        return list(response.context["object_list"])

    def test_columns_sort(self) -> None:
        self.assertEqual(
            self.ordered("source"), [self.expired, self.upcoming, self.active, self.to_end]
        )
        self.assertEqual(
            self.ordered("-source"), [self.to_end, self.active, self.upcoming, self.expired]
        )
        by_state = self.ordered("state")
        self.assertEqual(by_state[:2], [self.active, self.upcoming])
        self.assertEqual(set(by_state[2:]), {self.expired, self.to_end})
        self.assertEqual(self.ordered("site")[-1:], [self.to_end])  # shop.example last
        # No site first, ties by expiry.
        self.assertEqual(self.ordered("site")[:2], [self.expired, self.active])
        self.assertEqual(len(self.ordered("status_code")), 4)
        # By the target page's title or the target path: the page's window ("Campaign") at
        # one end, the three to "/campaign/" together (where depends on the collation).
        by_target = self.ordered("target")
        self.assertIn(self.active, (by_target[0], by_target[-1]))
        self.assertEqual(self.ordered("-target"), by_target[::-1])

    def test_sortable_headers_are_links(self) -> None:
        html = self.listing().content.decode()
        for key in ("source", "site", "target", "state", "status_code", "starts_at", "expires_at"):
            with self.subTest(key=key):
                self.assertRegex(html, f"ordering=-?{key}")
