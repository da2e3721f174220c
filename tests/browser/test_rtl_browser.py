"""Our screens in a right-to-left admin (issue 31): an editor whose Wagtail profile says
Arabic sees the page mirrored, our arrows "from → to" pointing from the source to the
target in the reading direction, and our listing's path column on the reading side.
Screenshots in tests/artifacts/rtl-*.png."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer
from wagtail.contrib.redirects.models import Redirect
from wagtail.users.models import UserProfile

from tests.utils.browser import admin_log_in, keep_full_screenshot
from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.fixture
def arabic_editor(live_server: LiveServer, page: Page) -> Page:
    _, home = fresh_site_tree("localhost")
    add_page(home, "news", title="أخبار")  # "News": a right-to-left page title
    Redirect.objects.create(old_path="/old-shop/jumper", redirect_link="/shop/")
    now = datetime.datetime.now(datetime.UTC)
    schedule_redirect(
        "/winter-sale",
        "/news/",
        starts_at=now + datetime.timedelta(days=2),
        expires_at=now + datetime.timedelta(days=5),
    )
    user = get_user_model().objects.create_superuser("editor", "e@example.com", "secret-pass")
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "ar"})
    admin_log_in(page, live_server.url, "editor", "secret-pass")
    return page


def test_the_dashboard_panel_reads_right_to_left(
    live_server: LiveServer, arabic_editor: Page
) -> None:
    page = arabic_editor
    page.goto(f"{live_server.url}/admin/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    keep_full_screenshot(page, "rtl-dashboard")
    row = "[data-redirects-dashboard] tbody tr"
    assert page.locator(f"{row} .wrt-arrow").first.inner_text() == "←"
    # The source's cell is on the reading side (the right), the target's after it.
    source, target = box(page, f"{row} td.title"), box(page, f"{row} td:nth-child(2)")
    assert source["x"] > target["x"]


def test_the_redirects_listing_and_a_confirmation_mirror(
    live_server: LiveServer, arabic_editor: Page
) -> None:
    page = arabic_editor
    page.goto(f"{live_server.url}/admin/redirect-tools/redirects/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    keep_full_screenshot(page, "rtl-redirects-listing")
    # Our path column (listing.css) starts on the right, as the row's other cells do.
    path_cell = box(page, "td.wrt-path")
    table = box(page, "table.listing")
    assert path_cell["x"] + path_cell["width"] > table["x"] + table["width"] / 2
    segment = "td.wrt-path .wrt-path__segment"
    assert page.locator(segment).count() == 2
    # The path itself reads left to right, "/old-shop/" then "jumper" (inline segments in
    # a right-to-left cell would otherwise line up backwards: "jumper/old-shop/").
    first, last = box(page, f"{segment} >> nth=0"), box(page, f"{segment} >> nth=1")
    assert first["y"] == last["y"]
    assert first["x"] < last["x"]

    redirect = Redirect.objects.get()
    page.goto(f"{live_server.url}/admin/bulk/wagtailredirects/redirect/delete/?id={redirect.pk}")
    keep_full_screenshot(page, "rtl-bulk-confirmation")
    item = "[data-bulk-action-items] li"
    assert page.locator(f"{item} .wrt-arrow").inner_text() == "←"
    source, arrow = box(page, f"{item} bdi >> nth=0"), box(page, f"{item} .wrt-arrow")
    target = box(page, f"{item} bdi >> nth=1")
    assert source["x"] > arrow["x"] > target["x"]
