"""Python packages MineCD needs, and a folder the plugin owns for installing missing ones.

The folder lives in the QGIS profile (it survives plugin updates) and is appended to sys.path
when the plugin starts, so packages QGIS already has (numpy, GDAL) keep precedence.
"""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import QgsApplication


def packages_dir() -> Path:
    return Path(QgsApplication.qgisSettingsDirPath()) / "minecd" / "python-packages"


def activate() -> None:
    folder = str(packages_dir())
    if Path(folder).is_dir() and folder not in sys.path:
        sys.path.append(folder)


def missing() -> list[str]:
    """pip names of the runtime packages that cannot be imported (nothing is imported)."""
    from ..engine.environment import missing_dependencies

    return missing_dependencies()


def missing_optional() -> list[str]:
    """pip names of the optional packages for faster CPU inference that are missing."""
    from ..engine.environment import missing_accelerators

    return missing_accelerators()
