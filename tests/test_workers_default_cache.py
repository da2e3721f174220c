"""Several processes on Django's default cache (local memory: one per process) see each
other's changes: the sandbox serves, as a site deployed with ``gunicorn -w 4`` and no
``CACHES`` would, while ``manage.py shell`` (another process, as a cron job or a command
is) adds, deletes, schedules and ends. On SQLite by default; on PostgreSQL with
``WRT_DATABASE=postgres`` (the cache stays local memory whatever ``WRT_CACHE`` says)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.utils.sandbox import SandboxServer, get, manage, start_sandbox

pytestmark = pytest.mark.slow

# The sandbox's check interval is the default, one second; a shell's change must be
# answered within it (plus a request's own time), not "until a restart".
WITHIN_SECONDS = 3.0
LOCAL_MEMORY = {"WRT_CACHE": "locmem"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxServer, Path]]:
    workdir = tmp_path_factory.mktemp("workers")
    server = start_sandbox(workdir, extra_env=LOCAL_MEMORY)
    try:
        yield server, workdir
    finally:
        server.stop()


def shell(workdir: Path, code: str) -> None:
    """Run ``code`` in ``manage.py shell``: a process of its own, with a cache of its own."""
    done = manage("shell", "-c", code, workdir=workdir, extra_env=LOCAL_MEMORY)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr  # e.g. a stamp that was not stored


def status_after_change(server: SandboxServer, path: str, expected: int) -> tuple[int, float]:
    """Ask for ``path`` every 0.2 s until it answers ``expected`` or the time is up: the
    last status and the seconds it took."""
    started = time.monotonic()
    while True:
        status = get(server, path).status
        elapsed = time.monotonic() - started
        if status == expected or elapsed > WITHIN_SECONDS + 5:
            return status, elapsed
        time.sleep(0.2)


def assert_seen(server: SandboxServer, path: str, expected: int) -> None:
    status, elapsed = status_after_change(server, path, expected)
    assert status == expected, f"{path} still answers {status} after {elapsed:.1f} s"
    assert elapsed <= WITHIN_SECONDS, f"{path} answered {expected} only after {elapsed:.1f} s"


def warm(server: SandboxServer, path: str, expected: int) -> None:
    """Ask twice, so the server answers from its memory."""
    for _ in range(2):
        assert get(server, path).status == expected


def test_a_redirect_added_and_deleted_in_another_process(
    served: tuple[SandboxServer, Path],
) -> None:
    server, workdir = served
    warm(server, "/stale-test-path2/", 404)
    shell(
        workdir,
        "from wagtail.contrib.redirects.models import Redirect; "
        "Redirect.objects.create(old_path='/stale-test-path2', redirect_link='/elsewhere/')",
    )
    assert_seen(server, "/stale-test-path2/", 301)
    warm(server, "/stale-test-path2/", 301)
    shell(
        workdir,
        "from wagtail.contrib.redirects.models import Redirect; "
        "Redirect.objects.filter(old_path='/stale-test-path2').delete()",
    )
    assert_seen(server, "/stale-test-path2/", 404)


def test_a_redirect_added_in_another_process_at_a_path_never_asked_for(
    served: tuple[SandboxServer, Path],
) -> None:
    server, workdir = served
    warm(server, "/some-other-miss/", 404)  # the server's set of stored paths is made
    shell(
        workdir,
        "from wagtail.contrib.redirects.models import Redirect; "
        "Redirect.objects.create(old_path='/never-asked-path', redirect_link='/elsewhere/')",
    )
    assert_seen(server, "/never-asked-path/", 301)


def test_a_window_scheduled_and_ended_in_another_process(
    served: tuple[SandboxServer, Path],
) -> None:
    server, workdir = served
    warm(server, "/stale-window/", 404)
    # It starts a few seconds after the shell has written it: the server has read the
    # window before its start, so it must start on time from what it read. Six seconds:
    # a shell on a busy machine takes three to exit after writing it (the sandbox's
    # second language loads two more apps), and the test must see it before it starts.
    shell(
        workdir,
        "import datetime; from django.utils import timezone; "
        "from wagtail_redirect_tools import schedule_redirect; "
        "now = timezone.now(); "
        "schedule_redirect('/stale-window', '/elsewhere/', "
        "starts_at=now + datetime.timedelta(seconds=6), "
        "expires_at=now + datetime.timedelta(days=1))",
    )
    assert_seen(server, "/stale-window/", 404)  # not started yet, and known not to be
    status, elapsed = status_after_change(server, "/stale-window/", 302)
    assert status == 302, f"the window did not start: {status} after {elapsed:.1f} s"
    warm(server, "/stale-window/", 302)
    shell(
        workdir,
        "from wagtail_redirect_tools.models import ScheduledRedirect; "
        "from wagtail_redirect_tools.scheduling.windows import end_windows; "
        "end_windows(ScheduledRedirect.objects.filter(old_path='/stale-window'))",
    )
    assert_seen(server, "/stale-window/", 404)
