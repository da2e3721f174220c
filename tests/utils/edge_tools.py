"""Running the edge tools the exports are written for: nginx, Apache httpd and Next.js's
own route loader. Each is found here or skipped; CI installs them and sets
``WRT_REQUIRE_EDGE_TOOLS=1``, so there a missing one fails instead."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.utils.sandbox import free_port
from wagtail_redirect_tools.edge.nginx import SERVER_SNIPPET

REQUIRED = os.environ.get("WRT_REQUIRE_EDGE_TOOLS") == "1"


def tool(name: str, *candidates: str) -> str:
    """The path of a program, or skip (fail where ``WRT_REQUIRE_EDGE_TOOLS=1``)."""
    for candidate in (name, *candidates):
        found = shutil.which(candidate) or (candidate if os.access(candidate, os.X_OK) else None)
        if found:
            return found
    message = f"{name} is not installed (apt-get install nginx-light apache2 nodejs)"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def nginx_conf(workdir: Path, map_file: Path, *, port: int, backend_port: int) -> Path:
    (workdir / "server.conf").write_text(SERVER_SNIPPET)
    conf = workdir / "nginx.conf"
    temp = "\n".join(
        f"    {kind}_temp_path {workdir / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf.write_text(
        f"""pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"};
events {{}}
http {{
    access_log off;
{temp}
    include {map_file};
    server {{
        listen 127.0.0.1:{port};
        include {workdir / "server.conf"};
        location / {{
            proxy_pass http://127.0.0.1:{backend_port};
            proxy_set_header Host $http_host;
        }}
    }}
}}
"""
    )
    return conf


def nginx_command(conf: Path, *args: str) -> list[str]:
    nginx = tool("nginx", "/usr/sbin/nginx")
    return [
        nginx,
        "-e",
        str(conf.parent / "error.log"),
        "-p",
        str(conf.parent),
        "-c",
        str(conf),
        *args,
    ]


def apache_conf(tmp_path: Path, lines_file: Path, port: int) -> Path:
    modules = Path("/usr/lib/apache2/modules")
    conf = tmp_path / "httpd.conf"
    (tmp_path / "htdocs").mkdir(exist_ok=True)
    conf.write_text(
        f"""ServerRoot {tmp_path}
ServerName localhost
DocumentRoot {tmp_path / "htdocs"}
PidFile {tmp_path / "httpd.pid"}
ErrorLog {tmp_path / "error.log"}
Listen 127.0.0.1:{port}
LoadModule mpm_event_module {modules / "mod_mpm_event.so"}
LoadModule authz_core_module {modules / "mod_authz_core.so"}
LoadModule alias_module {modules / "mod_alias.so"}
<VirtualHost *>
    Include {lines_file}
</VirtualHost>
"""
    )
    return conf


def apache_check(tmp_path: Path, lines_file: Path) -> subprocess.CompletedProcess[str]:
    apache = tool("apache2", "/usr/sbin/apache2")
    conf = apache_conf(tmp_path, lines_file, free_port())
    return subprocess.run([apache, "-t", "-f", str(conf)], capture_output=True, text=True)


def upper_escapes(url: str | None) -> str | None:
    return re.sub(r"%[0-9a-f]{2}", lambda m: m.group().upper(), url) if url else url


def serve_apache(
    tmp_path: Path, content: str, running: list[subprocess.Popen[str]]
) -> tuple[int, subprocess.CompletedProcess[str]]:
    """``content`` checked by ``apache2 -t`` and, when accepted, served by httpd: its port
    and the check."""
    apache = tool("apache2", "/usr/sbin/apache2")
    lines_file = tmp_path / "redirects.conf"
    lines_file.write_text(content)
    port = free_port()
    conf = apache_conf(tmp_path, lines_file, port)
    check = subprocess.run([apache, "-t", "-f", str(conf)], capture_output=True, text=True)
    if check.returncode == 0:
        process = subprocess.Popen([apache, "-f", str(conf), "-DFOREGROUND"], text=True)
        running.append(process)
        wait_for_port(port, process)
    return port, check


def serve_nginx(tmp_path: Path, content: str, running: list[subprocess.Popen[str]]) -> int:
    """``content`` (the nginx export) checked by ``nginx -t`` and served by nginx, each
    request it does not answer passed to a backend that is not running (502): its port."""
    map_file = tmp_path / "redirects.conf"
    map_file.write_text(content)
    port = free_port()
    conf = nginx_conf(tmp_path, map_file, port=port, backend_port=free_port())
    check = subprocess.run(nginx_command(conf, "-t"), capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(nginx_command(conf, "-g", "daemon off;"), text=True)
    running.append(process)
    wait_for_port(port, process)
    return port


NEXT_DIR = Path(os.environ.get("WRT_NEXT_DIR") or Path.home() / ".cache" / "wrt-next")
NEXT_SCRIPT = Path(__file__).parent / "next_redirects.js"


def next_dir() -> Path:
    """Where ``next`` is installed (``WRT_NEXT_DIR``, default ``~/.cache/wrt-next``), or
    skip (fail where ``WRT_REQUIRE_EDGE_TOOLS=1``)."""
    if (NEXT_DIR / "node_modules" / "next" / "dist" / "lib" / "load-custom-routes.js").exists():
        return NEXT_DIR
    message = (
        f"next is not installed in {NEXT_DIR} "
        f"(npm install --prefix {NEXT_DIR} next@15 react react-dom)"
    )
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def next_routes(
    tmp_path: Path, content: str, requests: list[str], config: dict[str, object] | None = None
) -> subprocess.CompletedProcess[str]:
    """Next.js's own loadCustomRoutes() reads ``content`` as the array redirects() returns,
    and its router's steps answer ``requests`` (tests/utils/next_redirects.js)."""
    node = tool("node")
    where = next_dir()
    (tmp_path / "redirects.json").write_text(content)
    (tmp_path / "requests.json").write_text(json.dumps(requests))
    (tmp_path / "config.json").write_text(json.dumps(NEXT_CONFIG if config is None else config))
    return subprocess.run(
        [node, str(NEXT_SCRIPT), *(str(tmp_path / name) for name in NEXT_FILES)],
        capture_output=True,
        text=True,
        env={**os.environ, "WRT_NEXT_DIR": str(where)},
        timeout=60,
    )


NEXT_FILES = ("redirects.json", "requests.json", "config.json")
# The next.config.js of the README: Next.js matches sources ignoring case without it.
NEXT_CONFIG = {"experimental": {"caseSensitiveRoutes": True}}


def wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def ask(port: int, path: str, host: str) -> tuple[int, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", quote(path, safe="/?=&%()"), headers={"Host": host})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Location")


def ask_exact(port: int, target: str, host: str) -> tuple[int, str | None]:
    """Status and Location of ``GET target`` (a request target sent exactly as given)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Location")
