"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from playwright.sync_api import Browser, Page, sync_playwright

from tests.sandbox_server import SandboxServer, start_sandbox
from wagtail_redirect_tools.resolution import forget_process_state

# Playwright's sync API runs an event loop in the test thread; Django would then
# refuse database access from that thread. The tests themselves are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    """Every test starts and ends with empty caches (Redis keeps keys between tests)
    and without anything this process keeps in memory (index, lookups, hits)."""
    for cache in caches.all():
        cache.clear()
    forget_process_state()
    yield
    for cache in caches.all():
        cache.clear()
    forget_process_state()


def chromium_path() -> str | None:
    return os.environ.get("WRT_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (Playwright's own browser download is not used)."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("WRT_REQUIRE_BROWSER"):
            pytest.fail("WRT_REQUIRE_BROWSER is set but no chromium was found on PATH.")
        pytest.skip("chromium is not installed (apt-get install chromium); browser tests skipped")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def sandbox_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sandbox")


@pytest.fixture(scope="session")
def sandbox(sandbox_workdir: Path) -> Iterator[SandboxServer]:
    """The sandbox started as a user starts it, shared by the tests that request it."""
    server = start_sandbox(sandbox_workdir)
    yield server
    server.stop()
