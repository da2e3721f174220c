"""On the multilingual test site (issue 30), in a real browser: an editor redirects the
English *About* page and its translations temporarily to *Contact*, each visitor lands on
*Contact* in the language they asked for, the listing shows each window's language, and
"End now" on the Welsh window ends the others only when asked.

Needs the multilingual settings::

    DJANGO_SETTINGS_MODULE=tests.settings_i18n python -m pytest -m "i18n and browser" tests/browser/

Screenshots in tests/artifacts/i18n-window-*.png."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.utils.browser import admin_log_in, close_date_picker, keep_full_screenshot
from tests.utils.i18n_compare import forget
from tests.utils.i18n_site import I18nSite, build_site
from wagtail_redirect_tools.models import ScheduledRedirect

pytestmark = [pytest.mark.browser, pytest.mark.i18n, pytest.mark.django_db(transaction=True)]

#: The clock of the server (time-machine moves every thread's); it keeps ticking.
NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def site() -> Iterator[I18nSite]:
    with time_machine.travel(NOW, tick=True):
        built = build_site()
        get_user_model().objects.create_superuser("editor", "e@example.com", "secret-pass")
        forget()
        yield built


def landing(browser: Browser, url: str) -> tuple[str, str]:
    """Where a visitor with an empty browser cache lands, and the page's heading."""
    context = browser.new_context()
    try:
        visitor = context.new_page()
        visitor.goto(url)
        return visitor.url, visitor.locator("h1").first.inner_text()
    finally:
        context.close()


def test_a_page_and_its_translations_redirected_for_a_while(
    live_server: LiveServer, page: Page, browser: Browser, site: I18nSite
) -> None:
    base = live_server.url
    about = site.page("en", "about")
    admin_log_in(page, base, "editor", "secret-pass")
    page.goto(f"{base}/admin/pages/{about.pk}/edit/")
    page.locator("header").get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Redirect temporarily…").click()
    page.wait_for_url("**/redirect-temporarily/")

    page.get_by_label("This page and its translations (Welsh, French)").check()
    page.get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal-dialog")
    # The chooser starts at the tree's root: the English home, then its Contact.
    english_home = modal.locator("tr", has_text="Home").filter(has_text="English")
    english_home.get_by_title("Explore subpages of 'Home'").click()
    modal.locator("a.choose-page", has_text="Contact").first.wait_for()
    modal.locator("a.choose-page", has_text="Contact").first.click()
    expect(page.locator("#id_redirect_page-title")).to_have_text("Contact")
    page.fill("#id_reason", "Office move")
    page.fill("#id_expires_at", "2026-11-20 17:00")
    close_date_picker(page)
    keep_full_screenshot(page, "i18n-window-form")
    page.get_by_role("button", name="Schedule redirect").click()

    page.wait_for_url("**/edit/")
    expect(
        page.get_by_text("'About' and its 2 translations will redirect to Contact")
    ).to_be_visible()
    keep_full_screenshot(page, "i18n-window-saved")
    assert ScheduledRedirect.objects.count() == 3

    for asked, lands, heading in (
        ("/en/about/", "/en/contact/", "Contact"),
        ("/cy/amdanom/", "/cy/cysylltu/", "Contact (cy)"),
        ("/fr/a-propos/", "/fr/contact/", "Contact (fr)"),
    ):
        assert landing(browser, base + asked) == (base + lands, heading)

    page.goto(f"{base}/admin/scheduled-redirects/")
    keep_full_screenshot(page, "i18n-window-listing")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(3)
    for language in ("English", "Welsh", "French"):
        expect(rows.filter(has_text=language)).to_have_count(1)

    # End the Welsh window from its row's "more" menu: the others stay unless asked.
    welsh = rows.filter(has_text="Welsh")
    welsh.hover()
    welsh.get_by_role("button", name="More options").click()
    welsh.get_by_role("link", name="End now").click()
    page.wait_for_url("**/end-now/**")
    expect(page.get_by_text("Also end the windows of its translations:")).to_be_visible()
    keep_full_screenshot(page, "i18n-window-end-now")
    page.get_by_label("Also end the windows of its translations:").check()
    page.get_by_role("button", name="Yes, end now").click()
    expect(page.get_by_text("and 2 of its translations ended")).to_be_visible()
    keep_full_screenshot(page, "i18n-window-ended")
    assert landing(browser, base + "/cy/amdanom/") == (base + "/cy/amdanom/", "About (cy)")
    assert landing(browser, base + "/en/about/") == (base + "/en/about/", "About")
