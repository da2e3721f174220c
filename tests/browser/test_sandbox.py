"""The sandbox as a user starts it: runsandbox, its printed login, its demo data and redirects."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.utils.browser import admin_log_in, keep_screenshot
from tests.utils.sandbox import SandboxServer, get, manage


def test_start_builds_demo_data_and_prints_login(sandbox: SandboxServer) -> None:
    output = sandbox.output.read_text()
    built = re.search(
        r"Built (\d+) sites, (\d+) pages and (\d+) redirects \((\d+) of them created", output
    )
    assert built, output
    sites, pages, redirects, automatic = map(int, built.groups())
    assert sites == 2
    assert pages >= 50
    assert redirects >= 200
    assert automatic > 0
    assert "and 4 scheduled redirects (one active, two upcoming, one expired)" in output
    assert "Login:        admin / changeme" in output
    assert f"http://localhost:{sandbox.port}/admin/" in output


@pytest.mark.parametrize(
    ("host", "path", "status", "location"),
    [
        ("localhost", "/über-uns", 301, "http://localhost:{port}/about/"),
        (
            "localhost",
            "/index.php?id=101",
            301,
            "http://localhost:{port}/latest-news/new-harbour-wall-1/",
        ),
        ("localhost", "/news/", 301, "http://localhost:{port}/latest-news/"),
        ("localhost", "/about/jobs/", 301, "http://localhost:{port}/about/work-for-us/"),
        ("localhost", "/past-events", 301, "http://localhost:{port}/events/past/"),
        # Pointed at /news/, which moved: flattened to the page itself, no chain.
        ("localhost", "/vote", 302, "http://localhost:{port}/latest-news/"),
        ("localhost", "/privacy-policy", 301, "https://www.example.org/privacy"),
        # Exact codes kept in our details: a payment form's POST keeps its method.
        ("localhost", "/pay", 307, "https://payments.example.org/harbourside"),
        ("localhost", "/report-it", 308, "https://forms.example.org/harbourside/report"),
        # A page's own URL without its slash: the active window answers in one hop.
        ("localhost", "/services/bins-and-recycling", 302, "/latest-news/new-harbour-wall-1/"),
        ("shop.localhost", "/privacy-policy", 301, "https://www.example.org/privacy"),
        (
            "shop.localhost",
            "/catalogue/harbour-mug",
            301,
            "http://shop.localhost:{port}/products/harbour-mug/",
        ),
        ("shop.localhost", "/sale", 302, "http://shop.localhost:{port}/products/"),
        # Scheduled: active on a live page; expired (the path is a 404 again, after the slash).
        ("localhost", "/services/bins-and-recycling/", 302, "/latest-news/new-harbour-wall-1/"),
        ("localhost", "/summer-fair", 301, "/summer-fair/"),
        # Welsh (issue 30): redirects under /cy/ to Welsh pages, one made by a Welsh slug
        # change; English URLs stay without a prefix.
        ("localhost", "/cy/hen-wasanaethau", 301, "http://localhost:{port}/cy/gwasanaethau/"),
        (
            "localhost",
            "/cy/gwasanaethau/parcio/",
            301,
            "http://localhost:{port}/cy/gwasanaethau/parcio-ceir/",
        ),
        ("localhost", "/cy/cysylltu", 302, "http://localhost:{port}/cy/amdanom/cysylltu-a-ni/"),
        # Pattern redirects (issue 33): the rest of the path carried, named segments.
        ("localhost", "/blog/new-harbour-wall-1/", 301, "/latest-news/new-harbour-wall-1/"),
        ("localhost", "/articles/2019/new-harbour-wall-1", 301, "/latest-news/new-harbour-wall-1/"),
        (
            "shop.localhost",
            "/forum/topics/42/",
            301,
            "https://community.example.org/harbourside/topics/42/",
        ),
    ],
)
def test_demo_redirects_answer(
    sandbox: SandboxServer, host: str, path: str, status: int, location: str
) -> None:
    response = get(sandbox, path, host=host)
    assert response.status == status
    assert response.getheader("Location") == location.format(port=sandbox.port)


def test_a_gone_url_answers_410(sandbox: SandboxServer) -> None:
    assert get(sandbox, "/consultation-2019").status == 410


def test_active_window_response_is_kept_by_no_browser_and_briefly_by_a_cdn(
    sandbox: SandboxServer,
) -> None:
    response = get(sandbox, "/services/bins-and-recycling/")
    assert response.getheader("Cache-Control") == "max-age=0, s-maxage=60, must-revalidate"


def test_upcoming_and_expired_windows_do_not_apply(sandbox: SandboxServer) -> None:
    assert get(sandbox, "/summer-fair/").status == 404
    assert get(sandbox, "/winter-sale/", host="shop.localhost").status == 404
    assert get(sandbox, "/help/gift-cards/", host="shop.localhost").status == 200


def test_site_specific_redirect_does_not_leak_to_the_other_site(sandbox: SandboxServer) -> None:
    assert get(sandbox, "/catalogue/harbour-mug/", host="localhost").status == 404


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("localhost", "/"),
        ("localhost", "/events/past/"),
        ("shop.localhost", "/products/"),
        ("localhost", "/cy/"),
        ("localhost", "/cy/gwasanaethau/biniau-ac-ailgylchu/"),
    ],
)
def test_live_pages_are_served(sandbox: SandboxServer, host: str, path: str) -> None:
    assert get(sandbox, path, host=host).status == 200


def test_check_is_clean(sandbox: SandboxServer, sandbox_workdir: Path) -> None:
    run = manage("check", workdir=sandbox_workdir)
    assert run.returncode == 0, run.stderr
    output = run.stdout + run.stderr
    # The only message: on its default cache (local memory) the sandbox is told how its
    # processes learn of each other's changes. On MariaDB it silences Wagtail's own
    # models.W036 (see its settings).
    local_memory = os.environ.get("WRT_CACHE", "locmem") == "locmem"
    expected = ["wagtail_redirect_tools.I009"] if local_memory else []
    assert re.findall(r"\(([\w.]+\.[EWI]\d+)\)", output) == expected, output
    assert re.search(r"System check identified (no issues|1 issue) \(\d silenced\)\.", output), (
        output
    )


def test_sandbox_migrations_are_complete(sandbox: SandboxServer, sandbox_workdir: Path) -> None:
    run = manage("makemigrations", "--check", "--dry-run", workdir=sandbox_workdir)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.browser
def test_admin_lists_the_demo_redirects(sandbox: SandboxServer, page: Page) -> None:
    admin_log_in(page, sandbox.base_url, "admin", "changeme")

    page.goto(sandbox.url("/admin/redirects/?q=catalogue"))
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 10
    assert page.get_by_role("link", name="/catalogue/harbour-mug").is_visible()
    keep_screenshot(page, "sandbox-admin-redirects")

    page.goto(sandbox.url("/über-uns"))
    assert page.url == sandbox.url("/about/")
    assert page.locator("h1").inner_text() == "About"
