"""Other processes of this project against the test database: for guarantees that must
hold under two writers at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]

# SQLite's test database lives in memory: another process cannot share it.
shared_database = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs a database two processes can share (CI runs it on PostgreSQL and MariaDB)",
)


def start_django(*arguments: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``python -m django ARGUMENTS`` with the test settings and this test's database
    (and ``env`` added to the environment)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PGDATABASE": connection.settings_dict["NAME"],
        "MYSQL_DATABASE": connection.settings_dict["NAME"],
        **(env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "django", *arguments],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Callable[[], bool], *, timeout: float, step: float = 0.05) -> float:
    """Seconds it took for ``condition`` to hold; fails after ``timeout``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"Not true within {timeout} s")
        time.sleep(step)
    return time.monotonic() - started
