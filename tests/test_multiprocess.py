"""Production layout in miniature: two app servers (real ``runserver`` processes), one
PostgreSQL or MariaDB, one Redis cache and a django-tasks worker (``db_worker``, database queue).

A change made through one server's admin takes effect in the other within
``INDEX_CHECK_SECONDS``; a window starts and ends on time in both; hit counts and
transitions are written by the worker. Runs with ``WRT_DATABASE=postgres`` (or
``mariadb``) ``WRT_CACHE=redis WRT_TASKS=database`` (CI does both; see ``.ci/run``).
These processes run on the real clock: the schedule logic itself is tested under a controlled clock
elsewhere.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.processes import wait_until
from tests.utils.sandbox import free_port
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import RedirectDetails, ScheduledRedirect

REPO = Path(__file__).resolve().parent.parent
CHECK_SECONDS = 1  # WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS in these settings
REQUIRED = {"WRT_DATABASE": "postgres or mariadb", "WRT_CACHE": "redis", "WRT_TASKS": "database"}
ready = (
    os.environ.get("WRT_DATABASE") in ("postgres", "mariadb")
    and os.environ.get("WRT_CACHE") == "redis"
    and os.environ.get("WRT_TASKS") == "database"
)
if not ready and os.environ.get("WRT_REQUIRE_MULTIPROCESS"):
    raise RuntimeError(f"The multi-process test needs {REQUIRED} in the environment.")

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.slow,
    # serialized_rollback: the flush after each test would remove the root page and locale.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not ready, reason=f"needs {REQUIRED} (CI runs it)"),
]


@dataclass
class Process:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://localhost:{self.port}{path}"


@dataclass
class Cluster:
    servers: list[Process]
    worker: Process
    statuses: dict[str, list[int]] = field(default_factory=dict)

    def get(self, server: Process, path: str) -> requests.Response:
        response = requests.get(server.url(path), allow_redirects=False, timeout=10)
        self.statuses.setdefault(path, []).append(response.status_code)
        return response


def environment() -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.settings_multiprocess",
        PYTHONPATH=str(REPO),
        # This test's own database (pytest-django's) and cache key prefix.
        PGDATABASE=str(connection.settings_dict["NAME"]),
        MYSQL_DATABASE=str(connection.settings_dict["NAME"]),
        WRT_CACHE_PREFIX=str(settings.CACHES["default"]["KEY_PREFIX"]),
        PYTHONUNBUFFERED="1",
    )


def start(name: str, args: list[str], tmp_path: Path, port: int = 0) -> Process:
    log = tmp_path / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", *args],
            cwd=REPO,
            env=environment(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Process(name, process, log, port)


def responds(server: Process) -> bool:
    try:
        requests.get(server.url("/admin/login/"), timeout=2)
    except requests.ConnectionError:
        return False
    return True


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    servers = []
    for name in ("app-a", "app-b"):
        port = free_port()
        args = ["runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
        servers.append(start(name, args, tmp_path, port))
    worker = start("worker", ["db_worker", "--interval", "0.1", "--no-startup-delay"], tmp_path)
    processes = [*servers, worker]
    try:
        for server in servers:
            wait_until(lambda server=server: responds(server), timeout=60, step=0.2)
        yield Cluster(servers, worker)
    finally:
        for process in processes:
            process.process.terminate()
        for process in processes:
            try:
                process.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.process.kill()
            print(f"---- {process.name} ----\n{process.log.read_text()[-3000:]}")


def admin_session(server: Process, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(server.url("/admin/login/"), timeout=10)
    response = session.post(
        server.url("/admin/login/"),
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=10,
    )
    assert "/admin/login/" not in response.url, response.text[:500]
    return session


def admin_add_redirect(session: requests.Session, server: Process, data: dict[str, str]) -> None:
    url = server.url("/admin/redirect-tools/redirects/new/")
    form = session.get(url, timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    response = session.post(url, data={**data, "csrfmiddlewaretoken": token.group(1)}, timeout=10)
    assert response.status_code == 200 and "/new/" not in response.url, response.text[-2000:]


def test_a_redirect_saved_in_one_process_takes_effect_in_the_other(cluster: Cluster) -> None:
    _site, home = fresh_site_tree("localhost")
    add_page(home, "about")
    get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    app_a, app_b = cluster.servers

    # B remembers the miss, then A saves a redirect through its admin.
    assert cluster.get(app_b, "/old-page/").status_code == 404
    assert cluster.get(app_b, "/old-page/").status_code == 404
    session = admin_session(app_a, "admin", "pw")
    admin_add_redirect(
        session,
        app_a,
        {"old_path": "/old-page", "site": "", "status_code": "308", "redirect_link": "/about/"},
    )
    assert cluster.get(app_a, "/old-page/").status_code == 308  # the writer: at once

    took = wait_until(
        lambda: cluster.get(app_b, "/old-page/").status_code == 308, timeout=CHECK_SECONDS + 2
    )
    print(f"B saw A's redirect after {took:.2f} s")
    assert cluster.get(app_b, "/old-page/").headers["Location"] == "/about/"

    # A path B never asked for: B's set of stored paths (made at its first miss) must not
    # call it a miss once B has seen the stamp.
    admin_add_redirect(
        session,
        app_a,
        {"old_path": "/never-asked", "site": "", "status_code": "301", "redirect_link": "/about/"},
    )
    took = wait_until(
        lambda: cluster.get(app_b, "/never-asked/").status_code == 301, timeout=CHECK_SECONDS + 2
    )
    print(f"B found a redirect at a path it never asked for after {took:.2f} s")

    # B now answers /old-page/ before routing, from memory; a page published at that URL
    # through A's admin (the redirect stays) must win there too.
    assert cluster.get(app_b, "/old-page/").status_code == 308
    old_page = add_page(home, "old-page", live=False)
    response = session.get(app_a.url(f"/admin/pages/{old_page.pk}/edit/"), timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert token is not None
    session.post(
        app_a.url(f"/admin/pages/{old_page.pk}/edit/"),
        data={
            "csrfmiddlewaretoken": token.group(1),
            "title": "Old page",
            "slug": "old-page",
            "action-publish": "publish",
        },
        timeout=10,
    )
    took = wait_until(
        lambda: cluster.get(app_b, "/old-page/").status_code == 200, timeout=CHECK_SECONDS + 2
    )
    print(f"B served the page published through A after {took:.2f} s")

    # The worker adds up the hits both servers handed over.
    redirect = Redirect.objects.get(old_path="/old-page")
    served = cluster.statuses["/old-page/"].count(308)
    wait_until(
        lambda: RedirectDetails.objects.filter(redirect=redirect, hits=served).exists(),
        timeout=15,
        step=0.2,
    )


def test_a_window_starts_and_ends_on_time_in_both_processes(cluster: Cluster) -> None:
    _site, home = fresh_site_tree("localhost")
    add_page(home, "about")
    add_page(home, "offers")
    now = datetime.datetime.now(datetime.UTC)
    starts, expires = now + datetime.timedelta(seconds=3), now + datetime.timedelta(seconds=6)
    # Saved by this (third) process: the servers learn of it through Redis.
    window = schedule_redirect("/about/", "/offers/", starts_at=starts, expires_at=expires)
    servers = cluster.servers

    def all_answer(status: int) -> bool:
        return all(cluster.get(server, "/about/").status_code == status for server in servers)

    assert all_answer(200)
    wait_until(lambda: all_answer(302), timeout=6)
    assert datetime.datetime.now(datetime.UTC) >= starts
    wait_until(lambda: all_answer(200), timeout=6)
    assert datetime.datetime.now(datetime.UTC) >= expires

    # The worker ran the transitions queued for the start and the expiry, and the hits.
    def recorded() -> bool:
        window.refresh_from_db()
        return bool(window.start_logged_at and window.end_logged_at)

    wait_until(recorded, timeout=15, step=0.2)
    served = cluster.statuses["/about/"].count(302)
    wait_until(
        lambda: ScheduledRedirect.objects.filter(pk=window.pk, hits=served).exists(),
        timeout=15,
        step=0.2,
    )
