"""When the site's cache (a real Redis, the default cache, as production sites have it)
stops or freezes, redirects, windows and the admin login keep answering: an outage may
cost queries, never a request."""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine
from django.test import Client, TestCase, override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.sandbox import free_port
from wagtail_redirect_tools import schedule_redirect

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)

redis_server = shutil.which("redis-server")


@contextmanager
def own_redis() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A Redis server of this test's own, on a free port."""
    port = free_port()
    process = subprocess.Popen(
        [redis_server or "redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, check=False
            ).stdout.strip()
            != b"PONG"
        ):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield process, port
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
            process.kill()
        process.wait()


@pytest.mark.skipif(redis_server is None, reason="needs redis-server")
class TestRedisOutage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        cls.sale = add_page(cls.home, "sale")
        Redirect.add_redirect("/old-link", "/about/")
        Redirect.add_redirect("/old-page", cls.about)

    def setUp(self) -> None:
        self.redis, port = self.enterContext(own_redis())
        # The default cache, with redis-py's defaults (no socket timeout): as sites have it.
        # Not a class decorator: the suite's fixture clears every cache around a test.
        self.enterContext(
            override_settings(
                CACHES={
                    "default": {
                        "BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": f"redis://127.0.0.1:{port}/0",
                    }
                }
            )
        )
        self.clock = self.enterContext(time_machine.travel(NOW, tick=False))
        schedule_redirect("/promo", self.sale, expires_at=NOW + DAY)
        schedule_redirect(self.about, "/closed/", starts_at=NOW + DAY, expires_at=NOW + 2 * DAY)

    def get(self, path: str) -> tuple[int, str]:
        response = Client().get(path, HTTP_HOST="localhost")
        return response.status_code, response.get("Location", "")

    def assert_answers(self) -> None:
        self.assertEqual(self.get("/old-link/"), (301, "/about/"))
        self.assertEqual(self.get("/old-page/"), (301, "/about/"))
        self.assertEqual(self.get("/promo/"), (302, "/sale/"))
        self.assertEqual(self.get("/never-was/")[0], 404)
        self.assertEqual(self.get("/admin/login/")[0], 200)

    def test_a_killed_redis(self) -> None:
        self.assert_answers()
        os.kill(self.redis.pid, signal.SIGKILL)
        self.redis.wait()
        self.assert_answers()
        # Changes made during the outage are answered, and so is a window's start.
        Redirect.add_redirect("/during", "/sale/")
        self.assertEqual(self.get("/during/"), (301, "/sale/"))
        self.clock.move_to(NOW + DAY)
        self.assertEqual(self.get("/about/"), (302, "/closed/"))

    def test_a_frozen_redis_holds_no_request(self) -> None:
        self.assert_answers()
        os.kill(self.redis.pid, signal.SIGSTOP)
        # Nothing here may wait for the frozen server: redis-py has no timeout by default,
        # so a request that asked it would never end (the test would hang, not fail).
        self.assert_answers()
        Redirect.add_redirect("/during", "/sale/")
        self.assertEqual(self.get("/during/"), (301, "/sale/"))
        self.clock.move_to(NOW + DAY)
        self.assertEqual(self.get("/about/"), (302, "/closed/"))
