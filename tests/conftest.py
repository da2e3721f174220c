"""Fixtures shared by the whole suite. Browser and sandbox-server fixtures are in
``tests/browser/conftest.py``, loaded only by the tests there: nothing here needs Playwright."""

from __future__ import annotations

import datetime
import os
import subprocess
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import caches

from wagtail_redirect_tools.not_found import log as not_found_log
from wagtail_redirect_tools.resolution import forget_process_state


def pytest_configure(config: pytest.Config) -> None:
    """``WRT_CLOCK_AHEAD_DAYS=400`` runs the suite with this process's clock that many days
    ahead (and ticking), so a test that depends on today's date fails now rather than on the
    day it stops being true. CI runs the fast suite once this way."""
    days = os.environ.get("WRT_CLOCK_AHEAD_DAYS")
    if days:
        ahead = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=int(days))
        time_machine.travel(ahead, tick=True).start()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``i18n`` need the multilingual test site's settings
    (``DJANGO_SETTINGS_MODULE=tests.settings_i18n``): skipped under any other."""
    from django.conf import settings

    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return
    skip = pytest.mark.skip(reason="the multilingual test site: needs tests.settings_i18n")
    for item in items:
        if item.get_closest_marker("i18n"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    """Every test starts and ends with empty caches (Redis keeps keys between tests)
    and without anything this process keeps in memory (index, lookups, hits)."""
    for cache in caches.all():
        cache.clear()
    forget_process_state()
    not_found_log.forget()
    yield
    for cache in caches.all():
        cache.clear()
    forget_process_state()
    not_found_log.forget()


@pytest.fixture
def running() -> Iterator[list[subprocess.Popen[str]]]:
    """Servers a test starts (nginx, httpd, the sandbox): stopped when it ends."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.terminate()
        process.wait(timeout=10)
