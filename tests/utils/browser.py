"""Steps that every browser test takes: logging in to Wagtail's admin, keeping a screenshot."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

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
