"""The installation guide's diffs apply to the project ``wagtail start`` makes today, and its
paths are the admin's (CI then follows the guide on the built wheel: tests/install/)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.install import guide


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("guide")
    wagtail = Path(sys.executable).parent / "wagtail"
    subprocess.run([str(wagtail), "start", "mysite"], cwd=where, check=True, capture_output=True)
    guide.apply_to_project(where / "mysite")
    return where / "mysite" / "mysite" / "settings"


def assigned(path: Path, name: str) -> ast.expr:
    tree = ast.parse(path.read_text())
    (value,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", None) == name for t in node.targets)
    ]
    return value


def test_the_guide_installs_our_app_after_cores_and_replaces_the_middleware_in_place(
    project: Path,
) -> None:
    apps = ast.literal_eval(assigned(project / "base.py", "INSTALLED_APPS"))
    core = apps.index("wagtail.contrib.redirects")
    assert apps[core + 1 : core + 3] == ["wagtail_redirect_tools", "import_export"]
    middleware = ast.literal_eval(assigned(project / "base.py", "MIDDLEWARE"))
    assert "wagtail.contrib.redirects.middleware.RedirectMiddleware" not in middleware
    assert middleware[-1] == "wagtail_redirect_tools.middleware.RedirectMiddleware"
    assert middleware.index("django.middleware.common.CommonMiddleware") < len(middleware) - 1


def test_one_cache_per_settings_file(project: Path) -> None:
    dev = ast.literal_eval(assigned(project / "dev.py", "CACHES"))
    assert dev["default"]["BACKEND"].endswith("LocMemCache")
    production = ast.unparse(assigned(project / "production.py", "CACHES"))
    assert "RedisCache" in production and "os.environ['REDIS_URL']" in production
    source = (project / "production.py").read_text()
    assert source.index("import os") < source.index("os.environ")


def test_the_admin_paths_the_guide_gives_are_the_admins() -> None:
    text = guide.GUIDE.read_text()
    for name, args in [
        ("redirect_tools_redirects:index", []),
        ("scheduled_redirects:index", []),
        ("wagtail_redirect_tools:import", []),
        ("wagtail_redirect_tools:edge_export", []),
        ("wagtail_redirect_tools:not_found", []),
        ("not_found_ignore_rules:index", []),
        ("wagtail_redirect_tools:page_window", [7]),
    ]:
        path = reverse(name, args=args).replace("/7/", "/<page id>/")
        assert f"`{path}`" in text, path


def test_a_diff_whose_context_is_gone_fails_loudly() -> None:
    with pytest.raises(ValueError, match="context line not found"):
        guide.apply_diff("A = [\n    'x',\n]", " A = [\n     'y',\n+    'z',")
    with pytest.raises(ValueError, match="not next after the context"):
        guide.apply_diff("A = [\n    'x',\n    'y',\n]", " A = [\n-    'y',")
    assert (
        guide.apply_diff("A = [\n    'x',\n]", " A = [\n-    'x',\n+    'z',")
        == "A = [\n    'z',\n]"
    )
