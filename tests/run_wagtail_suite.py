#!/usr/bin/env python3
"""Run Wagtail's own redirect test-suite with our middleware in place of core's.

    python tests/run_wagtail_suite.py [extra arguments for "django test"]

With WRT_DATABASE=postgres it runs on the PostgreSQL server on 127.0.0.1:5432, with
WRT_DATABASE=mariadb on the MariaDB (or MySQL) server on 127.0.0.1:3306.
Exits with the test run's status; prints how many tests ran.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: WRT_DATABASE -> Django's backend, the prefix of the server's variables, port, user.
SERVERS = {
    "postgres": ("postgresql", "PG", "5432", "postgres"),
    "mariadb": ("mysql", "MYSQL_", "3306", "root"),
}


def main() -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.wagtail_core_settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    server = SERVERS.get(env.get("WRT_DATABASE", ""))
    if server is not None:
        engine, prefix, port, user = server
        env.update(
            DATABASE_ENGINE=f"django.db.backends.{engine}",
            DATABASE_HOST=env.get(f"{prefix}HOST", "127.0.0.1"),
            DATABASE_PORT=env.get(f"{prefix}PORT", port),
            DATABASE_USER=env.get(f"{prefix}USER", user),
            DATABASE_PASSWORD=env.get(f"{prefix}PASSWORD", ""),
            DATABASE_NAME="wagtail_redirect_tools_core_suite",
        )
    command = [sys.executable, "-m", "django", "test", "wagtail.contrib.redirects", "--noinput"]
    run = subprocess.run(
        [*command, *sys.argv[1:]], cwd=ROOT, env=env, capture_output=True, text=True
    )
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    ran = re.search(r"^Ran (\d+) tests?", run.stderr, re.MULTILINE)
    verdict = "passed" if run.returncode == 0 else "FAILED"
    count = ran.group(1) if ran else "no"
    print(f"Wagtail's redirect suite with our middleware: {count} tests, {verdict}.")
    return run.returncode if ran else (run.returncode or 1)


if __name__ == "__main__":
    sys.exit(main())
