"""The window index at scale (issue 34, item 4): no setting bounds how many windows each
process keeps, so each is kept lean. What it must still do, however many windows: one
query to build, none to answer a path or a page, the active window of a path among its
later ones, a page target's URL looked up once per host; what keeps it lean: a window
has slots (no dict of attributes) and windows stored together share their moments."""

from __future__ import annotations

import datetime

import time_machine
from django.test import RequestFactory, TestCase

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.models import ScheduledRedirect
from wagtail_redirect_tools.resolution import forget_process_state, stamps
from wagtail_redirect_tools.resolution.scheduled import find_page_window, find_path_window
from wagtail_redirect_tools.resolution.window_index import WindowIndex, current_index

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class TestWindowIndexAtScale(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        cls.pages = [add_page(home, f"windowed-{i}") for i in range(3)]
        cls.target = add_page(home, "offers", title="Offers")

    def setUp(self) -> None:
        forget_process_state()

    def store(self, paths: int) -> None:
        """On each path, a window active now and one starting in a week, as an import
        stores them (in bulk, with the same moments); and a window on each page."""
        windows = []
        for i in range(paths):
            windows.append(
                ScheduledRedirect(
                    old_path=f"/campaign/{i}",
                    redirect_link=f"/now/{i}/",
                    starts_at=NOW - DAY,
                    expires_at=NOW + DAY,
                )
            )
            windows.append(
                ScheduledRedirect(
                    old_path=f"/campaign/{i}",
                    redirect_link=f"/later/{i}/",
                    starts_at=NOW + 7 * DAY,
                    expires_at=NOW + 8 * DAY,
                    status_code=301,
                )
            )
        windows += [
            ScheduledRedirect(source_page=page, redirect_page=self.target, expires_at=NOW + DAY)
            for page in self.pages
        ]
        ScheduledRedirect.objects.bulk_create(windows)
        stamps.windows_changed()

    def request(self, path: str, host: str = "localhost") -> object:
        request = RequestFactory().get(path, HTTP_HOST=host)
        request._wagtail_site = self.site  # type: ignore[attr-defined]
        return request

    def answers(self, paths: int) -> None:
        self.store(paths)
        shared = stamps.current()
        with self.assertNumQueries(1):
            index = WindowIndex.build(shared, NOW)
        self.assertEqual(len(index.by_path), paths)
        self.assertEqual(sum(len(windows) for windows in index.by_path.values()), 2 * paths)
        current_index(NOW)
        with self.assertNumQueries(0):
            for i in range(paths):
                window, _query = find_path_window(self.request(f"/campaign/{i}"), NOW)
                assert window is not None
                self.assertEqual((window.redirect_link, window.status_code), (f"/now/{i}/", 302))
            self.assertIsNone(find_path_window(self.request(f"/campaign/{paths}"), NOW)[0])
            for page in self.pages:
                self.assertIsNotNone(find_page_window(page, NOW))
        # A week on, the first windows have expired (the index lets them go: one query).
        later = NOW + 7 * DAY + datetime.timedelta(hours=1)
        with self.assertNumQueries(1):
            window, _query = find_path_window(self.request("/campaign/0"), later)
        self.assertEqual(window.redirect_link if window else None, "/later/0/")
        self.assertEqual(
            sum(len(windows) for windows in current_index(later).by_path.values()), paths
        )

    def test_10_paths(self) -> None:
        self.answers(10)

    def test_400_paths(self) -> None:
        self.answers(400)

    def test_lean_windows_with_shared_moments(self) -> None:
        self.store(20)
        index = current_index(NOW)
        windows = [window for path in index.by_path.values() for window in path]
        self.assertFalse(any(hasattr(window, "__dict__") for window in windows))
        self.assertEqual(len({id(window.expires_at) for window in windows}), 2)
        self.assertEqual(len({id(window.starts_at) for window in windows}), 2)

    def test_a_page_target_is_looked_up_once_per_host(self) -> None:
        self.store(1)
        current_index(NOW)
        window = find_page_window(self.pages[0], NOW)
        assert window is not None
        first = window.link(self.request("/windowed-0/"))
        self.assertEqual(first, "/offers/")
        with self.assertNumQueries(0):
            self.assertEqual(window.link(self.request("/windowed-0/")), first)
        other = self.request("/windowed-0/", host="other.example")
        with self.assertNumQueries(1):
            window.link(other)
        with self.assertNumQueries(0):
            window.link(other)
