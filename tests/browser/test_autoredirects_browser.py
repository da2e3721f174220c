"""In the sandbox, an editor moves a section in Wagtail's admin and back again: every old
URL answers 301 to the new one, and moving back leaves no redirect on a live URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import admin_log_in, keep_screenshot
from tests.utils.sandbox import SandboxServer, get

pytestmark = pytest.mark.browser

SERVICES = ["", "parking/", "planning/", "housing/", "schools/", "roads-and-pavements/"]


def page_id(page: Page, server: SandboxServer, title: str) -> int:
    page.goto(server.url(f"/admin/pages/search/?q={title}"))
    edit_link = page.locator("a[href$='/edit/']")
    href = page.get_by_role("link", name=title, exact=True).and_(edit_link).first
    match = re.search(r"/pages/(\d+)/edit/", href.get_attribute("href") or "")
    assert match, title
    return int(match.group(1))


def move(page: Page, server: SandboxServer, moved: int, destination: int) -> None:
    page.goto(server.url(f"/admin/pages/{moved}/move/{destination}/confirm/"))
    expect(page.get_by_label("Create redirects from the old URLs (recommended)")).to_be_checked()
    keep_screenshot(page, "autoredirects-confirm-move")
    page.get_by_role("button", name="Yes, move this page").click()
    page.wait_for_url("**/admin/pages/**")


def test_move_a_section_and_back(sandbox: SandboxServer, page: Page) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    services, about, home = (
        page_id(page, sandbox, title) for title in ("Services", "About", "Harbourside Council")
    )

    move(page, sandbox, services, about)
    expect(
        page.get_by_text("redirects were created from the old URLs of 'Services'")
    ).to_be_visible()
    keep_screenshot(page, "autoredirects-after-move")
    for path in SERVICES:
        response = get(sandbox, f"/services/{path}")
        assert response.status == 301, path
        assert response.getheader("Location") == sandbox.url(f"/about/services/{path}")
        assert get(sandbox, f"/about/services/{path}").status == 200

    move(page, sandbox, services, home)
    for path in SERVICES:
        assert get(sandbox, f"/services/{path}").status == 200, path  # live again, no redirect
        response = get(sandbox, f"/about/services/{path}")
        assert response.status == 301
        assert response.getheader("Location") == sandbox.url(f"/services/{path}")
    # The listing shows no redirect from a URL that is live again.
    page.goto(sandbox.url("/admin/redirects/?q=/services/parking"))
    expect(page.get_by_role("link", name="/about/services/parking", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="/services/parking", exact=True)).to_have_count(0)
