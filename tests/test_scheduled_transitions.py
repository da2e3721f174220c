"""Bookkeeping at starts and ends: audit log, front-end cache purge, notices, clean-up, jobs."""

from __future__ import annotations

import datetime
from io import StringIO

import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django_tasks import default_task_backend
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.users.models import UserProfile

from tests.utils.pages import add_page, fresh_site_tree, make_site
from tests.utils.purge_server import recording_purges
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect, UserNotificationPreferences
from wagtail_redirect_tools.scheduling import run_transitions
from wagtail_redirect_tools.scheduling.tasks import run_transitions_task
from wagtail_redirect_tools.scheduling.transitions import ACTION_ENDED, ACTION_STARTED

UTC = datetime.UTC
CREATED = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
END = datetime.datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)


def transitions_command() -> str:
    out = StringIO()
    call_command("redirects_transitions", stdout=out)
    return out.getvalue().strip()


class TransitionsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.page = add_page(cls.home, "sale", title="Sale")
        cls.editor = get_user_model().objects.create_user(
            username="editor", email="editor@example.com", password="x", first_name="Ed"
        )

    def schedule(self, source: object = None, **kwargs: object) -> ScheduledRedirect:
        kwargs.setdefault("starts_at", START)
        kwargs.setdefault("expires_at", END)
        with time_machine.travel(CREATED, tick=False):
            return schedule_redirect(source or self.page, "/campaign/", **kwargs)  # type: ignore[arg-type]


class TestAuditLogAndCommand(TransitionsTestCase):
    def test_each_transition_is_logged_once_and_a_second_run_does_nothing(self) -> None:
        window = self.schedule()
        with time_machine.travel(START - SECOND, tick=False) as clock:
            # (What it deletes of old imports is tested in test_import_storage.py.)
            self.assertTrue(
                transitions_command().startswith(
                    "Started: 0. Ended: 0. Expiry notices sent: 0. Expired windows deleted: 0. "
                    "Finished imports deleted: 0."
                )
            )
            clock.move_to(START)
            self.assertTrue(transitions_command().startswith("Started: 1. Ended: 0."))
            self.assertTrue(transitions_command().startswith("Started: 0. Ended: 0."))
            clock.move_to(END)
            self.assertTrue(transitions_command().startswith("Started: 0. Ended: 1."))
            self.assertTrue(transitions_command().startswith("Started: 0. Ended: 0."))

        window_log = ModelLogEntry.objects.filter(object_id=str(window.pk)).order_by("pk")
        self.assertEqual(
            list(window_log.values_list("action", flat=True)), [ACTION_STARTED, ACTION_ENDED]
        )
        self.assertEqual(window_log[0].timestamp, START)
        self.assertEqual(window_log[0].data["target"], "/campaign/")
        self.assertEqual(
            window_log[0].message, "Temporary redirect from Sale to /campaign/ started"
        )
        page_log = PageLogEntry.objects.filter(page=self.page, action__startswith="wagtail_redir")
        self.assertEqual(page_log.count(), 2)

    def test_a_window_both_started_and_ended_since_the_last_run_logs_both(self) -> None:
        self.schedule()
        with time_machine.travel(END + DAY, tick=False):
            report = run_transitions()
        self.assertEqual((report.started, report.ended), (1, 1))

    def test_extending_an_ended_window_lets_its_end_be_logged_again(self) -> None:
        window = self.schedule()
        with time_machine.travel(END, tick=False) as clock:
            run_transitions()
            window.expires_at = END + 5 * DAY
            window.full_clean()
            window.save()
            clock.move_to(END + 5 * DAY)
            self.assertEqual(run_transitions().ended, 1)


class TestFrontendCachePurge(TransitionsTestCase):
    def test_page_window_purges_the_page_on_every_site(self) -> None:
        make_site("sale.example", self.page)
        self.schedule()
        with recording_purges() as server, time_machine.travel(START, tick=False):
            run_transitions()
        self.assertCountEqual(server.purged, ["http://localhost/sale/", "http://sale.example/"])

    def test_path_window_for_all_sites_purges_the_path_on_each_site(self) -> None:
        make_site("other.example", add_page(self.home, "other"))
        self.schedule("/promo/")
        with recording_purges() as server, time_machine.travel(END, tick=False):
            run_transitions()
        # Start and end both fall due in this run: each purges both forms on both sites.
        urls = ["http://localhost/promo", "http://other.example/promo"]
        urls += [url + "/" for url in urls]
        self.assertEqual(sorted(server.purged), sorted(urls * 2))

    def test_nothing_is_purged_without_a_configured_front_end_cache(self) -> None:
        self.schedule()
        with (
            recording_purges() as server,
            override_settings(WAGTAILFRONTENDCACHE={}),
            time_machine.travel(START, tick=False),
        ):
            self.assertEqual(run_transitions().started, 1)
        self.assertEqual(server.purged, [])


class TestExpiryNotices(TransitionsTestCase):
    def test_creator_is_told_once_three_days_before(self) -> None:
        self.schedule(user=self.editor)
        with time_machine.travel(END - 3 * DAY - SECOND, tick=False) as clock:
            self.assertEqual(run_transitions().notices_sent, 0)
            clock.move_to(END - 3 * DAY)
            self.assertEqual(run_transitions().notices_sent, 1)
            self.assertEqual(run_transitions().notices_sent, 0)
        [message] = mail.outbox
        self.assertEqual(message.to, ["editor@example.com"])
        self.assertIn("Temporary redirect of Sale ends", message.subject)
        self.assertIn("Hello Ed,", message.body)
        self.assertIn("/admin/scheduled-redirects/edit/", message.body)
        self.assertEqual(message.extra_headers["Auto-Submitted"], "auto-generated")

    def test_notice_is_in_the_creators_time_zone(self) -> None:
        profile = UserProfile.get_for_user(self.editor)
        profile.current_time_zone = "Asia/Tokyo"
        profile.save()
        self.schedule(user=self.editor)
        with time_machine.travel(END - 2 * DAY, tick=False):
            run_transitions()
        self.assertIn("31 Dec 2026 18:00 JST", mail.outbox[0].subject)

    def test_notice_is_in_the_creators_language(self) -> None:
        """As Wagtail's own notifications: the language of the creator's Wagtail profile,
        not the site's (issue 31)."""
        profile = UserProfile.get_for_user(self.editor)
        profile.preferred_language = "fr"
        profile.save()
        self.schedule(user=self.editor)
        with time_machine.travel(END - 2 * DAY, tick=False):
            run_transitions()
        [message] = mail.outbox
        self.assertIn("La redirection temporaire de Sale se termine le", message.subject)
        self.assertIn("Bonjour Ed,", message.body)
        self.assertIn("Vous pouvez désactiver ces e-mails", message.body)

    def test_users_who_opted_out_get_nothing(self) -> None:
        UserNotificationPreferences.objects.create(user=self.editor, expiry_notices=False)
        self.schedule(user=self.editor)
        with time_machine.travel(END - DAY, tick=False):
            self.assertEqual(run_transitions().notices_sent, 0)
        self.assertEqual(mail.outbox, [])

    @override_settings(WAGTAIL_REDIRECT_TOOLS_EXPIRY_NOTICE_DAYS=0)
    def test_setting_zero_turns_notices_off(self) -> None:
        self.schedule(user=self.editor)
        with time_machine.travel(END - DAY, tick=False):
            self.assertEqual(run_transitions().notices_sent, 0)

    def test_short_windows_created_inside_the_notice_period_send_nothing(self) -> None:
        with time_machine.travel(START, tick=False):
            schedule_redirect(self.page, "/campaign/", expires_at=START + DAY, user=self.editor)
            self.assertEqual(run_transitions().notices_sent, 0)


class TestRetention(TransitionsTestCase):
    def test_expired_windows_are_kept_for_the_retention_period(self) -> None:
        self.schedule()
        with time_machine.travel(END, tick=False) as clock:
            run_transitions()
            clock.move_to(END + 90 * DAY - SECOND)
            self.assertEqual(run_transitions().deleted, 0)
            clock.move_to(END + 90 * DAY)
            self.assertEqual(run_transitions().deleted, 1)
        self.assertFalse(ScheduledRedirect.objects.exists())

    @override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_EXPIRED_DAYS=0)
    def test_zero_days_deletes_at_the_run_that_logs_the_end(self) -> None:
        self.schedule()
        with time_machine.travel(END, tick=False):
            report = run_transitions()
        self.assertEqual((report.ended, report.deleted), (1, 1))


class TestJobs(TransitionsTestCase):
    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_a_job_is_queued_for_each_coming_transition(self) -> None:
        default_task_backend.clear()  # type: ignore[attr-defined]
        with time_machine.travel(CREATED, tick=False), self.captureOnCommitCallbacks(execute=True):
            self.schedule(user=self.editor)
        queued = [
            result
            for result in default_task_backend.results  # type: ignore[attr-defined]
            if result.task.name == run_transitions_task.name
        ]
        self.assertEqual(
            sorted(result.task.run_after for result in queued), [START, END - 3 * DAY, END]
        )

    def test_without_deferral_a_due_start_is_recorded_at_once(self) -> None:
        # The suite's backend is the immediate one, which cannot defer.
        with time_machine.travel(START, tick=False), self.captureOnCommitCallbacks(execute=True):
            window = schedule_redirect(self.page, "/campaign/", expires_at=END)
        window.refresh_from_db()
        self.assertEqual(window.start_logged_at, START)
        self.assertIsNone(window.end_logged_at)
