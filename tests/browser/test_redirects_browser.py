"""An editor finds the busiest redirects in the sandbox's "Redirects" listing, adds a 308
for a form's old address, and a visitor's POST keeps its method through it."""

from __future__ import annotations

import http.client

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import admin_log_in, keep_screenshot
from tests.utils.sandbox import SandboxServer

pytestmark = pytest.mark.browser


def post(sandbox: SandboxServer, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=30)
    connection.request("POST", path, body="a=1", headers={"Host": f"localhost:{sandbox.port}"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_editor_sorts_by_hits_and_adds_a_308(sandbox: SandboxServer, page: Page) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/"))
    page.get_by_role("button", name="Settings").click()
    # The Settings menu's item (the dashboard panel links to the listing too).
    page.locator("#wagtail-sidebar").get_by_role("link", name="Redirects", exact=True).click()
    page.wait_for_url("**/redirect-tools/redirects/")

    page.get_by_role("link", name="Hits").click()  # one click: the busiest first
    page.wait_for_url("**ordering=-hit_count**")
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("/vote")
    expect(first_row).to_contain_text("1840")
    keep_screenshot(page, "redirects-listing-by-hits")

    page.get_by_role("link", name="Add redirect").first.click()
    page.fill("#id_old_path", "/old-contact-form")
    page.select_option("#id_status_code", "308")
    page.fill("#id_redirect_link", "/about/")
    keep_screenshot(page, "redirects-add-308")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/redirect-tools/redirects/")
    expect(page.get_by_text("/old-contact-form").first).to_be_visible()

    response = post(sandbox, "/old-contact-form")
    assert response.status == 308
    assert response.getheader("Location") == "/about/"
