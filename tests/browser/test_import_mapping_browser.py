"""An editor imports a French Excel file (``Ancienne URL;Nouvelle URL;Type;Raison``, in
Windows-1252) in the sandbox's admin, in a real browser: the upload is not refused but
stops at "Match the columns" with every column preselected; the editor goes on to the
preview, which shows the matching, confirms, and a visitor is redirected."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import admin_log_in, keep_full_screenshot
from tests.utils.sandbox import SandboxServer, get

pytestmark = pytest.mark.browser

FRENCH_FILE = Path(__file__).resolve().parent.parent / "corpus" / "french_excel.csv"


def test_editor_matches_the_columns_of_a_french_excel_file(
    sandbox: SandboxServer, page: Page
) -> None:
    assert get(sandbox, "/ancien-site/soldes-été/").status == 404
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(f"{sandbox.base_url}/admin/redirect-tools/imports/")
    page.set_input_files("input[type=file][name=file]", str(FRENCH_FILE))
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url("**/redirect-tools/imports/*/columns/")

    # The matching step: the header's problem, the first rows, a guess per column.
    expect(page.locator("h1")).to_contain_text("Match the columns")
    expect(page.locator("[data-columns-message]")).to_contain_text(
        "The first row holds: Ancienne URL, Nouvelle URL, Type, Raison"
    )
    expect(page.locator("tr[data-sample-row]")).to_have_count(5)  # the header and 4 rows
    expect(page.locator("[data-column-table]")).to_contain_text("Soldes d\u2019été")
    expect(page.get_by_label("The first row is a header")).to_be_checked()
    for index, meaning in enumerate(["from", "to", "type", "reason"]):
        expect(page.locator(f"select[name=column_{index}]")).to_have_value(meaning)
    expect(page.locator("[data-column='0']")).to_contain_text("Guessed from its values (paths)")
    expect(page.locator("[data-column='2']")).to_contain_text("From its name.")
    keep_full_screenshot(page, "import-match-columns")

    form = page.locator("form:has([data-column-table])")
    with page.expect_navigation():
        form.evaluate("form => form.requestSubmit()")
    page.wait_for_url("**/redirect-tools/imports/*/")
    assert "/columns/" not in page.url

    # The preview shows the matching; nothing is saved yet.
    expect(page.locator("[data-count=new]")).to_have_text("New: 4")
    matching = page.locator("[data-column-matching]")
    expect(matching).to_contain_text("Column 1 'Ancienne URL' → from")
    expect(matching).to_contain_text("Column 4 'Raison' → reason")
    expect(matching.get_by_role("link", name="Change column matching")).to_be_visible()
    keep_full_screenshot(page, "import-match-columns-preview")
    assert get(sandbox, "/ancien-site/soldes-été/").status == 404

    confirm = page.locator("form[data-import-confirm]")
    with page.expect_navigation():
        confirm.evaluate("form => form.requestSubmit()")
    summary = page.locator("[data-import-summary]")
    expect(summary).to_contain_text("4 created")
    expect(page.locator("[data-column-matching]")).to_contain_text("Column 3 'Type' → type")

    response = get(sandbox, "/ancien-site/soldes-été/")
    assert response.status == 302
    assert response.getheader("Location") == "https://boutique.example.com/soldes/"
    assert get(sandbox, "/ancien-site/contact.php").status == 308
