"""Steps that every browser test takes: logging in to Wagtail's admin, keeping a screenshot."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def admin_log_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Log in through Wagtail's login form and wait for the dashboard."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def keep_screenshot(page: Page, name: str) -> None:
    """Save the page as tests/artifacts/NAME.png, to look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def keep_full_screenshot(page: Page, name: str) -> None:
    """Like ``keep_screenshot``, but of the whole page: a form taller than the window, and
    Wagtail's admin scrolls inside its own container (so ``full_page`` alone shows no more),
    hence a window as tall as the content, for the moment of the shot."""
    viewport = page.viewport_size
    assert viewport is not None
    height = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('body, body *'), e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(viewport)


def close_date_picker(page: Page) -> None:
    """Close Wagtail's date-time picker as an editor does, by clicking away from the field
    (on the page's first help text), and wait until it is gone: while it closes, it can
    cover or move the button the test clicks next."""
    page.locator("p.help-block").first.click()
    expect(page.locator(".xdsoft_datetimepicker").first).to_be_hidden()
