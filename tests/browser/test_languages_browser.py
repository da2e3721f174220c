"""The Redirects listing on the sandbox's bilingual council site (issue 30, item 6): an
editor sees each redirect's language and the language of the page it goes to, and keeps
only the Welsh redirects with the Language filter; on a desktop and on a phone."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import ARTIFACTS, admin_log_in, keep_screenshot
from tests.utils.sandbox import SandboxServer

pytestmark = pytest.mark.browser

WELSH_REDIRECTS = [
    "/cy/biniau",
    "/cy/cysylltu",
    "/cy/gwasanaethau/parcio",
    "/cy/hen-wasanaethau",
]


def shot(page: Page, name: str) -> None:
    keep_screenshot(page, name)
    copies = Path(tempfile.gettempdir()) / "shots_adminlang"
    copies.mkdir(exist_ok=True)
    shutil.copy(ARTIFACTS / f"{name}.png", copies / f"{name}.png")


def open_listing(page: Page, sandbox: SandboxServer) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")
    page.goto(sandbox.url("/admin/redirect-tools/redirects/?q=cy&ordering=old_path"))


@pytest.mark.parametrize("width", [1280, 375])
def test_language_column_and_filter(sandbox: SandboxServer, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_listing(page, sandbox)
    header = page.locator("table.listing thead")
    expect(header).to_contain_text("Language")
    row = page.locator("tbody tr", has_text="/cy/hen-wasanaethau")
    expect(row.locator("td.wrt-language")).to_have_text("Welsh")
    expect(row).to_contain_text("Gwasanaethau")  # the target page, its language under it
    expect(row.locator("[data-target-language]")).to_have_text("(Welsh)")
    shot(page, f"redirects-language-column-{width}")

    # The Language filter, as an editor uses it: Wagtail's filters drop-down.
    page.get_by_role("button", name="Show filters").click()
    page.locator(".w-drilldown__toggle", has_text="Language").click()
    page.select_option("select[name=locale]", "cy")
    expect(page).to_have_url(re.compile(r"locale=cy"))
    page.goto(page.url.replace("q=cy", "q="))  # every Welsh redirect, not only the search
    paths = page.locator("tbody td.wrt-path").all_inner_texts()
    assert sorted(path.replace("\n", "") for path in paths) == WELSH_REDIRECTS
    for cell in page.locator("tbody td.wrt-language").all_inner_texts():
        assert cell.strip() == "Welsh"
    welsh_contact = page.locator("tbody tr", has_text="/cy/cysylltu")
    expect(welsh_contact).to_contain_text("Cysylltu â ni")
    expect(welsh_contact.locator("[data-target-language]")).to_have_text("(Welsh)")
    shot(page, f"redirects-language-filter-{width}")
