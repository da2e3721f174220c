"""Wagtail's own redirect test-suite passes with our middleware in place of core's."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a child process running about 150 tests

SCRIPT = Path(__file__).resolve().parent / "run_wagtail_suite.py"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def missing_from_the_extra() -> list[str]:
    """The distributions of the ``wagtail-suite`` extra (what Wagtail's suite imports)
    that are not installed."""
    extra = tomllib.loads(PYPROJECT.read_text())["project"]["optional-dependencies"]
    missing = []
    for requirement in extra["wagtail-suite"]:
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert name, requirement
        try:
            importlib.metadata.version(name.group())
        except importlib.metadata.PackageNotFoundError:
            missing.append(name.group())
    return missing


@pytest.fixture(autouse=True)
def _the_suites_imports() -> None:
    """Skipped without the ``wagtail-suite`` extra, unless WRT_REQUIRE_WAGTAIL_SUITE is
    set (as CI sets it): then it fails."""
    missing = missing_from_the_extra()
    if not missing:
        return
    reason = f"Wagtail's suite needs the wagtail-suite extra; not installed: {', '.join(missing)}"
    if os.environ.get("WRT_REQUIRE_WAGTAIL_SUITE"):
        pytest.fail(reason + " (WRT_REQUIRE_WAGTAIL_SUITE is set)")
    pytest.skip(reason)


def test_wagtail_redirect_suite_passes_with_our_middleware() -> None:
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=900)
    summary = re.search(
        r"Wagtail's redirect suite with our middleware: (\d+) tests, (\w+)\.", run.stdout
    )
    assert summary, run.stdout + run.stderr
    # 152 on Wagtail 8.0.1; a run of a handful would mean the suite was not found.
    assert int(summary.group(1)) >= 100, run.stderr
    assert (run.returncode, summary.group(2)) == (0, "passed"), run.stderr[-5000:]
