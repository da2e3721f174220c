"""Fixtures shared by the whole suite. Browser and sandbox-server fixtures are in
``tests/browser/conftest.py``, loaded only by the tests there: nothing here needs Playwright."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches

from wagtail_redirect_tools.not_found import log as not_found_log
from wagtail_redirect_tools.resolution import forget_process_state


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
