"""An editor of the multilingual test site adds one redirect for every language through
the Redirects form, and visitors under /cy/ and /fr/ reach the page in their language
(issue 30, every-language redirects). Screenshots in tests/artifacts/every-language-*.png.

    DJANGO_SETTINGS_MODULE=tests.settings_i18n python -m pytest -m "i18n and browser" tests/browser
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from wagtail.contrib.redirects.models import Redirect

from tests.utils.browser import admin_log_in, keep_full_screenshot, keep_screenshot
from tests.utils.i18n_site import build_site
from wagtail_redirect_tools.models import RedirectDetails

pytestmark = [pytest.mark.browser, pytest.mark.i18n, pytest.mark.django_db(transaction=True)]


def visit(live_server: LiveServer, path: str) -> tuple[int, str | None]:
    """A visitor's GET, redirects not followed."""
    parts = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.request("GET", path, headers={"Host": "localhost"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Location")


def test_one_redirect_serves_every_language(live_server: LiveServer, page: Page) -> None:
    build_site()
    get_user_model().objects.create_superuser("editor", "e@example.com", "secret-pass")
    admin_log_in(page, live_server.url, "editor", "secret-pass")

    page.goto(f"{live_server.url}/admin/redirect-tools/redirects/new/")
    page.fill("#id_old_path", "/old-about")
    checkbox = page.get_by_label("Every language")
    expect(checkbox).not_to_be_checked()
    checkbox.check()
    # The target page through Wagtail's page chooser: the English "About".
    page.get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    english_home = modal.locator("tbody tr", has_text="Home").filter(has_text="English")
    english_home.locator("a").last.click()  # its child pages
    modal.locator("a.choose-page", has_text="About").first.click()
    expect(page.locator("#id_redirect_page-chooser")).to_contain_text("About")
    keep_full_screenshot(page, "every-language-form")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/redirect-tools/redirects/")

    row = page.locator("tbody tr", has_text="/old-about")
    expect(row).to_contain_text("Every language")
    keep_screenshot(page, "every-language-listing")
    redirect = Redirect.objects.get(old_path="/old-about")
    assert RedirectDetails.serves_every_language(redirect)

    assert visit(live_server, "/cy/old-about/") == (301, "/cy/amdanom/")
    assert visit(live_server, "/fr/old-about/") == (301, "/fr/a-propos/")
    assert visit(live_server, "/en/old-about/") == (301, "/en/about/")
    for path, title in (("/cy/old-about/", "About (cy)"), ("/fr/old-about/", "About (fr)")):
        page.goto(f"{live_server.url}{path}")
        expect(page).to_have_title(title)
        keep_screenshot(page, f"every-language-visit-{path.split('/')[1]}")

    # Switched off in the edit form: the path answers only where it is stored.
    page.goto(f"{live_server.url}/admin/redirect-tools/redirects/edit/{redirect.pk}/")
    expect(page.get_by_label("Every language")).to_be_checked()
    page.get_by_label("Every language").uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/redirect-tools/redirects/")
    assert visit(live_server, "/cy/old-about/")[0] == 404
