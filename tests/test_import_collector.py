"""The cycle collector is paused while an import reads, plans, keeps and writes its rows
(``importing.collector``), and runs again afterwards, also when the step fails."""

from __future__ import annotations

import gc

from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.importing import collector, jobs, service
from wagtail_redirect_tools.models import ImportStatus

ROWS = 2500  # progress is told every thousand rows
FILE = ("from,to\n" + "".join(f"/s{i}/,/t{i}/\n" for i in range(ROWS))).encode()


class TestCollectorPaused(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")

    def setUp(self) -> None:
        self.assertTrue(gc.isenabled())
        self.addCleanup(gc.enable)  # whatever a failing test left

    def test_paused_while_previewing_and_importing_then_running_again(self) -> None:
        seen: list[tuple[str, bool]] = []

        def progress(phase: str, done: int, total: int) -> None:
            seen.append((phase, gc.isenabled()))

        record = service.start_upload(FILE, "r.csv", service.ImportOptions())
        self.assertTrue(gc.isenabled())
        self.assertIsNotNone(jobs.request_preview(record, wait=True, progress=progress))
        self.assertTrue(gc.isenabled())
        outcome = jobs.request_import(record, wait=True, progress=progress)
        self.assertTrue(gc.isenabled())
        assert outcome is not None
        self.assertEqual(outcome.created, ROWS)
        self.assertEqual(Redirect.objects.count(), ROWS)
        self.assertEqual({phase for phase, _enabled in seen}, {"preview", "check", "import"})
        self.assertEqual({enabled for _phase, enabled in seen}, {False})

    def test_running_again_after_a_failed_step(self) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            raise RuntimeError("the worker broke")

        record = service.start_upload(FILE, "r.csv", service.ImportOptions())
        self.assertIsNone(jobs.request_preview(record, wait=True, progress=progress))
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.FAILED)
        self.assertTrue(gc.isenabled())

    def test_nested_steps_leave_it_to_the_outermost(self) -> None:
        with collector.paused():
            with collector.paused():
                self.assertFalse(gc.isenabled())
            self.assertFalse(gc.isenabled())
        self.assertTrue(gc.isenabled())
        gc.disable()  # a process that runs without it keeps it off
        with collector.paused():
            pass
        self.assertFalse(gc.isenabled())
