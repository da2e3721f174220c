"""What the package imports is what ``pyproject.toml`` declares: a module that arrives only
through another package's requirements (openpyxl through Wagtail, tablib through
django-import-export) would leave a site broken the day that package drops it."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import wagtail

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wagtail_redirect_tools"

#: Modules imported only where the installed Wagtail provides them, and why that is safe.
PROVIDED_BY_WAGTAIL = {
    # api/v3.py is imported by apps.py only when Wagtail's v3 API imports (Wagtail 8),
    # and Wagtail 8 requires django-ninja; Wagtail 7.4 has neither.
    "ninja": "django-ninja",
}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def is_type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): imports for mypy only."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(node: ast.AST) -> list[str]:
    """The modules ``node`` and everything under it import when run (inside functions
    too), leaving out ``if TYPE_CHECKING:`` blocks and relative imports."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module] if node.level == 0 and node.module else []
    names: list[str] = []
    for child in ast.iter_child_nodes(node):
        if is_type_checking(child):
            assert isinstance(child, ast.If)
            for other in child.orelse:
                names += runtime_imports(other)
            continue
        names += runtime_imports(child)
    return names


def top_level_imports() -> dict[str, set[str]]:
    """Each top-level module the package's code imports at run time, with the files
    that import it."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name in runtime_imports(tree):
            found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def declared() -> set[str]:
    """The distributions ``[project] dependencies`` names, normalised."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = set()
    for requirement in project["dependencies"]:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match, requirement
        names.add(normalise(match.group()))
    return names


def third_party(imports: dict[str, set[str]]) -> dict[str, set[str]]:
    own = {"wagtail_redirect_tools", "__future__"}
    return {
        module: files
        for module, files in imports.items()
        if module not in sys.stdlib_module_names and module not in own
    }


def test_the_walk_sees_the_imports_it_must_judge() -> None:
    modules = third_party(top_level_imports())
    # Imported inside functions or by one module only: the walk must reach them.
    assert {"openpyxl", "charset_normalizer", "tablib", "django_tasks"} <= modules.keys()
    # Imported for mypy only, under ``if TYPE_CHECKING:``: not a run-time requirement.
    assert "django_stubs_ext" not in modules


def test_the_walk_leaves_out_type_checking_blocks_but_not_their_else() -> None:
    code = (
        "import a\n"
        "from .b import c\n"
        "if TYPE_CHECKING:\n    import d\nelse:\n    import e\n"
        "def f():\n    from g.h import i\n"
    )
    assert runtime_imports(ast.parse(code)) == ["a", "e", "g.h"]


def test_every_third_party_import_is_a_declared_dependency() -> None:
    distributions = importlib.metadata.packages_distributions()
    wanted = declared()
    undeclared = []
    for module, files in sorted(third_party(top_level_imports()).items()):
        if module in PROVIDED_BY_WAGTAIL:
            continue
        names = {normalise(name) for name in distributions.get(module, [])}
        if not names:
            undeclared.append(f"{module} (not installed; imported by {sorted(files)})")
        elif not names & wanted:
            undeclared.append(f"{module} from {sorted(names)} (imported by {sorted(files)})")
    assert not undeclared, "imported but not in [project] dependencies: " + "; ".join(undeclared)


def test_modules_left_to_wagtail_are_required_by_the_wagtail_that_has_them() -> None:
    requirements = {
        normalise(match.group())
        for requirement in importlib.metadata.requires("wagtail") or []
        if "extra ==" not in requirement
        if (match := re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement))
    }
    for module, distribution in PROVIDED_BY_WAGTAIL.items():
        if int(wagtail.__version__.split(".")[0]) >= 8:
            assert distribution in requirements, (module, wagtail.__version__)
        assert distribution not in declared(), f"{distribution} is declared: drop the exception"
