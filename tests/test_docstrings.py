"""The package's docstrings stay true where that can be checked by a machine (issue 31).

- Every cross-reference a docstring makes (``:mod:``, ``:func:``, ``:class:``,
  ``:meth:``, ``:attr:``, ``:data:``, ``:exc:``, ``:obj:``), and every dotted name of
  the package it quotes (````wagtail_redirect_tools.x.y````), names something that
  exists: a module moved, a function renamed or removed, fails here with the file and
  line of the docstring. A reference is looked up as Sphinx would: relative to the
  module (``.sibling``, ``..parent``), in the class whose docstring it is, in the
  module's namespace, or as an absolute dotted path.
- Every public function and class defined at the top of a module of the package is
  named somewhere else in the package (another module, the same module beyond its
  definition, a migration, a template, a script): a public function that nothing calls
  is dead code that its docstring still describes (the ``first_sheet_rows`` that
  ``importing/reading.py`` kept). A definition with a decorator is registered by it
  (a hook, a receiver, a check) and counts as used; so does the app's ``AppConfig``,
  which Django finds by itself.

What a docstring says in prose (which library parses a format) is not checked.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

import wagtail_redirect_tools

PACKAGE = Path(wagtail_redirect_tools.__file__).parent
NAME = PACKAGE.name
ROLE = re.compile(r":(?:mod|func|class|meth|attr|data|exc|obj):`([^`]+)`")
QUOTED = re.compile(rf"``({NAME}(?:\.\w+)+)``")
USE_FILES = (".py", ".html", ".js", ".txt")

Scope = list[object]


@dataclass(frozen=True)
class Reference:
    where: str
    target: str
    module: str
    is_package: bool
    scope: tuple[object, ...]


def _modules() -> list[tuple[Path, str]]:
    """Each module of the package but its migrations, with its dotted name."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((path, ".".join(parts)))
    return found


def _dotted(name: str) -> bool:
    """``name`` is a module, or an attribute path under the longest module it starts with."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for attribute in parts[end:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def _in(space: object, name: str) -> bool:
    found = space
    for attribute in name.split("."):
        if not hasattr(found, attribute):
            return False
        found = getattr(found, attribute)
    return True


def _resolves(reference: Reference) -> bool:
    target = reference.target.removeprefix("~").removesuffix("()")
    if "<" in target:  # :func:`title <target>`
        target = target[target.index("<") + 1 : target.rindex(">")]
    if target.startswith("."):
        dots = len(target) - len(target.lstrip("."))
        base = reference.module.split(".")
        if not reference.is_package:
            base = base[:-1]
        base = base[: len(base) - (dots - 1)]
        return _dotted(".".join([*base, *target.lstrip(".").split(".")]))
    module = importlib.import_module(reference.module)
    if any(_in(space, target) for space in (*reference.scope, module)):
        return True
    return _dotted(target)


@dataclass(frozen=True)
class _Module:
    module: ModuleType
    name: str
    is_package: bool
    shown: Path


def _visit(node: ast.AST, scope: Scope, at: _Module, found: list[Reference]) -> None:
    if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        text = ast.get_docstring(node, clean=False) or ""
        where = f"{at.shown}:{getattr(node, 'lineno', 1)}"
        for target in [*ROLE.findall(text), *QUOTED.findall(text)]:
            found.append(Reference(where, target, at.name, at.is_package, tuple(scope)))
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ClassDef):
            inner = getattr(scope[0] if scope else at.module, child.name, None)
            _visit(child, [inner, *scope] if inner is not None else scope, at, found)
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            _visit(child, scope, at, found)


def _imported(name: str) -> ModuleType | None:
    """The module, or None where it needs a library this installation lacks (the API v3
    module needs django-ninja, which Wagtail 7.4 does not install)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if (error.name or "").startswith(PACKAGE.name):
            raise
        return None


def _references() -> list[Reference]:
    found: list[Reference] = []
    for path, name in _modules():
        module = _imported(name)
        if module is None:
            continue
        at = _Module(
            module=module,
            name=name,
            is_package=path.name == "__init__.py",
            shown=path.relative_to(PACKAGE.parent),
        )
        _visit(ast.parse(path.read_text(encoding="utf-8")), [], at, found)
    return found


def test_docstrings_make_cross_references() -> None:
    # The check below has something to check: the package's docstrings refer to each other.
    assert len(_references()) > 100


def test_every_cross_reference_names_what_exists() -> None:
    missing = [f"{ref.where}: {ref.target}" for ref in _references() if not _resolves(ref)]
    assert not missing, "Docstrings name what does not exist:\n" + "\n".join(missing)


SERVICE = "wagtail_redirect_tools.importing.service"


@pytest.mark.parametrize(
    ("target", "module", "is_package", "exists"),
    [
        (".reading.read_table", SERVICE, False, True),
        (".reading.first_sheet_rows", SERVICE, False, False),
        ("..conf", SERVICE, False, True),
        ("read_progress", SERVICE, False, True),
        ("read_upload_rows", SERVICE, False, False),
        (".v2.RedirectsAPIViewSet", "wagtail_redirect_tools.api", True, True),
        ("~wagtail_redirect_tools.resolve", "wagtail_redirect_tools.api", True, True),
        ("wagtail_redirect_tools.importing.no_such_module", "wagtail_redirect_tools", True, False),
    ],
)
def test_a_reference_is_looked_up_as_sphinx_would(
    target: str, module: str, is_package: bool, exists: bool
) -> None:
    assert _resolves(Reference("here", target, module, is_package, ())) is exists


def _public_definitions(tree: ast.Module) -> list[ast.FunctionDef | ast.ClassDef]:
    found: list[ast.FunctionDef | ast.ClassDef] = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.ClassDef) or node.name.startswith("_"):
            continue
        if node.decorator_list and isinstance(node, ast.FunctionDef):
            continue  # registered by its decorator
        if isinstance(node, ast.ClassDef) and any(
            isinstance(base, ast.Name) and base.id == "AppConfig" for base in node.bases
        ):
            continue  # found by Django
        found.append(node)
    return found


def test_every_public_definition_is_used() -> None:
    texts = {
        path: path.read_text(encoding="utf-8")
        for path in PACKAGE.rglob("*")
        if path.suffix in USE_FILES and "__pycache__" not in path.parts
    }
    unused = []
    for path, _name in _modules():
        for node in _public_definitions(ast.parse(texts[path])):
            word = re.compile(rf"\b{re.escape(node.name)}\b")
            if len(word.findall(texts[path])) > 1:
                continue
            if any(word.search(text) for other, text in texts.items() if other != path):
                continue
            unused.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    assert not unused, "Public definitions that nothing uses:\n" + "\n".join(unused)
