"""An editor imports redirects from a CSV file in the sandbox's admin, in a real browser:
upload, preview (one row refused), confirm the valid rows only, see the summary and the
imported redirects in the listing; a visitor is then redirected by them."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import admin_log_in, keep_full_screenshot
from tests.utils.sandbox import SandboxServer, get

pytestmark = pytest.mark.browser

# Paths of their own, so nothing in the sandbox's demo redirects matches them.
CSV_ROWS = [
    ("from", "to", "type"),
    ("/wrt-browser-import/old-about/", "/about/", ""),
    ("/wrt-browser-import/old-parking/", "/services/parking/", "302"),
    ("/wrt-browser-import/old-partner/", "https://www.example.org/imported/", "301"),
    ("/wrt-browser-import/old-bad/", "javascript:alert(document.cookie)", ""),
    # Nothing answers the target: imported, with a warning (issue 32, item 4).
    ("/wrt-browser-import/old-survey/", "/parking-survey-2019/", ""),
]


def write_csv(directory: Path) -> Path:
    path = directory / "browser-import.csv"
    path.write_text("".join(",".join(row) + "\n" for row in CSV_ROWS), encoding="utf-8")
    return path


def test_editor_imports_redirects_from_a_csv_file(
    sandbox: SandboxServer, page: Page, tmp_path: Path
) -> None:
    csv_file = write_csv(tmp_path)
    assert get(sandbox, "/wrt-browser-import/old-partner/").status == 404

    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.get_by_role("button", name="Settings").click()
    # The Settings menu's item (the dashboard panel links to the listing too).
    page.locator("#wagtail-sidebar").get_by_role("link", name="Redirects", exact=True).click()
    page.wait_for_url("**/redirect-tools/redirects/")
    page.locator("header").get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Import redirects").click()
    page.wait_for_url("**/redirect-tools/imports/")
    expect(page.locator("[data-import-templates] a[href$='template.xlsx']")).to_be_visible()
    with page.expect_download() as download:
        page.locator("[data-import-templates] a[href$='template.csv']").click()
    assert download.value.suggested_filename == "redirects-template.csv"
    template = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert template.splitlines()[0] == "from,to,type,site,starts_at,expires_at,reason"

    page.set_input_files("input[type=file][name=file]", str(csv_file))
    keep_full_screenshot(page, "import-upload")
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url("**/redirect-tools/imports/*/")

    # The preview: nothing saved yet; four new redirects (one warned) and one row refused.
    expect(page.locator("table[data-import-rows]")).to_be_visible()
    expect(page.locator("[data-count=new]")).to_have_text("New: 4")
    expect(page.locator("[data-count=error]")).to_have_text("Error: 1")
    expect(page.locator("tr[data-row][data-action=new]")).to_have_count(4)
    warned = page.locator("tr[data-row][data-action=new]", has=page.locator("[data-row-warning]"))
    expect(warned).to_have_count(1)
    expect(warned).to_contain_text("No page, redirect or scheduled redirect answers")
    expect(page.get_by_text("1 row points at a path that nothing answers")).to_be_visible()
    error_row = page.locator("tr[data-row][data-action=error]")
    expect(error_row).to_have_count(1)
    expect(error_row).to_contain_text("/wrt-browser-import/old-bad")
    expect(error_row.locator("td").last).to_contain_text("javascript:")
    keep_full_screenshot(page, "import-preview")
    assert get(sandbox, "/wrt-browser-import/old-partner/").status == 404

    confirm = page.locator("form[data-import-confirm]")
    confirm.get_by_label("Import the valid rows only").check()
    with page.expect_navigation():
        confirm.get_by_role("button", name="Confirm and import").click()
    # Back on the import's page (under a freshly signed token), now showing the summary.
    page.wait_for_url("**/redirect-tools/imports/*/")
    assert "/confirm/" not in page.url

    summary = page.locator("[data-import-summary]")
    expect(summary).to_contain_text("4 created")
    expect(summary).to_contain_text("1 row was not imported")
    expect(page.locator("form[data-import-confirm]")).to_have_count(0)
    keep_full_screenshot(page, "import-summary")

    summary.get_by_role("link", name="See the imported redirects").click()
    page.wait_for_url("**/redirect-tools/redirects/?source_import=*")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(4)
    for source in ("old-about", "old-parking", "old-partner", "old-survey"):
        expect(rows.filter(has_text=f"/wrt-browser-import/{source}")).to_have_count(1)
    expect(page.get_by_text("/wrt-browser-import/old-bad")).to_have_count(0)
    keep_full_screenshot(page, "import-listing")

    response = get(sandbox, "/wrt-browser-import/old-partner/")
    assert response.status == 301
    assert response.getheader("Location") == "https://www.example.org/imported/"
    # Targets that were page URLs were stored as the pages (a redirect for every site
    # leads to the page's full URL); the row's own type wins over the default 301.
    response = get(sandbox, "/wrt-browser-import/old-about/")
    assert response.status == 301
    assert response.getheader("Location") == sandbox.url("/about/")
    response = get(sandbox, "/wrt-browser-import/old-parking/")
    assert response.status == 302
    assert response.getheader("Location") == sandbox.url("/services/parking/")
