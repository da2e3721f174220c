"""End now is at once for a visitor who has just been redirected (issue 28, item 7).

A visitor's browser follows a page's window to its target; an editor ends the window from the
page editor's banner; the same browser (same context, so the same HTTP cache) asks for the
page again and gets the page, not the redirect it followed a moment ago. A window's answer
told browsers ``max-age=60`` before, and Chromium followed its cached 302 for that minute.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.utils.browser import admin_log_in, close_date_picker
from tests.utils.sandbox import SandboxServer, get

pytestmark = pytest.mark.browser

PAGE_PATH = "/about/contact-us/"  # no other browser test moves or redirects it


def test_the_same_browser_sees_the_page_at_once_after_end_now(
    sandbox: SandboxServer, page: Page, browser: Browser, tmp_path: Path
) -> None:
    contact_us = sandbox.url(PAGE_PATH)
    assert get(sandbox, PAGE_PATH).status == 200

    # The editor redirects "Contact us" to the news for a week.
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/pages/search/?q=contact"))
    edit_link = page.locator("a[href$='/edit/']")
    page.get_by_role("link", name="Contact us", exact=True).and_(edit_link).first.click()
    page.wait_for_url("**/edit/")
    page.locator("header").get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Redirect temporarily…").click()
    page.wait_for_url("**/redirect-temporarily/")
    in_a_week = datetime.date.today() + datetime.timedelta(days=7)
    page.fill("#id_redirect_link", "/latest-news/")
    page.fill("#id_expires_at", f"{in_a_week:%Y-%m-%d} 12:00")
    close_date_picker(page)
    page.fill("#id_reason", "Phone lines closed")
    with page.expect_navigation():
        page.locator("#id_redirect_link").evaluate("el => el.form.requestSubmit()")
    page.wait_for_url("**/edit/")

    # A visitor follows the redirect, with a browser cache of its own.
    visitor_context = browser.new_context()
    try:
        visitor = visitor_context.new_page()
        visitor.goto(contact_us)
        assert visitor.url == sandbox.url("/latest-news/")

        # The editor ends it; the screen says what a visitor sees.
        banner = page.locator(".messages li", has_text="Redirected until")
        banner.get_by_role("link", name="End now").click()
        page.wait_for_url("**/end-now/**")
        expect(
            page.get_by_text("Visitors see the original page or path again at once")
        ).to_be_visible()
        page.screenshot(path=str(tmp_path / "end-now-confirmation.png"))
        with page.expect_navigation():
            page.locator("button:text('Yes, end now')").evaluate("el => el.form.requestSubmit()")
        expect(page.get_by_text("ended: visitors see it again")).to_be_visible()

        # The same visitor, at once: the page, not the redirect followed a moment ago.
        visitor.goto(contact_us)
        assert visitor.url == contact_us
        expect(visitor.locator("h1").first).to_have_text("Contact us")
    finally:
        visitor_context.close()
