"""Python's cycle collector is the whole process's: an import or a move never switches it off
(issue 28, item 8). In a threaded server every other request would run without it meanwhile.

Watched two ways while the work runs: a thread that reads ``gc.isenabled()`` all along (what
any other request of the process would see), and every query the work makes (the moments
inside it).
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import io
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, build_tree, fresh_site_tree

NOW = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)
UPLOAD = "/admin/redirect-tools/imports/"
ROWS = 3000


def csv_file(rows: int) -> bytes:
    lines = ["from,to,type"]
    lines += [f"/old/{number},/new/{number},301" for number in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@contextlib.contextmanager
def watch_collector() -> Iterator[list[tuple[str, bool]]]:
    """Observations of ``gc.isenabled()``, ("thread" or "query", enabled), while the block
    runs: from another thread all along, and at each query the block makes."""
    seen: list[tuple[str, bool]] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            seen.append(("thread", gc.isenabled()))
            done.wait(0.001)

    def at_query(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(("query", gc.isenabled()))
        return execute(sql, params, many, context)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        with connection.execute_wrapper(at_query):
            yield seen
    finally:
        done.set()
        watcher.join()


@time_machine.travel(NOW, tick=False)
class TestTheCollectorStaysOn(TestCase):
    def assert_never_off(self, seen: list[tuple[str, bool]]) -> None:
        self.assertTrue(gc.isenabled())
        for source in ("thread", "query"):
            observed = [enabled for where, enabled in seen if where == source]
            self.assertTrue(observed, f"no {source} observation")
            off = observed.count(False)
            self.assertEqual(off, 0, f"off in {off} of {len(observed)} {source} observations")

    def test_during_an_admin_import_preview_and_confirm(self) -> None:
        fresh_site_tree("localhost")
        user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(user)
        with watch_collector() as seen:
            response = self.client.post(
                UPLOAD,
                {
                    "file": SimpleUploadedFile("r.csv", csv_file(ROWS)),
                    "site": "",
                    "default_type": "301",
                    "on_existing": "update",
                    "file_format": "auto",
                    "encoding": "auto",
                },
            )
            self.assertEqual(response.status_code, 302)
            preview = self.client.get(response["Location"])
            token = preview.context["token"]
            confirm = reverse("wagtail_redirect_tools:import_confirm", args=[token])
            self.assertEqual(self.client.post(confirm).status_code, 302)
        self.assertEqual(Redirect.objects.count(), ROWS)
        self.assert_never_off(seen)

    def test_during_a_command_line_import(self) -> None:
        fresh_site_tree("localhost")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "r.csv"
            path.write_bytes(csv_file(ROWS))
            with watch_collector() as seen:
                call_command("redirects_import", str(path), stdout=io.StringIO())
        self.assertEqual(Redirect.objects.count(), ROWS)
        self.assert_never_off(seen)

    def test_during_a_move(self) -> None:
        _site, home = fresh_site_tree("localhost")
        section = add_page(home, "section")
        build_tree(section, depth=2, breadth=8)
        elsewhere = add_page(home, "elsewhere")
        with watch_collector() as seen:
            section.move(elsewhere, pos="last-child")
        self.assertGreater(Redirect.objects.count(), 64)
        self.assert_never_off(seen)
