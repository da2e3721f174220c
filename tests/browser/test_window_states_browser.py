"""An editor scans for what is redirected right now (issue 32, item 1): in a real browser,
the *Active* badge stands out from *Expired* on the Scheduled redirects listing, on the
page's redirects screen and on the dashboard, which lists the windows active now; no state
is drawn in the error colour."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.utils.browser import admin_log_in, keep_screenshot
from tests.utils.sandbox import SandboxServer

pytestmark = pytest.mark.browser


def looks(badge: Locator) -> dict[str, str]:
    return badge.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return {background: s.backgroundColor, color: s.color, border: s.borderColor}; }"
    )


def error_colour(page: Page) -> str:
    """Wagtail's critical colour as the browser computes it."""
    return page.evaluate(
        "() => { const e = document.createElement('span');"
        " e.style.color = 'var(--w-color-critical-200)'; document.body.append(e);"
        " const c = getComputedStyle(e).color; e.remove(); return c; }"
    )


def test_active_windows_stand_out(sandbox: SandboxServer, page: Page) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")

    page.goto(sandbox.url("/admin/scheduled-redirects/?ordering=expires_at"))
    active = page.locator("[data-window-state=active]").first
    expired = page.locator("[data-window-state=expired]").first
    scheduled = page.locator("[data-window-state=scheduled]").first
    expect(active).to_have_text("Active")
    active_look, expired_look = looks(active), looks(expired)
    assert active_look["background"] != expired_look["background"]
    assert active_look["color"] != expired_look["color"]
    assert looks(scheduled)["background"] not in (
        active_look["background"],
        expired_look["background"],
    )
    red = error_colour(page)
    for badge in page.locator("[data-window-state]").all():
        assert red not in looks(badge).values()
    keep_screenshot(page, "window-states-listing")

    page.goto(sandbox.url("/admin/"))
    now = page.locator("[data-windows-active]")
    expect(now).to_contain_text("Bins and recycling")
    expect(now.locator("[data-window-state=active]").first).to_be_visible()
    assert looks(now.locator("[data-window-state=active]").first) == active_look
    page.locator("#redirects-dashboard-section").scroll_into_view_if_needed()
    keep_screenshot(page, "window-states-dashboard")

    page.goto(sandbox.url("/admin/pages/search/?q=bins"))
    # The search's order differs between databases: the link to the edit view.
    edit_link = page.locator("a[href$='/edit/']")
    page.get_by_role("link", name="Bins and recycling", exact=True).and_(edit_link).first.click()
    page.wait_for_url("**/edit/")
    page.locator("header").get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Redirect temporarily…").click()
    page.wait_for_url("**/redirect-temporarily/")
    badge = page.locator("[data-page-windows] [data-window-state=active]")
    expect(badge).to_be_visible()
    assert looks(badge) == active_look
    keep_screenshot(page, "window-states-redirect-temporarily")
