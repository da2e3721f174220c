"""An editor redirects a whole section in the sandbox (issue 33): "This path and everything
under it", carrying the rest of the path to another site. The examples follow the typing,
the live pages still under the prefix are named, and the listing shows it as a Prefix,
also through its Match filter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.accessibility import axe_violations
from tests.utils.browser import admin_log_in, keep_full_screenshot, keep_screenshot
from tests.utils.sandbox import SandboxServer

pytestmark = pytest.mark.browser

TARGET = "https://archive.example.org/blog/"


def test_editor_redirects_a_section_carrying_the_rest(sandbox: SandboxServer, page: Page) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/redirect-tools/redirects/new/"))
    carry = page.get_by_label("Carry the rest of the path to the target")
    expect(carry).to_be_hidden()  # only for "everything under it"
    page.get_by_label("This path and everything under it").check()
    expect(carry).to_be_visible()

    preview = page.locator("[data-wrt-pattern-preview]")
    page.fill("#id_old_path", "/blog/")
    page.fill("#id_redirect_link", TARGET)
    carry.check()
    examples = preview.locator("table")
    expect(examples).to_contain_text("/blog/some/page/")
    expect(examples).to_contain_text(TARGET + "some/page/")
    # The sandbox's blog is live: its pages keep answering, and the form says so.
    warning = preview.locator(".help-warning")
    expect(warning).to_contain_text(re.compile(r"\d+ live pages on your sites"))
    expect(warning.locator("li").first).to_contain_text("Blog")
    assert axe_violations(page) == []
    keep_full_screenshot(page, "redirect-pattern-prefix")

    # Typed again: the examples follow, and no page is under the new prefix.
    page.fill("#id_old_path", "/old-blog")
    expect(examples).to_contain_text("/old-blog/a/b/c")
    expect(examples).to_contain_text(TARGET + "a/b/c")
    expect(warning).to_have_count(0)
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/redirect-tools/redirects/")
    page.goto(sandbox.url("/admin/redirect-tools/redirects/?q=blog"))

    row = page.locator("tbody tr", has_text="/old-blog/*")
    expect(row).to_contain_text("Prefix")
    page.get_by_role("button", name="Show filters").click()
    page.locator(".w-drilldown__toggle", has_text="Match").click()
    page.select_option("select[name=match]", "prefix")
    expect(page).to_have_url(re.compile(r"match=prefix"))
    paths = page.locator("tbody td.wrt-path").all_inner_texts()
    assert "/old-blog/*" in [path.replace("\n", "") for path in paths]
    assert {cell.strip() for cell in page.locator("tbody td.wrt-match").all_inner_texts()} == {
        "Prefix"
    }
    keep_screenshot(page, "redirects-match-filter")

    # Opened again, the redirect reads as it was typed.
    row = page.locator("tbody tr", has_text="/old-blog/*")
    row.get_by_role("link", name=re.compile("old-blog")).click()
    expect(page.get_by_label("This path and everything under it")).to_be_checked()
    expect(page.locator("#id_old_path")).to_have_value("/old-blog")
    expect(page.locator("#id_redirect_link")).to_have_value(TARGET.rstrip("/"))
    expect(page.get_by_label("Carry the rest of the path to the target")).to_be_checked()
    expect(page.locator("[data-wrt-pattern-preview] table")).to_contain_text(TARGET + "some/page/")
