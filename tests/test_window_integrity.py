"""Windows of one source never overlap: an expired or ended window does not block the
next one, and two writers at the same instant cannot both add overlapping windows."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client, TestCase

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect
from wagtail_redirect_tools.scheduling import end_windows

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)
INDEX = "/admin/scheduled-redirects/"


def window_form(**source: str) -> dict[str, str]:
    """A window from now until 30 November 18:00 to /offers/, as the admin forms post it."""
    return {
        **source,
        "redirect_page": "",
        "redirect_page_route_path": "",
        "redirect_link": "/offers/",
        "status_code": "302",
        "starts_at": "",
        "expires_at": "2026-11-30 18:00",
        "reason": "",
    }


class TestAfterAnExpiredWindow(TestCase):
    """Issue: a window that expired (or was ended) blocked every new window that
    starts now, for as long as the expired one was kept."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.promo = add_page(cls.home, "promo", title="Promo")
        cls.offers = add_page(cls.home, "offers", title="Offers")
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        with time_machine.travel(NOW - 20 * DAY, tick=False):
            cls.old_path_window = schedule_redirect(
                "/promo2", "/offers/", expires_at=NOW - 10 * DAY
            )
            cls.old_page_window = schedule_redirect(
                cls.promo, cls.offers, expires_at=NOW - 10 * DAY
            )

    def setUp(self) -> None:
        self.client = Client()
        self.client.force_login(self.admin)

    @time_machine.travel(NOW, tick=False)
    def test_a_window_starting_now_is_accepted_through_the_python_api(self) -> None:
        window = schedule_redirect("/promo2", "/offers/", expires_at=NOW + DAY)
        self.assertEqual(window.state, "active")

    @time_machine.travel(NOW, tick=False)
    def test_and_through_the_scheduled_redirects_form(self) -> None:
        data = window_form(old_path="/promo2", site="", source_page="")
        response = self.client.post(INDEX + "new/", data)
        self.assertRedirects(response, INDEX)
        self.assertEqual(ScheduledRedirect.objects.filter(old_path="/promo2").count(), 2)

    @time_machine.travel(NOW, tick=False)
    def test_and_through_the_pages_redirect_temporarily_form(self) -> None:
        url = f"/admin/redirect-tools/pages/{self.promo.pk}/redirect-temporarily/"
        response = self.client.post(url, window_form())
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        self.assertEqual(ScheduledRedirect.objects.filter(source_page=self.promo).count(), 2)

    def test_and_right_after_end_now(self) -> None:
        with time_machine.travel(NOW, tick=False):
            running = schedule_redirect("/summer", "/offers/", expires_at=NOW + 5 * DAY)
        with time_machine.travel(NOW + DAY, tick=False):
            end_windows([running], user=self.admin)
        with time_machine.travel(NOW + DAY + datetime.timedelta(minutes=1), tick=False):
            window = schedule_redirect("/summer", "/offers/", expires_at=NOW + 3 * DAY)
        self.assertEqual(window.starts_at, None)

    @time_machine.travel(NOW, tick=False)
    def test_a_running_window_still_blocks_one_starting_now(self) -> None:
        schedule_redirect("/winter", "/offers/", expires_at=NOW + 5 * DAY)
        with self.assertRaisesMessage(ValidationError, "overlaps another redirect"):
            schedule_redirect("/winter", "/offers/", expires_at=NOW + DAY)

    @time_machine.travel(NOW, tick=False)
    def test_the_next_window_may_start_as_one_without_start_expires(self) -> None:
        with time_machine.travel(NOW - DAY, tick=False):
            schedule_redirect("/spring", "/offers/", expires_at=NOW + 5 * DAY)
        window = schedule_redirect(
            "/spring", "/offers/", starts_at=NOW + 5 * DAY, expires_at=NOW + 6 * DAY
        )
        self.assertEqual(window.state, "scheduled")


needs_concurrent_database = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database cannot take two writers (file databases take "
    "turns: see locks.py); PostgreSQL and MariaDB run this in CI",
)


def race(count: int, work: Any) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads (each with its own database connection),
    released at the same instant; what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@needs_concurrent_database
@pytest.mark.django_db(transaction=True)
def test_two_writers_cannot_both_add_overlapping_windows() -> None:
    now = datetime.datetime.now(UTC)
    rounds = 10
    for number in range(rounds):
        path = f"/race-{number}"

        def write(index: int, path: str = path) -> ScheduledRedirect:
            return schedule_redirect(
                path,
                f"/target-{index}/",
                starts_at=now + datetime.timedelta(hours=index + 1),
                expires_at=now + datetime.timedelta(days=3),
            )

        results = race(2, write)
        saved = [result for result in results if isinstance(result, ScheduledRedirect)]
        refused = [result for result in results if isinstance(result, ValidationError)]
        assert len(saved) == 1, results
        assert len(refused) == 1 and "overlaps another redirect" in str(refused[0]), results
        assert ScheduledRedirect.objects.filter(old_path=path).count() == 1
