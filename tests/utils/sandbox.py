"""Start the real sandbox (``manage.py runsandbox``) in a child process, for tests, and
send it a visitor's requests."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SANDBOX_DIR = Path(__file__).resolve().parents[2] / "sandbox"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sandbox_env(workdir: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment (so WRT_DATABASE / WRT_CACHE carry over), on a scratch
    database, with uploads in ``workdir`` too; then ``extra_env`` (e.g. ``WRT_TASKS``)."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="sandbox_site.settings",
        WRT_SANDBOX_SQLITE=str(workdir / "sandbox.sqlite3"),
        WRT_SANDBOX_MEDIA=str(workdir / "media"),
        PGDATABASE="wagtail_redirect_tools_sandbox_tests",
        MYSQL_DATABASE="wagtail_redirect_tools_sandbox_tests",
        PYTHONUNBUFFERED="1",
    )
    # The test suite's WRT_TASKS=database is for its own settings: a sandbox queues jobs
    # in its database only when asked to here, with a worker started beside it.
    env.pop("WRT_TASKS", None)
    env.update(extra_env or {})
    return env


def manage(
    *args: str, workdir: Path, timeout: int = 300, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=SANDBOX_DIR,
        env=sandbox_env(workdir, extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass
class SandboxServer:
    port: int
    process: subprocess.Popen[str]
    output: Path

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"

    def url(self, path: str = "/", host: str = "localhost") -> str:
        return f"http://{host}:{self.port}{path}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_sandbox(
    workdir: Path, *, startup_timeout: float = 240, extra_env: dict[str, str] | None = None
) -> SandboxServer:
    """Run ``runsandbox --reset`` on a free port and wait until it accepts connections;
    ``extra_env`` is added to its environment (see ``sandbox_env``)."""
    port = free_port()
    output = workdir / "runsandbox.log"
    with output.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runsandbox", str(port), "--reset"],
            cwd=SANDBOX_DIR,
            env=sandbox_env(workdir, extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"runsandbox exited:\n{output.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return SandboxServer(port=port, process=process, output=output)
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"runsandbox did not start in {startup_timeout}s:\n{output.read_text()}")


def get(server: SandboxServer, path: str, host: str = "localhost") -> http.client.HTTPResponse:
    """A visitor's GET of ``path`` on site ``host``, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", quote(path, safe="/?=&"), headers={"Host": f"{host}:{server.port}"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response
