"""Rules of the repository layout that every later change must keep."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import engine

FORBIDDEN_IN_ENGINE = {"qgis", "PyQt5", "PyQt6", "PySide2", "PySide6", "sip"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_engine_never_imports_qgis_or_qt(repo):
    offenders = {
        str(path.relative_to(repo)): sorted(_imported_roots(path) & FORBIDDEN_IN_ENGINE)
        for path in (repo / "engine").rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"engine modules importing QGIS/Qt: {offenders}"


def test_the_ast_check_catches_a_qgis_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from qgis.core import QgsProject\n    import PyQt5.QtCore\n")
    assert _imported_roots(bad) & FORBIDDEN_IN_ENGINE == {"qgis", "PyQt5"}


def test_engine_imports_only_relatively_within_itself(repo):
    # Inside QGIS the engine is the package ``minecd.engine``: absolute ``engine.`` imports break.
    for path in (repo / "engine").rglob("*.py"):
        assert "engine" not in _imported_roots(path), f"{path} imports 'engine' absolutely"


def test_version_matches_metadata(repo):
    metadata = (repo / "metadata.txt").read_text(encoding="utf-8")
    assert re.search(r"^version=(.+)$", metadata, re.M).group(1).strip() == engine.__version__


def test_root_init_only_exposes_class_factory_with_lazy_import(repo):
    tree = ast.parse((repo / "__init__.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    assert len(top) == 1 and isinstance(top[0], ast.FunctionDef) and top[0].name == "classFactory"
    assert any(isinstance(n, ast.ImportFrom) for n in ast.walk(top[0])), "plugin class imported lazily"


def test_no_tests_package_init(repo):
    assert not (repo / "tests" / "__init__.py").exists()
