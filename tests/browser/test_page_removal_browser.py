"""An editor about to unpublish or delete a news article that redirects lead to is told
so on Wagtail's confirm screen, with a link to them (issue 32, item 3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import admin_log_in, keep_screenshot
from tests.utils.sandbox import SandboxServer

pytestmark = pytest.mark.browser


def test_confirm_screens_name_the_redirects(sandbox: SandboxServer, page: Page) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/pages/search/?q=harbour+wall"))
    page.get_by_role("link", name="New harbour wall", exact=True).first.click()
    page.wait_for_url("**/edit/")
    edit_url = page.url

    page.goto(edit_url.replace("/edit/", "/unpublish/"))
    # Its old .html URL, and its URL before the news section was renamed; the bins page's window.
    warning = page.get_by_text(
        re.compile(r"\d+ redirects? and 1 scheduled redirect point at this page")
    )
    expect(warning).to_be_visible()
    keep_screenshot(page, "page-unpublish-confirm-redirects")

    page.goto(edit_url.replace("/edit/", "/delete/"))
    warning = page.get_by_text("point at this page or the pages under it")
    expect(warning).to_be_visible()
    keep_screenshot(page, "page-delete-confirm-redirects")
    page.get_by_role("link", name="Show the redirects").click()
    page.wait_for_url("**/redirect-tools/redirects/?target_page=*")
    expect(page.locator("tbody tr").first).to_contain_text("New harbour wall")
    keep_screenshot(page, "page-delete-confirm-redirects-listing")
