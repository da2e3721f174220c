"""Issue 16's window task in a real browser on the sandbox: an editor redirects a page for
three days from its "Redirect temporarily" screen, a visitor is redirected, the editor ends
it from the page's banner, and the visitor sees the page again. Also the progressive
scheduled redirect form. Each screen is kept as a screenshot in the test's tmp dir."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import admin_log_in, close_date_picker
from tests.utils.sandbox import SandboxServer, get

pytestmark = pytest.mark.browser

PAGE_PATH = "/services/leisure-centres/"  # no other browser test moves or redirects it


def shot(page: Page, tmp_path: Path, name: str) -> None:
    """The whole screen as tmp_path/NAME.png: Wagtail's admin scrolls inside its own
    container, so the window is made as tall as the content for the moment of the shot."""
    viewport = page.viewport_size
    assert viewport is not None
    height = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('main, main *'), e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    page.screenshot(path=str(tmp_path / f"{name}.png"))
    page.set_viewport_size(viewport)


def submit(page: Page, selector: str) -> None:
    """Submit the form that holds ``selector`` the way Wagtail's own buttons do."""
    with page.expect_navigation():
        page.locator(selector).evaluate("el => el.form.requestSubmit()")


def test_redirect_a_page_for_three_days_and_end_it_from_the_banner(
    sandbox: SandboxServer, page: Page, tmp_path: Path
) -> None:
    assert get(sandbox, PAGE_PATH).status == 200
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/pages/search/?q=leisure"))
    edit_link = page.locator("a[href$='/edit/']")
    page.get_by_role("link", name="Leisure centres", exact=True).and_(edit_link).first.click()
    page.wait_for_url("**/edit/")
    page.locator("header").get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Redirect temporarily…").click()
    page.wait_for_url("**/redirect-temporarily/")

    # Wagtail's header: breadcrumbs through the page tree, then this screen.
    breadcrumbs = page.locator("[data-w-breadcrumbs-target], .w-breadcrumbs").first
    expect(breadcrumbs).to_contain_text("Leisure centres")
    expect(page.locator("h1")).to_contain_text("Redirect temporarily")
    page.locator("[data-w-breadcrumbs-target=toggle], .w-breadcrumbs__toggle").first.click()
    expect(breadcrumbs.get_by_role("link", name="Leisure centres")).to_be_visible()
    shot(page, tmp_path, "0-redirect-temporarily-breadcrumbs")
    in_three_days = datetime.date.today() + datetime.timedelta(days=3)
    page.fill("#id_redirect_link", "/latest-news/")
    page.fill("#id_expires_at", f"{in_three_days:%Y-%m-%d} 12:00")
    close_date_picker(page)
    page.fill("#id_reason", "Pool closed for three days")
    shot(page, tmp_path, "1-redirect-temporarily")
    submit(page, "#id_redirect_link")

    page.wait_for_url("**/edit/")
    banner = page.locator(".messages li", has_text="Redirected until")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link", name="End now")).to_be_visible()
    shot(page, tmp_path, "2-page-editor-banner")

    response = get(sandbox, PAGE_PATH)
    assert (response.status, response.getheader("Location")) == (302, "/latest-news/")

    page.goto(sandbox.url("/admin/scheduled-redirects/?q=pool+closed"))
    row = page.locator("table.listing tbody tr", has_text="Leisure centres")
    expect(row.locator("[data-window-state=active]")).to_have_text("Active")
    expect(row).to_contain_text(PAGE_PATH)
    expect(row).to_contain_text("Harbourside Council")
    row.hover()
    row.get_by_role("button", name="More options").click()
    expect(row.get_by_role("link", name="End now")).to_be_visible()
    shot(page, tmp_path, "3-scheduled-listing-row-menu")

    page.go_back()
    page.wait_for_url("**/edit/")
    page.locator(".messages li", has_text="Redirected until").get_by_role(
        "link", name="End now"
    ).click()
    page.wait_for_url("**/end-now/**")
    expect(page.get_by_text("End this redirect now?")).to_be_visible()
    shot(page, tmp_path, "4-end-now-confirmation")
    submit(page, "button:text('Yes, end now')")

    page.wait_for_url("**/edit/")
    expect(page.get_by_text("ended: visitors see it again")).to_be_visible()
    expect(page.locator(".messages li", has_text="Redirected until")).to_have_count(0)
    shot(page, tmp_path, "5-page-editor-after-end-now")
    assert get(sandbox, PAGE_PATH).status == 200

    page.goto(sandbox.url("/admin/scheduled-redirects/?q=pool+closed"))
    row = page.locator("table.listing tbody tr", has_text="Leisure centres")
    expect(row.locator("[data-window-state=ended]")).to_have_text("Ended")
    shot(page, tmp_path, "6-scheduled-listing-ended")


def test_scheduled_form_shows_only_the_chosen_source(
    sandbox: SandboxServer, page: Page, tmp_path: Path
) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/scheduled-redirects/new/"))
    path_choice = page.locator("input[name=source_kind][value=path]")
    page_choice = page.locator("input[name=source_kind][value=page]")
    expect(path_choice).to_be_checked()
    expect(page.locator("#id_old_path")).to_be_visible()
    expect(page.locator("#id_site")).to_be_visible()
    expect(page.locator("#id_source_page-chooser")).to_be_hidden()
    shot(page, tmp_path, "7-scheduled-form-path")

    page_choice.check()
    expect(page.locator("#id_old_path")).to_be_hidden()
    expect(page.locator("#id_site")).to_be_hidden()
    expect(page.locator("#id_source_page-chooser")).to_be_visible()
    shot(page, tmp_path, "8-scheduled-form-page")
