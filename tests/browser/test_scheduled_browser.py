"""An editor schedules a temporary redirect on a live page in the sandbox, in a real browser,
sees it take effect, and ends it from the "Scheduled redirects" listing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.utils.browser import admin_log_in, close_date_picker, keep_screenshot
from tests.utils.sandbox import SandboxServer

pytestmark = pytest.mark.browser


def visit_as_new_visitor(browser: Browser, url: str) -> tuple[str, str]:
    """Where a visitor with an empty browser cache lands, and the page's heading."""
    context = browser.new_context()
    try:
        visitor = context.new_page()
        visitor.goto(url)
        return visitor.url, visitor.locator("h1").first.inner_text()
    finally:
        context.close()


def test_editor_schedules_and_ends_a_temporary_redirect(
    sandbox: SandboxServer, page: Page, browser: Browser
) -> None:
    parking = sandbox.url("/services/parking/")
    assert visit_as_new_visitor(browser, parking) == (parking, "Parking")

    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/pages/search/?q=parking"))
    edit_link = page.locator("a[href$='/edit/']")
    page.get_by_role("link", name="Parking", exact=True).and_(edit_link).first.click()
    page.wait_for_url("**/edit/")
    # The page header's "more" menu has the action.
    page.locator("header").get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Redirect temporarily…").click()
    page.wait_for_url("**/redirect-temporarily/")

    page.fill("#id_redirect_link", "/latest-news/")
    page.fill("#id_expires_at", "2031-01-31 17:00")
    close_date_picker(page)
    page.fill("#id_reason", "Parking consultation")
    keep_screenshot(page, "scheduled-page-action-form")
    # Submitted as the button submits it: under load the form's widgets can keep the
    # button moving longer than Playwright waits for it to stand still.
    page.get_by_role("button", name="Schedule redirect").evaluate("b => b.form.requestSubmit(b)")

    page.wait_for_url("**/edit/")
    expect(
        page.get_by_text("'Parking' will redirect to /latest-news/ from now until 31 Jan 2031")
    ).to_be_visible()
    expect(page.get_by_text("Redirected until 31 Jan 2031, 5 p.m.")).to_be_visible()
    keep_screenshot(page, "scheduled-page-editor")

    landed, heading = visit_as_new_visitor(browser, parking)
    assert landed == sandbox.url("/latest-news/")
    assert heading == "News"

    # End it from the listing: select the row, bulk action "End now", confirm.
    page.goto(sandbox.url("/admin/scheduled-redirects/?state=active"))
    keep_screenshot(page, "scheduled-listing-active")
    row = page.locator("table.listing tbody tr", has_text="Parking")
    row.hover()
    row.locator("input[type=checkbox]").check()
    page.locator("[data-bulk-action-button]", has_text="End now").click()
    expect(page.get_by_text("End these redirects now?")).to_be_visible()
    page.get_by_role("button", name="Yes, end now").click()
    expect(page.get_by_text("1 scheduled redirect ended.")).to_be_visible()
    keep_screenshot(page, "scheduled-listing-after-end-now")

    assert visit_as_new_visitor(browser, parking) == (parking, "Parking")
