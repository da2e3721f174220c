"""Regenerate the documentation's screenshots from a running sandbox.

Start the sandbox first (it builds the demo content), then run this with a Python that has
Playwright, which drives Debian's chromium:

    .venv/bin/python sandbox/manage.py runsandbox 8000 --reset
    .venv/bin/python docs/screenshots.py --base-url http://localhost:8000

It writes PNG files 1280 px wide into docs/_static/screenshots/. It uploads the sandbox's
sample import file (left unconfirmed) and requests a few unknown paths so the 404 report has
rows, waiting once for the log's write interval (WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS,
30 s by default). Look at every image before committing it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "_static" / "screenshots"
SAMPLE = ROOT / "sandbox" / "demo" / "files" / "sample-import.csv"
WIDTH = 1280

# Unknown paths and how often each is requested, so the report has a busiest-first order.
MISSING = {
    "/news/2019/bin-collection-changes/": 9,
    "/services/parking/permits.html": 6,
    "/libraries/opening-hours/": 4,
    "/council-tax/pay-online/": 3,
    "/events/summer-fair-2024/": 2,
}


# A browser's user agent: the log flags hits from bots (urllib's own agent is one).
AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def get(url: str, referer: str = "", agent: str = AGENT) -> None:
    headers = {"User-Agent": agent} | ({"Referer": referer} if referer else {})
    request = urllib.request.Request(url, headers=headers)
    with contextlib.suppress(urllib.error.HTTPError):  # a 404 is what we want
        urllib.request.urlopen(request, timeout=30)


def page_id(base: str, slug: str) -> int:
    url = f"{base}/api/v2/pages/?slug={slug}&fields=_,id"
    with urllib.request.urlopen(url, timeout=30) as response:
        return int(json.load(response)["items"][0]["id"])


def log_not_found(base: str) -> None:
    """Request unknown paths, then once more after the write interval so they are written."""
    for path, times in MISSING.items():
        for _ in range(times):
            get(base + path, referer=f"{base}/news/")
    get(base + "/sitemap-2019.xml", agent="Mozilla/5.0 (compatible; Googlebot/2.1)")
    time.sleep(31)
    get(base + "/one-more-missing-page/")
    time.sleep(2)


def shoot(page: Page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://localhost:8000")
    parser.add_argument("--skip-404", action="store_true", help="Do not request unknown paths.")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    admin = base + "/admin"
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.skip_404:
        log_not_found(base)
    moved, destination = page_id(base, "services"), page_id(base, "about")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": 800})
        page.goto(f"{admin}/login/")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "changeme")
        page.click("button[type=submit]")
        page.wait_for_url(f"{admin}/")

        # Wagtail's admin scrolls inside its own pane, so a taller window shows both panels.
        page.set_viewport_size({"width": WIDTH, "height": 1420})
        page.reload()
        shoot(page, "dashboard")
        page.set_viewport_size({"width": WIDTH, "height": 800})
        page.goto(f"{admin}/redirect-tools/redirects/?ordering=-hit_count")
        shoot(page, "redirects-listing")
        page.goto(f"{admin}/redirect-tools/redirects/new/")
        shoot(page, "redirect-add")
        # A whole section, carrying the rest of the path: examples and the pages still live.
        page.set_viewport_size({"width": WIDTH, "height": 1760})
        page.get_by_label("This path and everything under it").check()
        page.fill("#id_old_path", "/blog/")
        page.fill("#id_redirect_link", "https://archive.example.org/blog/")
        page.get_by_label("Carry the rest of the path to the target").check()
        page.locator("[data-wrt-pattern-preview] .help-warning").wait_for()
        shoot(page, "redirect-pattern")
        page.set_viewport_size({"width": WIDTH, "height": 800})
        page.goto(f"{admin}/scheduled-redirects/")
        shoot(page, "scheduled-listing")
        page.goto(f"{admin}/scheduled-redirects/new/")
        shoot(page, "scheduled-add")
        page.goto(f"{admin}/pages/{moved}/move/{destination}/confirm/")
        shoot(page, "move-confirm")
        page.goto(f"{admin}/redirect-tools/not-found/")
        shoot(page, "not-found-report")
        page.goto(f"{admin}/redirect-tools/edge-export/")
        page.select_option("select[name=format]", "nginx")
        page.select_option(
            "select[name=site]",
            label=page.locator(
                "select[name=site] option", has_text="Harbourside Council"
            ).first.inner_text(),
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Show what the file holds").click()
        shoot(page, "edge-export")

        page.goto(f"{admin}/redirect-tools/imports/")
        shoot(page, "import-upload")
        page.set_input_files("input[type=file]", str(SAMPLE))
        with page.expect_navigation():
            page.get_by_role("button", name="Preview the import").click()
        shoot(page, "import-preview")
        browser.close()


if __name__ == "__main__":
    main()
