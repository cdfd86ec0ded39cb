"""QGIS 4 (Qt6) readiness, checked statically: QGIS 4 cannot be installed on this machine.

Every Python file of the plugin is parsed; the check fails on what Qt6/PyQt6 refuses:
- a Qt or QGIS enum value reached without its enum's name (``Qt.AlignLeft``, not
  ``Qt.AlignmentFlag.AlignLeft``): PyQt6 has scoped enums only. Which names are enum values is
  asked of the classes themselves, and only where QGIS 3.22 accepts the scoped spelling too;
- ``exec_()``, direct ``PyQt5`` imports (``qgis.PyQt`` is the shim for both), and Qt5-only classes.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "__init__.py", *(ROOT / "plugin").rglob("*.py")])
QT5_ONLY = {"QRegExp", "QRegExpValidator", "QDesktopWidget", "QStringListModel_", "QMatrix", "QGLWidget"}
BINDINGS = ("qgis.PyQt", "qgis.core", "qgis.gui", "qgis.analysis")


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """{local name: module} for names imported from Qt or QGIS bindings (anywhere in the file)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(BINDINGS):
            for alias in node.names:
                names[alias.asname or alias.name] = node.module
    return names


def _unscoped_enum(module: str, owner: str, attr: str) -> str | None:
    """``Enum`` when ``owner.attr`` is a value of ``owner.Enum`` that ``owner.Enum.attr`` also reaches."""
    try:
        cls = getattr(importlib.import_module(module), owner)
        value = getattr(cls, attr)
    except (ImportError, AttributeError):
        return None
    enum_type = type(value)
    enum_name = getattr(enum_type, "__qualname__", "").rpartition(".")[2]
    if not enum_name or enum_name == attr or getattr(cls, enum_name, None) is not enum_type:
        return None
    return enum_name if getattr(enum_type, attr, None) is not None else None


def problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    imported = _imported_names(tree)
    found = []
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(m.split(".")[0] in ("PyQt5", "PyQt6") for m in modules):
                found.append(f"{where}:{line}: import through qgis.PyQt, not {modules[0]}")
            names = {a.name for a in node.names}
            for name in sorted(names & QT5_ONLY):
                found.append(f"{where}:{line}: {name} does not exist in Qt6")
        elif isinstance(node, ast.Attribute):
            if node.attr == "exec_":
                found.append(f"{where}:{line}: exec_() is gone in PyQt6: use exec()")
            elif isinstance(node.value, ast.Name) and node.value.id in imported:
                enum = _unscoped_enum(imported[node.value.id], node.value.id, node.attr)
                if enum:
                    found.append(
                        f"{where}:{line}: {node.value.id}.{node.attr} -> {node.value.id}.{enum}.{node.attr}"
                    )
    return found


def test_the_check_finds_what_qt6_refuses(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from qgis.PyQt.QtCore import Qt, QRegExp\n"
        "from PyQt5.QtWidgets import QDialog\n"
        "from qgis.core import QgsProcessing\n"
        "a = Qt.AlignLeft\n"
        "b = Qt.AlignmentFlag.AlignLeft\n"
        "c = QgsProcessing.TypeVectorPolygon\n"
        "QDialog().exec_()\n"
    )
    found = problems(sample)
    assert any("Qt.AlignLeft -> Qt.AlignmentFlag.AlignLeft" in f for f in found)
    assert any(
        "QgsProcessing.TypeVectorPolygon -> QgsProcessing.SourceType.TypeVectorPolygon" in f for f in found
    )
    assert any("QRegExp" in f for f in found) and any("not PyQt5.QtWidgets" in f for f in found)
    assert any("exec_()" in f for f in found)
    assert not any(":5:" in f for f in found)  # the scoped spelling passes


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_plugin_uses_only_what_qt6_accepts(path):
    assert problems(path) == []


def test_metadata_declares_qt6_and_qgis_4():
    text = (ROOT / "metadata.txt").read_text()
    assert "supportsQt6=True" in text and "qgisMaximumVersion=4.99" in text
