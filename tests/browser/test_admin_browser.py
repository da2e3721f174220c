"""An editor adds a redirect in Wagtail's admin, in a real browser, and our middleware serves it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer
from wagtail.contrib.redirects.models import Redirect

from tests.utils.browser import admin_log_in, keep_screenshot
from tests.utils.pages import add_page, fresh_site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_redirect_added_in_core_admin_is_served(live_server: LiveServer, page: Page) -> None:
    _, home = fresh_site_tree("localhost")
    add_page(home, "new-home-for-news", title="News")
    get_user_model().objects.create_superuser("editor", "editor@example.com", "secret-pass")

    admin_log_in(page, live_server.url, "editor", "secret-pass")

    page.goto(f"{live_server.url}/admin/redirects/add/")
    page.fill("input[name=old_path]", "/old-news/")
    page.uncheck("input[name=is_permanent]")
    # Wagtail's page chooser: a modal that starts at the tree's root.
    page.get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_title("Explore subpages of 'Home'").click()
    modal.locator("a.choose-page", has_text="News").click()
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(f"{live_server.url}/admin/redirects/")
    keep_screenshot(page, "core-admin-redirect-added")

    redirect = Redirect.objects.get()
    assert (redirect.old_path, redirect.is_permanent) == ("/old-news", False)
    assert redirect.redirect_page.title == "News"
    assert page.get_by_role("link", name="/old-news").is_visible()

    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status))
    page.goto(f"{live_server.url}/old-news/")
    assert page.url == f"{live_server.url}/new-home-for-news/"
    assert page.locator("h1").inner_text() == "News"
    assert statuses[:2] == [302, 200]
