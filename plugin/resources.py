"""Paths to files under ``resources/`` (SVG icons are loaded by path, no resources_rc)."""

from pathlib import Path

from qgis.PyQt.QtGui import QIcon

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


def icon(name: str = "icon.svg") -> QIcon:
    return QIcon(str(RESOURCES_DIR / name))
