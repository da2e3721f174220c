"""The editor's redirect workspace (issue 16) in a real browser, on the sandbox: finding
everything that points at a page with the Target page filter and from the page itself,
bulk-changing status codes, exporting the selected rows and opening the CSV, and the
dashboard panel. Rows of their own (imported with unique paths) keep other tests' rows
out of the way."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import admin_log_in, keep_full_screenshot, keep_screenshot
from tests.utils.sandbox import SandboxServer, get, manage

pytestmark = pytest.mark.browser

PREFIX = "/zqxbulk-"
LISTING = "/admin/redirect-tools/redirects/"


@pytest.fixture(scope="module")
def own_rows(sandbox: SandboxServer, sandbox_workdir: Path) -> list[str]:
    """Three redirects of this module's own, written by the import command."""
    paths = [f"{PREFIX}{name}" for name in ("alpha", "beta", "gamma")]
    upload = sandbox_workdir / "bulk-rows.csv"
    upload.write_text("from,to,type\n" + "".join(f"{p},/news/,301\n" for p in paths))
    run = manage("redirects_import", str(upload), workdir=sandbox_workdir)
    assert run.returncode == 0, run.stdout + run.stderr
    return paths


def rows_of(page: Page) -> list[str]:
    return [
        text.strip() for text in page.locator("table.listing tbody td.wrt-path").all_inner_texts()
    ]


def test_find_everything_pointing_at_a_page(sandbox: SandboxServer, page: Page) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url(LISTING))
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name="Target page").click()
    page.locator("#id_target_page-chooser").get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal-content")
    modal.locator("#id_q").fill("Events")
    modal.locator("a.choose-page", has_text=re.compile(r"^\s*Events\s*$")).first.click()
    page.wait_for_url(re.compile(r"target_page=\d+"))
    expect(page.locator("table.listing tbody tr").first).to_be_visible()
    paths = rows_of(page)
    assert {"/past-events", "/whats-on", "/events/archive"} <= set(paths), paths
    assert "/summer-fair" not in paths  # a window, and not in this listing
    keep_screenshot(page, "workspace-target-page-filter")

    # The same from the page: its header's "more" menu.
    page_id = re.search(r"target_page=(\d+)", page.url).group(1)  # type: ignore[union-attr]
    page.goto(sandbox.url(f"/admin/pages/{page_id}/edit/"))
    page.locator("header [data-w-dropdown-target=toggle]").last.click()
    page.get_by_role("link", name=re.compile(r"Redirects to this page \(\d+\)")).click()
    page.wait_for_url("**/redirect-tools/workspace/pages/*/redirects/")
    expect(page.locator("[data-redirects-to]")).to_contain_text("/past-events")
    expect(page.get_by_role("link", name="Add redirect to this page")).to_be_visible()
    keep_full_screenshot(page, "workspace-page-redirects")


def test_bulk_change_status_codes(sandbox: SandboxServer, page: Page, own_rows: list[str]) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url(f"{LISTING}?q=zqxbulk"))
    expect(page.locator("table.listing tbody tr")).to_have_count(3)
    page.locator("thead [data-bulk-action-select-all-checkbox]").check()
    page.locator("[data-bulk-action-footer] a", has_text="Change status").click()
    page.wait_for_url("**/bulk/wagtailredirects/redirect/change_status/**")
    expect(page.locator("[data-bulk-action-items] li")).to_have_count(3)
    page.select_option("#id_status_code", "308")
    keep_screenshot(page, "workspace-bulk-change-status")
    with page.expect_navigation():
        page.locator("#id_status_code").evaluate("el => el.form.requestSubmit()")
    expect(page.locator(".messages")).to_contain_text("3 redirects now answer with 308.")
    expect(page.locator("table.listing tbody tr", has_text="308 permanent")).to_have_count(3)
    keep_screenshot(page, "workspace-bulk-changed")
    assert get(sandbox, f"{PREFIX}beta").status == 308


def test_export_selected_and_open_the_csv(
    sandbox: SandboxServer, page: Page, own_rows: list[str]
) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url(f"{LISTING}?q=zqxbulk"))
    for path in own_rows[:2]:
        page.locator("table.listing tbody tr", has_text=path).locator(
            "[data-bulk-action-checkbox]"
        ).check()
    page.locator("[data-bulk-action-footer] a", has_text="Export selected").click()
    page.wait_for_url("**/bulk/wagtailredirects/redirect/export_selected/**")
    page.get_by_label("CSV").check()
    keep_screenshot(page, "workspace-export-selected")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == "redirects.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["from"] for row in rows] == own_rows[:2], rows
    # Open it as an editor would see it: in the browser, as text.
    page.set_content(f"<pre id=csv>{content}</pre>")
    expect(page.locator("#csv")).to_contain_text(own_rows[0])
    keep_screenshot(page, "workspace-export-selected-csv")


def test_dashboard_panel(sandbox: SandboxServer, page: Page) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    panel = page.locator("[data-redirects-dashboard]")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Redirected now")
    expect(panel).to_contain_text("Starting in the next 7 days")
    expect(panel).to_contain_text("Busiest redirects this week")
    panel.scroll_into_view_if_needed()
    keep_full_screenshot(page, "workspace-dashboard-panel")
    panel.get_by_role("link", name=re.compile("unpublished or deleted page")).first.click()
    page.wait_for_url("**target=unavailable**")
