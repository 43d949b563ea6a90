"""The import contracts (pyproject.toml, [tool.importlinter]) hold, and each fails when a forbidden import is
planted, as the leak test plants a phone number."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import COMMANDS, _command_module
from tests.conftest import REPO

LINT = Path(sys.executable).with_name("lint-imports")
PUBLIC = "The public site and the preview never reach the private tree"
CLI = "The laomo command reaches the private tree only through the staff commands"
CHECKS = "The site checks read the private tree as plain YAML, never through the private modules"

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed (pip install -e .[test])")


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy, not the installed package
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("contracts")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "packs", "templates")
    for package in ("generator", "site_checks"):
        shutil.copytree(REPO / package, root / package, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_contracts_hold():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("KEPT") == 3


# (module to plant into, the planted code, the contract that must break)
PLANTS = [
    ("generator/site/text.py", "from generator.load import private as _planted\n", PUBLIC),
    ("generator/serve.py", "def _planted():\n    from generator.reports import engine\n", PUBLIC),
    ("generator/projection.py", "import generator.validate.privacy as _planted\n", PUBLIC),
    # the summary of a pull request's changes is posted in public: it reads the public records only
    ("generator/changes.py", "def _planted():\n    from generator.model import private\n", PUBLIC),
    ("generator/cli.py", "def _planted():\n    from generator.load import private\n", CLI),
    ("generator/scaffold.py", "import generator.model.private as _planted\n", CLI),
    # the allowed edge for field names cannot carry anything else
    ("generator/validate/privacy.py", "from generator.load import private as _planted\n", CLI),
    ("site_checks/secrets.py", "import generator.model.private as _planted\n", CHECKS),
    ("site_checks/check.py", "def _planted():\n    from generator.validate import trees\n", CHECKS),
]


@pytest.mark.parametrize(("module", "code", "contract"), PLANTS, ids=[p[0] for p in PLANTS])
def test_each_contract_fails_on_a_planted_import(copy, module, code, contract):
    path = copy / module
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "\n\n" + code, encoding="utf-8")
        result = _lint(copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0, result.stdout
    assert f"{contract} BROKEN" in " ".join(result.stdout.split()), result.stdout  # names wrap at 80 columns


def _dynamic_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in {"__import__", "import_module", "importlib.import_module", "importlib.__import__"}:
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {name}")
    return found


def test_no_dynamic_imports_where_the_contracts_look():
    """An import made with importlib is invisible to import-linter."""
    files = [*(REPO / "generator" / "site").rglob("*.py"), REPO / "generator" / "serve.py", REPO / "generator" / "cli.py",
             *(REPO / "site_checks").rglob("*.py")]
    assert [hit for path in files for hit in _dynamic_imports(path)] == []


def test_every_command_has_a_visible_import():
    for module_name, _ in COMMANDS.values():
        assert _command_module(module_name).__name__ == module_name
