"""A large import in the sandbox's admin, run by a real background worker, in a real browser.

The sandbox runs on its own here, as in production: jobs queued in its database
(django-tasks-db), progress shared through a file-based cache, and any file over 100 rows
handled by jobs. The editor uploads 20,000 rows while no worker runs: the page shows the
job waiting at 0%. A ``db_worker`` is then started, and the page, left alone, follows the
job's progress and turns into the preview by itself; after "Confirm and import" it shows
the import's progress and then, by itself again, the summary.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response, expect

from tests.utils.browser import admin_log_in, keep_full_screenshot
from tests.utils.sandbox import SANDBOX_DIR, SandboxServer, sandbox_env, start_sandbox

if django.VERSION >= (6, 0):
    pytest.skip(
        "django-tasks-db (the database queue and its db_worker) works here only with "
        "Django 5.2 and the django-tasks backport",
        allow_module_level=True,
    )
try:
    import django_tasks_db  # noqa: F401
except ImportError:
    pytest.skip(
        "django-tasks-db is not installed: no database queue and worker for background jobs",
        allow_module_level=True,
    )

pytestmark = pytest.mark.browser

ROWS = 20_000
ASYNC_ROWS = 100  # files over this many rows go to the background jobs
JOB_TIMEOUT = 180  # seconds a job may take in the worker (a slow machine, SQLite)

# What the page says about a job, read in one go: None once it is not a progress page.
READ_PROGRESS = """() => {
    const section = document.querySelector("[data-import-progress]");
    if (!section) return null;
    return {
        value: section.querySelector("progress").value,
        text: section.querySelector("[data-progress-text]").textContent.trim(),
    };
}"""


@dataclass
class ProgressSandbox:
    """The sandbox's server on a database queue, and the worker once it is started."""

    server: SandboxServer
    workdir: Path
    env: dict[str, str]
    worker: subprocess.Popen[bytes] | None = None

    @property
    def worker_log(self) -> Path:
        return self.workdir / "db_worker.log"

    def start_worker(self) -> None:
        with self.worker_log.open("wb") as output:
            self.worker = subprocess.Popen(
                # --no-reload: the sandbox runs with DEBUG, which would make it a reloader
                # parent with the worker in a child process that terminate() would miss.
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.1",
                    "--no-startup-delay",
                    "--no-reload",
                ],
                cwd=SANDBOX_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def stop_worker(self) -> None:
        if self.worker is None:
            return
        self.worker.terminate()
        try:
            self.worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.worker.kill()
            self.worker.wait(timeout=10)

    def logs(self) -> str:
        parts = [f"---- runsandbox ----\n{self.server.output.read_text()[-3000:]}"]
        if self.worker_log.exists():
            parts.append(f"---- db_worker ----\n{self.worker_log.read_text()[-3000:]}")
        return "\n".join(parts)


@pytest.fixture
def progress_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProgressSandbox]:
    workdir = tmp_path_factory.mktemp("progress-sandbox")
    extra_env = {
        "WRT_TASKS": "database",
        "WRT_CACHE": "file",
        "WRT_SANDBOX_CACHE_DIR": str(workdir / "cache"),
        "WRT_SANDBOX_IMPORT_ASYNC_ROWS": str(ASYNC_ROWS),
        # Not the shared sandbox's database, should the suite run on PostgreSQL.
        "PGDATABASE": "wagtail_redirect_tools_sandbox_progress_tests",
    }
    server = start_sandbox(workdir, extra_env=extra_env)
    sandbox = ProgressSandbox(server, workdir, sandbox_env(workdir, extra_env))
    try:
        yield sandbox
    finally:
        sandbox.stop_worker()
        server.stop()
        print(sandbox.logs())


@dataclass
class ProgressWatch:
    """What a page showed of a job, sampled from the DOM, and what its polls were told."""

    page: Page
    samples: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("response", self._keep_answer)

    def _keep_answer(self, response: Response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")
        if response.url.endswith("/progress/") and response.ok:
            with contextlib.suppress(PlaywrightError):  # the page reloaded before the body
                self.answers.append(response.json())

    def read(self) -> dict[str, Any] | None:
        try:
            return self.page.evaluate(READ_PROGRESS)
        except PlaywrightError:
            return None  # the page is reloading itself

    def until(self, selector: str, *, timeout: float, screenshot: str = "") -> float:
        """Sample the progress shown until ``selector`` is on the page (the page left
        alone); keep a screenshot at the first state between 0% and 100%. Seconds taken."""
        started = time.monotonic()
        while True:
            # The page cannot recover from a server error by itself: no need to wait.
            assert not self.server_errors, (self.server_errors, self.samples, self.answers)
            try:
                if self.page.locator(selector).count():
                    return time.monotonic() - started
            except PlaywrightError:
                pass  # the page is reloading itself
            shown = self.read()
            if shown is not None and (not self.samples or self.samples[-1] != shown):
                self.samples.append(shown)
                if screenshot and 0 < shown["value"] < 100:
                    keep_full_screenshot(self.page, screenshot)
                    screenshot = ""
            if time.monotonic() - started > timeout:
                raise AssertionError(
                    f"{selector} did not appear within {timeout} s; shown: {self.samples}"
                )
            time.sleep(0.05)

    def intermediate_answers(self) -> list[dict[str, Any]]:
        return [a for a in self.answers if not a["finished"] and 0 < a["percent"] < 100]

    def intermediate_samples(self) -> list[dict[str, Any]]:
        return [s for s in self.samples if 0 < s["value"] < 100]

    def reset(self) -> None:
        self.samples.clear()
        self.answers.clear()


def write_csv(directory: Path) -> Path:
    path = directory / "progress-import.csv"
    lines = ["from,to", *(f"/wrt-progress/old-{n}/,/new/{n}/" for n in range(1, ROWS + 1))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def assert_no_errors(page: Page) -> None:
    """No row refused: the errors' tab is absent, or says none."""
    errors = page.locator("[data-count=error]")
    if errors.count():
        expect(errors).to_have_text("Error: 0")
    expect(page.locator("tr[data-row][data-action=error]")).to_have_count(0)


def test_a_large_import_follows_its_background_jobs(
    progress_sandbox: ProgressSandbox, page: Page, tmp_path: Path
) -> None:
    sandbox = progress_sandbox
    csv_file = write_csv(tmp_path)
    admin_log_in(page, sandbox.server.base_url, "admin", "changeme")
    page.goto(sandbox.server.url("/admin/redirect-tools/imports/"))
    page.set_input_files("input[type=file][name=file]", str(csv_file))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url("**/redirect-tools/imports/*/")
    import_url = page.url

    # No worker yet: the preview job waits in the queue, and the page says so at 0%.
    progress = page.locator("[data-import-progress]")
    expect(progress).to_be_visible()
    expect(progress.locator("progress")).to_have_attribute("value", "0")
    expect(progress.locator("[data-progress-text]")).not_to_be_empty()
    expect(page.locator("[data-import-preview]")).to_have_count(0)
    watch = ProgressWatch(page)
    page.wait_for_timeout(2500)  # two of the page's polls: still nothing to show
    assert watch.answers, "the page does not poll its progress"
    assert all(a["percent"] == 0 and not a["finished"] for a in watch.answers), watch.answers
    expect(progress.locator("progress")).to_have_attribute("value", "0")
    keep_full_screenshot(page, "import-progress-waiting")

    # The worker starts; the page, left alone, follows the preview job to its end.
    watch.reset()
    sandbox.start_worker()
    took = watch.until(
        "[data-import-preview]", timeout=JOB_TIMEOUT, screenshot="import-progress-running"
    )
    print(f"preview: {took:.1f} s; shown {watch.samples}; told {watch.answers}")
    assert page.url == import_url
    expect(page.locator("[data-import-progress]")).to_have_count(0)
    expect(page.locator("[data-count=new]")).to_have_text(f"New: {ROWS}")
    assert_no_errors(page)
    expect(page.locator("tr[data-row][data-action=new]")).to_have_count(100)  # one page
    # When one of the page's polls came during the job, the bar showed how far it was.
    if watch.intermediate_answers():
        assert watch.intermediate_samples(), (watch.answers, watch.samples)
    keep_full_screenshot(page, "import-progress-preview")

    # Confirmed: the import job's progress, then the summary, the page again left alone.
    watch.reset()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_url("**/redirect-tools/imports/*/")
    assert "/confirm/" not in page.url
    first = watch.read()  # the progress page, unless the job was quicker than the redirect
    if first is not None:
        expect(page.locator("[data-import-progress]")).to_be_visible()
        keep_full_screenshot(page, "import-progress-importing")
    else:
        expect(page.locator("[data-import-summary]")).to_be_visible()
    took = watch.until("[data-import-summary]", timeout=JOB_TIMEOUT)
    print(f"import: {took:.1f} s; first {first}; shown {watch.samples}; told {watch.answers}")
    summary = page.locator("[data-import-summary]")
    expect(summary).to_contain_text(f"{ROWS} created")
    expect(summary).to_contain_text(re.compile(r"\b0 updated"))
    expect(page.locator("[data-import-progress]")).to_have_count(0)
    expect(page.locator("form[data-import-confirm]")).to_have_count(0)
    if watch.intermediate_answers():
        assert watch.intermediate_samples(), (watch.answers, watch.samples)
    keep_full_screenshot(page, "import-progress-summary")
