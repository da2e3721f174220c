"""The editor's redirect workspace (issue 16) in a real browser, on the sandbox: the import
screen's template buttons, the plain Add redirect form (410 switch, live-page warning), the
Redirects listing's From column and sorting, and the 410 Gone page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import admin_log_in, keep_full_screenshot, keep_screenshot
from tests.utils.sandbox import SandboxServer, get

pytestmark = pytest.mark.browser


def submit(page: Page, selector: str) -> None:
    """Submit the form that holds ``selector`` the way Wagtail's own buttons do."""
    with page.expect_navigation():
        page.locator(selector).evaluate("el => el.form.requestSubmit()")


def test_import_template_buttons_are_small_buttons_with_an_icon(
    sandbox: SandboxServer, page: Page
) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/redirect-tools/imports/"))
    buttons = page.locator("[data-import-templates] a")
    expect(buttons).to_have_count(2)
    expect(buttons.first).to_have_text("CSV")
    expect(buttons.last).to_have_text("XLSX")
    for index in range(2):
        button = buttons.nth(index).bounding_box()
        icon = buttons.nth(index).locator("svg").bounding_box()
        assert button is not None and icon is not None
        assert icon["width"] <= 20 and icon["height"] <= 20, icon  # 1em, not 300x150
        assert button["width"] < 120 and button["height"] < 40, button
    keep_screenshot(page, "workspace-import-template-buttons")


def test_add_redirect_form_hides_targets_for_410_and_warns_about_a_live_page(
    sandbox: SandboxServer, page: Page
) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/redirect-tools/redirects/new/"))
    status = page.locator("#id_status_code")
    expect(status.locator("option")).to_have_text(
        [
            "301 Moved Permanently",
            "308 Permanent Redirect (keeps the request method)",
            "410 Gone (no target)",
        ]
    )
    expect(page.get_by_role("link", name="Scheduled redirects").last).to_have_attribute(
        "href", "/admin/scheduled-redirects/new/"
    )
    keep_full_screenshot(page, "workspace-add-redirect")

    status.select_option("410")
    expect(page.locator("#id_redirect_link")).to_be_hidden()
    expect(page.locator("#id_redirect_link")).to_be_disabled()
    expect(page.get_by_text("Choose a page")).to_be_hidden()
    keep_full_screenshot(page, "workspace-add-redirect-410")
    status.select_option("301")
    expect(page.locator("#id_redirect_link")).to_be_enabled()

    assert get(sandbox, "/services/").status == 200
    page.fill("#id_old_path", "/services/")
    page.fill("#id_redirect_link", "/news/")
    submit(page, "#id_old_path")
    checkbox = page.locator("input[type=checkbox][name=confirm_live_page]")
    expect(checkbox).to_be_visible()
    expect(page.locator("#w-editor-form")).to_contain_text("A live page is at /services")
    keep_full_screenshot(page, "workspace-add-redirect-live-page")

    checkbox.check()
    submit(page, "#id_old_path")
    page.wait_for_url("**/redirect-tools/redirects/")
    expect(page.locator(".messages")).to_contain_text("/services")
    assert get(sandbox, "/services/").status == 200  # the page is still served first


def test_listing_wraps_paths_between_segments_and_sorts_by_status(
    sandbox: SandboxServer, page: Page
) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    # Searched, so that redirects other tests add to the shared sandbox cannot push the
    # rows looked at onto another page of the listing.
    page.goto(sandbox.url("/admin/redirect-tools/redirects/?q=catalogue"))
    cell = page.locator("td.wrt-path", has_text="fishermans-jumper")
    segment = cell.locator(".wrt-path__segment", has_text="fishermans-jumper")
    rects = segment.evaluate("el => el.getClientRects().length")
    line = segment.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    box = segment.bounding_box()
    assert box is not None
    assert rects == 1 and box["height"] < 1.5 * line, (rects, box, line)  # not broken mid-word
    keep_screenshot(page, "workspace-redirects-listing")
    page.goto(sandbox.url("/admin/redirect-tools/redirects/?q=careers"))  # an all-sites one
    expect(page.locator("tbody td", has_text="All sites").first).to_be_visible()

    page.goto(sandbox.url("/admin/redirect-tools/redirects/"))
    page.get_by_role("link", name="Status").click()  # ascending
    page.get_by_role("link", name="Status").click()  # descending: 410 first
    page.wait_for_url("**ordering=-effective_status**")
    expect(page.locator("tbody tr").first).to_contain_text("410 gone", ignore_case=True)
    keep_screenshot(page, "workspace-redirects-by-status")

    page.get_by_role("link", name="Origin").click()
    page.wait_for_url("**ordering=origin**")
    expect(page.locator("tbody tr").first).to_contain_text("Automatic")


def test_a_gone_url_shows_the_gone_page(sandbox: SandboxServer, page: Page) -> None:
    response = page.goto(sandbox.url("/consultation-2019"))
    assert response is not None and response.status == 410
    expect(page.locator("h1")).to_have_text("Gone")
    expect(page.get_by_role("link", name="Go to the home page")).to_have_attribute("href", "/")
    keep_screenshot(page, "workspace-gone-page")
