#!/usr/bin/env python3
"""The built wheel, installed into a clean virtualenv, carries everything a site needs.

    python tests/install/check_wheel.py dist/wagtail_redirect_tools-*.whl --venv /tmp/wheel-venv

1. The wheel holds the package alone (no ``sandbox/``, no ``tests/``) and every file git
   tracks under ``wagtail_redirect_tools/`` (templates, static files, migrations, locale),
   plus a compiled ``.mo`` beside each ``.po``.
2. In a fresh virtualenv with only the wheel installed (not editable), run from a copy of
   the sandbox in a temporary directory, so the source tree is not on ``sys.path``:
   ``check``, ``migrate`` on SQLite, ``makemigrations --check --dry-run`` for the package,
   every template of the package compiled, every static file found by ``findstatic``, and
   each installed catalogue loaded.

The virtualenv is kept (``--venv``) for ``check_install.py``. Exits non-zero on the first
failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = "wagtail_redirect_tools"

# Compiles every template and loads every catalogue of the installed package.
INSIDE = """
import gettext, sys
from pathlib import Path
import django
django.setup()
from django.template.loader import get_template
import wagtail_redirect_tools as package

installed = Path(package.__file__).parent
assert "site-packages" in str(installed), installed
templates = sorted((installed / "templates").rglob("*.html"))
for template in templates:
    get_template(str(template.relative_to(installed / "templates")))
catalogues = sorted((installed / "locale").glob("*/LC_MESSAGES/django.mo"))
for mo in catalogues:
    language = mo.parent.parent.name
    catalogue = gettext.translation("django", str(installed / "locale"), [language])
    assert len(catalogue._catalog) > 1, (language, "empty catalogue")
static = installed / "static"
statics = sorted(str(p.relative_to(static)) for p in static.rglob("*") if p.is_file())
print(f"{installed}: {len(templates)} templates compiled, {len(catalogues)} catalogues loaded")
print("\\n".join(statics))
"""


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    shown = " ".join(command)
    print("$", shown if len(shown) < 200 else shown[:200] + " ...", flush=True)
    result = subprocess.run(command, text=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        sys.stdout.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}")
    return result


def tracked_package_files() -> list[str]:
    listed = run(["git", "ls-files", PACKAGE], cwd=ROOT).stdout.split()
    # A locale/ the working tree has but git does not yet (a branch in progress) counts too.
    locale = ROOT / PACKAGE / "locale"
    if locale.is_dir():
        listed += [str(p.relative_to(ROOT)) for p in locale.rglob("*") if p.is_file()]
    return sorted(set(listed))


def check_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {name.split("/")[0] for name in names}
    stray = {top for top in tops if top != PACKAGE and not top.endswith(".dist-info")}
    assert not stray, f"the wheel carries more than the package: {sorted(stray)}"
    missing = [name for name in tracked_package_files() if name not in names]
    assert not missing, f"tracked but not in the wheel: {missing}"
    po_files = [name for name in names if name.endswith("/LC_MESSAGES/django.po")]
    no_mo = [po for po in po_files if po[:-3] + ".mo" not in names]
    assert not no_mo, f"catalogues without their compiled .mo in the wheel: {no_mo}"
    kinds = {
        kind: sum(f"/{kind}/" in name for name in names)
        for kind in ("templates", "static", "migrations")
    }
    print(f"{wheel.name}: {len(names)} files, {kinds}, {len(po_files)} catalogues")
    print("no sandbox/ or tests/ in the wheel")


def make_venv(venv: Path, wheel: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        run([sys.executable, "-m", "venv", str(venv)])
    run([str(python), "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(wheel)])
    run([str(python), "-m", "pip", "install", "-q", str(wheel)])
    return python


def check_sandbox(python: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="wrt-wheel-") as tmp:
        sandbox = Path(tmp) / "sandbox"
        shutil.copytree(
            ROOT / "sandbox",
            sandbox,
            ignore=shutil.ignore_patterns("db.sqlite3*", "media", "static", "__pycache__"),
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "WRT_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="sandbox_site.settings",
            WRT_SANDBOX_SQLITE=str(Path(tmp) / "db.sqlite3"),
            WRT_SANDBOX_MEDIA=str(Path(tmp) / "media"),
        )
        manage = [str(python), str(sandbox / "manage.py")]
        where = {"cwd": tmp, "env": env}
        run([*manage, "check", "--fail-level", "WARNING"], **where)
        run([*manage, "migrate", "--noinput", "-v", "0"], **where)
        run([*manage, "makemigrations", "--check", "--dry-run", PACKAGE], **where)
        inside = run(
            [str(python), "-c", f"import sys; sys.path.insert(0, {str(sandbox)!r})\n{INSIDE}"],
            **where,
        ).stdout.splitlines()
        print(inside[0])
        statics = [line for line in inside[1:] if line]
        assert statics, "no static files installed"
        run([*manage, "findstatic", "-v", "0", *statics], **where)
        print(f"{len(statics)} static files found; check, migrate, makemigrations --check: clean")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("--venv", type=Path, required=True)
    args = parser.parse_args()
    started = time.monotonic()
    check_contents(args.wheel)
    python = make_venv(args.venv, args.wheel.resolve())
    check_sandbox(python)
    print(f"The wheel installs clean: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
