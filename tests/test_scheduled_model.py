"""ScheduledRedirect validation, state and the schedule_redirect() API."""

from __future__ import annotations

import datetime

import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import TestCase

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect, WindowState

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class TestValidation(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.page = add_page(cls.home, "sale")
        cls.target = add_page(cls.home, "campaign")

    def assert_invalid(self, field: str, text: str, **kwargs: object) -> None:
        kwargs.setdefault("expires_at", NOW + DAY)
        source = kwargs.pop("source", "/promo/")
        target = kwargs.pop("target", "/campaign/")
        with self.assertRaises(ValidationError) as caught:
            schedule_redirect(source, target, **kwargs)  # type: ignore[arg-type]
        self.assertIn(field, caught.exception.message_dict)
        self.assertIn(text, " ".join(caught.exception.message_dict[field]))
        self.assertFalse(ScheduledRedirect.objects.exists())

    def test_expiry_must_be_after_start(self) -> None:
        self.assert_invalid(
            "expires_at", "after the start", starts_at=NOW + 2 * DAY, expires_at=NOW + DAY
        )

    def test_expiry_must_be_in_the_future_when_created(self) -> None:
        self.assert_invalid("expires_at", "in the future", expires_at=NOW)

    def test_target_may_not_be_the_source(self) -> None:
        self.assert_invalid("redirect_link", "loop", source="/promo/", target="/promo")
        self.assert_invalid(
            "redirect_link", "loop", source="/promo/", target="http://localhost/promo/"
        )
        self.assert_invalid("redirect_link", "loop", source=self.page, target=self.page)

    def test_script_and_data_targets_are_rejected(self) -> None:
        for target in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example/",
            "ftp://files.example/",
        ]:
            with self.subTest(target=target):
                self.assert_invalid("redirect_link", "neither", target=target)

    def test_the_admin_cannot_be_redirected(self) -> None:
        self.assert_invalid("old_path", "Wagtail's admin", source="/admin")
        self.assert_invalid("old_path", "Wagtail's admin", source="/admin/pages/")

    def test_a_page_window_may_not_name_a_site(self) -> None:
        self.assert_invalid("site", "every site", source=self.page, site=self.site)

    def test_status_code_must_be_temporary(self) -> None:
        self.assert_invalid("status_code", "cannot expire", status_code=301)

    def test_overlapping_windows_on_one_source_are_rejected(self) -> None:
        schedule_redirect("/promo/", "/a/", starts_at=NOW + DAY, expires_at=NOW + 10 * DAY)
        for starts, expires in [
            (NOW + 2 * DAY, NOW + 3 * DAY),  # inside
            (None, NOW + 2 * DAY),  # from now into it
            (NOW + 9 * DAY, NOW + 20 * DAY),  # across its end
        ]:
            with self.subTest(starts=starts, expires=expires):
                with self.assertRaises(ValidationError) as caught:
                    schedule_redirect("/promo", "/b/", starts_at=starts, expires_at=expires)
                self.assertIn("overlaps", caught.exception.message_dict["expires_at"][0])
        self.assertEqual(ScheduledRedirect.objects.count(), 1)

    def test_windows_that_only_touch_or_differ_in_source_are_fine(self) -> None:
        other_site = make_site("other.example", add_page(self.home, "other"))
        schedule_redirect("/promo/", "/nov/", starts_at=NOW + DAY, expires_at=NOW + 10 * DAY)
        schedule_redirect("/promo/", "/dec/", starts_at=NOW + 10 * DAY, expires_at=NOW + 20 * DAY)
        schedule_redirect("/promo/", "/other/", site=other_site, expires_at=NOW + 20 * DAY)
        schedule_redirect("/other-promo/", "/nov/", expires_at=NOW + 20 * DAY)
        schedule_redirect(self.page, "/nov/", expires_at=NOW + 20 * DAY)
        self.assertEqual(ScheduledRedirect.objects.count(), 5)

    def test_database_refuses_a_window_ending_before_it_starts(self) -> None:
        with self.assertRaises(IntegrityError):
            ScheduledRedirect.objects.create(
                old_path="/promo/", redirect_link="/a/", starts_at=NOW, expires_at=NOW - DAY
            )


@time_machine.travel(NOW, tick=False)
class TestScheduleRedirect(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.page = add_page(cls.home, "sale")

    def test_path_source_is_normalised_like_core(self) -> None:
        window = schedule_redirect("promo/?b=2&a=1", "/campaign/", expires_at=NOW + DAY)
        self.assertEqual(window.old_path, "/promo?a=1&b=2")

    def test_page_source_and_page_target(self) -> None:
        target = add_page(self.home, "campaign")
        window = schedule_redirect(self.page, target, expires_at=NOW + DAY, reason="Winter")
        self.assertEqual((window.source_page, window.redirect_page), (self.page, target))
        self.assertEqual(window.old_path, "")
        self.assertEqual(window.link(), "/campaign/")
        self.assertEqual(str(window), "Sale")
        self.assertEqual(window.reason, "Winter")

    def test_state_follows_the_clock(self) -> None:
        window = schedule_redirect("/promo/", "/a/", starts_at=NOW + DAY, expires_at=NOW + 2 * DAY)
        self.assertEqual(window.state, WindowState.SCHEDULED)
        self.assertEqual(window.state_at(NOW + DAY), WindowState.ACTIVE)
        self.assertEqual(window.state_at(NOW + 2 * DAY), WindowState.EXPIRED)
        for state, expected in [("scheduled", 1), ("active", 0), ("expired", 0)]:
            self.assertEqual(ScheduledRedirect.objects.in_state(state).count(), expected)

    def test_times_are_stored_in_utc(self) -> None:
        tokyo = datetime.timezone(datetime.timedelta(hours=9))
        window = schedule_redirect(
            "/promo/", "/a/", expires_at=datetime.datetime(2026, 12, 1, 9, 0, tzinfo=tokyo)
        )
        window.refresh_from_db()
        self.assertEqual(window.expires_at, datetime.datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
        self.assertEqual(window.expires_at.utcoffset(), datetime.timedelta(0))
