#!/usr/bin/env python3
"""The installation guide (docs/installation.md), followed on a fresh ``wagtail start``
project with the built wheel.

    python tests/install/check_install.py dist/wagtail_redirect_tools-*.whl --venv /tmp/wheel-venv

In a temporary directory, with the virtualenv ``check_wheel.py`` made (or a new one):
installs the wheel with the guide's ``pip install`` extras, runs ``wagtail start mysite``,
applies each of the guide's diffs to the file it names (tests/install/guide.py), then

- with ``mysite.settings.dev``: ``check`` (of ours, only the information I009 the guide
  announces) and ``migrate``;
- with ``mysite.settings.production`` and the environment a deploy sets (``SECRET_KEY``,
  ``ALLOWED_HOSTS``, ``REDIS_URL``, read by the project's own ``settings/local.py``):
  ``check --deploy`` (Django's own deployment warnings are listed as unrelated; any message
  of ours fails), ``collectstatic``, and a smoke test with Django's test client: a redirect
  added through our admin form answers 301, a moved page's old URL answers 301, and every
  admin path the guide lists answers 200 to a superuser.

Needs Redis (``REDIS_URL``, default redis://127.0.0.1:6379/12; that database is emptied).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import guide

PROJECT = "mysite"

# The project's deploy settings: what a host puts in the environment.
LOCAL_SETTINGS = """import os

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
"""

SMOKE = """
import json, os, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

failures = []
def expect(what, got, wanted):
    wrong = "" if got == wanted else f" (wanted {wanted!r})"
    print(f"{'BAD' if wrong else 'ok '} {what}: {got!r}{wrong}")
    if got != wanted:
        failures.append(what)

site = Site.objects.get(is_default_site=True)
home = site.root_page
user = get_user_model().objects.create_superuser("admin", "admin@example.com", "not-a-secret")
client = Client()
client.force_login(user)

# A redirect added through our admin form.
response = client.post(
    "/admin/redirect-tools/redirects/new/",
    {"old_path": "/old-page", "site": site.pk, "status_code": "301", "redirect_link": "/"},
)
expect("add a redirect in the admin", response.status_code, 302)
expect("the redirect is stored", Redirect.objects.filter(old_path="/old-page").count(), 1)
visitor = Client()
for path in ("/old-page", "/old-page/"):
    response = visitor.get(path)
    expect(f"GET {path}", (response.status_code, response.get("Location")), (301, "/"))

# A page moved: its old URL redirects (automatic redirects, on by default).
about = home.add_child(instance=Page(title="About", slug="about"))
team = home.add_child(instance=Page(title="Team", slug="team"))
about.move(team, pos="last-child")
response = visitor.get("/about/")
moved = (response.status_code, response.get("Location"))
expect("GET /about/ after the move", moved, (301, "/team/about/"))

# Every admin path the guide lists.
for path in json.loads(sys.argv[1]):
    path = path.replace("<page id>", str(about.pk))
    expect(f"GET {path}", client.get(path).status_code, 200)

sys.exit(1 if failures else 0)
"""


def run(
    command: list[str], *, cwd: Path, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=cwd, env=env, text=True, capture_output=True)
    if check and result.returncode != 0:
        sys.stdout.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}")
    return result


def message_ids(output: str) -> list[str]:
    """The ids of the system check messages in ``check``'s output, e.g. security.W004."""
    return re.findall(r"^\S*: \(([\w.]+)\) ", output, re.MULTILINE)


def ours(output: str) -> list[str]:
    return [i for i in message_ids(output) if i.startswith("wagtail_redirect_tools.")]


def admin_paths() -> list[str]:
    text = guide.GUIDE.read_text(encoding="utf-8")
    section = text.split("## 6. Where editors find it", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"`(/admin/[^`]+)`", section)
    assert len(paths) >= 6, paths
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("--venv", type=Path, required=True)
    args = parser.parse_args()
    started = time.monotonic()
    wheel = args.wheel.resolve()
    python = args.venv / "bin" / "python"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DJANGO_"))}
    with tempfile.TemporaryDirectory(prefix="wrt-guide-") as tmp:
        where = Path(tmp)
        if not python.exists():
            run([sys.executable, "-m", "venv", str(args.venv)], cwd=where, env=base_env)
        # The guide's install line, with the wheel in place of the package's name.
        packages = [
            arg.replace("wagtail-redirect-tools", str(wheel), 1)
            if arg.startswith("wagtail-redirect-tools")
            else arg
            for arg in guide.pip_arguments()
        ]
        assert any(str(wheel) in arg for arg in packages), packages
        run([str(python), "-m", "pip", "install", "-q", *packages], cwd=where, env=base_env)
        run([str(args.venv / "bin" / "wagtail"), "start", PROJECT], cwd=where, env=base_env)
        project = where / PROJECT
        for changed in guide.apply_to_project(project):
            print(f"applied the guide's diff to {changed}")
        (project / PROJECT / "settings" / "local.py").write_text(LOCAL_SETTINGS)

        env = dict(
            base_env,
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="localhost,testserver",
            REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12"),
        )
        run(
            [
                str(python),
                "-c",
                f"import redis; redis.Redis.from_url({env['REDIS_URL']!r}).flushdb()",
            ],
            cwd=project,
            env=env,
        )
        manage = [str(python), "manage.py"]
        dev = dict(env, DJANGO_SETTINGS_MODULE=f"{PROJECT}.settings.dev")
        checked = run([*manage, "check"], cwd=project, env=dev)
        found = ours(checked.stdout + checked.stderr)
        print("check (dev), ours:", found or "nothing")
        assert found == ["wagtail_redirect_tools.I009"], checked.stdout + checked.stderr
        run([*manage, "migrate", "--noinput", "-v", "0"], cwd=project, env=dev)

        production = dict(env, DJANGO_SETTINGS_MODULE=f"{PROJECT}.settings.production")
        deploy = run([*manage, "check", "--deploy"], cwd=project, env=production, check=False)
        output = deploy.stdout + deploy.stderr
        theirs = sorted(set(message_ids(output)) - set(ours(output)))
        print("check --deploy, Django's own (unrelated to this package):", theirs)
        assert not ours(output), f"check --deploy says something of ours:\n{output}"
        assert deploy.returncode == 0, output
        print("check --deploy, ours: nothing")
        run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=project, env=production)
        (project / "smoke.py").write_text(SMOKE)
        smoke = run(
            [str(python), "smoke.py", json.dumps(admin_paths())],
            cwd=project,
            env=production,
            check=False,
        )
        sys.stdout.write(smoke.stdout)
        if smoke.returncode != 0:
            sys.stdout.write(smoke.stderr[-5000:])
            raise SystemExit("the smoke test failed")
    took = time.monotonic() - started
    print(f"The installation guide works on a wagtail start project: {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
