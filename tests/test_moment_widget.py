"""Moments in import files are read by Django's date and date-time fields; what is ours is
the zone of a naive time (the site's TIME_ZONE) and that a date alone as an expiry means
the end of that day."""

from __future__ import annotations

import datetime

from django.test import SimpleTestCase, override_settings

from wagtail_redirect_tools.importing.widgets import MomentWidget

UTC = datetime.UTC


@override_settings(TIME_ZONE="Europe/Berlin", USE_TZ=True)
class TestMomentWidget(SimpleTestCase):
    def test_what_is_read_and_when(self) -> None:
        start, expiry = MomentWidget(), MomentWidget(end_of_day=True)
        cases = [
            # (value, as a start, as an expiry)
            ("2026-12-31", (2026, 12, 30, 23), (2026, 12, 31, 23)),
            ("12/31/2026", (2026, 12, 30, 23), (2026, 12, 31, 23)),
            ("20261231", (2026, 12, 30, 23), (2026, 12, 31, 23)),
            ("2026-12-31 18:00", (2026, 12, 31, 17), (2026, 12, 31, 17)),
            ("2026-12-31T18:00:00+01:00", (2026, 12, 31, 17), (2026, 12, 31, 17)),
            ("2026-07-01T12:00Z", (2026, 7, 1, 12), (2026, 7, 1, 12)),
            (datetime.date(2026, 12, 31), (2026, 12, 30, 23), (2026, 12, 31, 23)),
            (datetime.datetime(2026, 12, 31, 18), (2026, 12, 31, 17), (2026, 12, 31, 17)),
        ]
        for value, as_start, as_expiry in cases:
            with self.subTest(value):
                self.assertEqual(start.clean(value), datetime.datetime(*as_start, tzinfo=UTC))
                self.assertEqual(expiry.clean(value), datetime.datetime(*as_expiry, tzinfo=UTC))

    def test_a_time_the_clock_change_skips_or_repeats_is_refused(self) -> None:
        with self.assertRaisesMessage(ValueError, "happens twice in Europe/Berlin"):
            MomentWidget().clean("2026-10-25 02:30")
        with self.assertRaisesMessage(ValueError, "does not exist in Europe/Berlin"):
            MomentWidget().clean("2026-03-29 02:30")
        with self.assertRaisesMessage(ValueError, "happens twice"):
            MomentWidget().clean(datetime.datetime(2026, 10, 25, 2, 30))  # a spreadsheet cell
        self.assertEqual(
            MomentWidget().clean("2026-10-25T02:30:00+02:00"),
            datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        )

    def test_what_is_not_a_date(self) -> None:
        for value in ("next tuesday", "2026-02-30", "2026-13-01 10:00"):
            with self.subTest(value), self.assertRaisesMessage(ValueError, "is not a date"):
                MomentWidget().clean(value)
        with self.assertRaisesMessage(ValueError, "'9999-12-31' is not a date"):
            MomentWidget(end_of_day=True).clean("9999-12-31")

    def test_render_reads_back(self) -> None:
        widget = MomentWidget()
        moment = datetime.datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
        self.assertEqual(widget.render(moment), "2026-12-31T17:00:00Z")
        self.assertEqual(widget.clean(widget.render(moment)), moment)
