"""Fixtures of the tests that drive a real browser or run the sandbox server: Debian's
chromium through Playwright (``browser``, ``page``) and the sandbox as a user starts it
(``sandbox``). Only the tests in this folder load this file, so the rest of the suite runs
without Playwright; without it, this folder is skipped (unless WRT_REQUIRE_BROWSER is set).

Every test here starts a server (the sandbox, or pytest-django's live server): all are marked
``slow``, and those that use the browser are also marked ``browser``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.utils.sandbox import SandboxServer, start_sandbox

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:
    if os.environ.get("WRT_REQUIRE_BROWSER"):
        raise
    pytest.skip(
        "Playwright is not installed (the test extra installs it): tests/browser/ skipped",
        allow_module_level=True,
    )

HERE = Path(__file__).resolve().parent

# Playwright's sync API runs an event loop in the test thread; Django would then
# refuse database access from that thread. The tests themselves are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not item.path.is_relative_to(HERE):  # the hook sees the whole session's items
            continue
        item.add_marker(pytest.mark.slow)
        if {"browser", "page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


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
