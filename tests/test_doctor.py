"""Duplicates that exist already (from before, or from core's own tools) never turn a
redirect off: requests get the newest, and ``redirects_doctor`` lists and repairs them."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.models import ScheduledRedirect

pytestmark = pytest.mark.collation  # compares our path columns with core's


def doctor(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("redirects_doctor", *args, stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), error.returncode
    return out.getvalue(), 0


class TestDuplicates(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        now = timezone.now()
        # As core's import or a restored dump can leave them: two all-sites rows.
        cls.older, cls.newer = Redirect.objects.bulk_create(
            [
                Redirect(old_path="/setup", redirect_link="/old-docs/", created_at=now),
                Redirect(
                    old_path="/setup",
                    redirect_link="/docs/install/",
                    created_at=now + datetime.timedelta(seconds=1),
                ),
            ]
        )

    def test_requests_get_the_newest(self) -> None:
        response = Client().get("/setup", HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/docs/install/")

    def test_the_doctor_lists_them_and_keeps_the_newest(self) -> None:
        out, code = doctor()
        self.assertEqual(code, 1)
        self.assertIn(
            f"/setup (all sites): 2 redirects, ids {self.newer.pk}, {self.older.pk}; "
            f"requests get #{self.newer.pk}, the newest.",
            out,
        )
        self.assertIn("--fix", out)

        out, code = doctor("--fix")
        self.assertEqual(code, 0, out)
        self.assertIn("Deleted 1 duplicate redirects.", out)
        self.assertEqual(list(Redirect.objects.all()), [self.newer])
        self.assertEqual(doctor(), ("No duplicate redirects or overlapping windows.\n", 0))


class TestOverlappingWindows(TestCase):
    def test_windows_written_past_the_checks_are_listed(self) -> None:
        fresh_site_tree("localhost")
        now = timezone.now()
        first, second = ScheduledRedirect.objects.bulk_create(
            [
                ScheduledRedirect(
                    old_path="/promo",
                    redirect_link="/a/",
                    expires_at=now + datetime.timedelta(days=2),
                ),
                ScheduledRedirect(
                    old_path="/promo",
                    redirect_link="/b/",
                    starts_at=now + datetime.timedelta(days=1),
                    expires_at=now + datetime.timedelta(days=3),
                ),
            ]
        )
        out, code = doctor("--fix")
        self.assertEqual(code, 1)
        self.assertIn(f"Scheduled redirects #{first.pk} and #{second.pk} of /promo overlap.", out)
        self.assertEqual(ScheduledRedirect.objects.count(), 2)  # only listed, never deleted
