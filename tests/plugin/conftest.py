"""Make the checkout importable as the ``minecd`` plugin package, as QGIS imports it."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE_ROOT = REPO / "build" / "test-plugins"


def _link_plugin_package() -> None:
    link = PACKAGE_ROOT / "minecd"
    PACKAGE_ROOT.mkdir(parents=True, exist_ok=True)
    if not link.is_symlink():
        link.symlink_to(REPO, target_is_directory=True)
    if str(PACKAGE_ROOT) not in sys.path:
        sys.path.insert(0, str(PACKAGE_ROOT))


_link_plugin_package()


@pytest.fixture(scope="session")
def minecd():
    return importlib.import_module("minecd")


@pytest.fixture(scope="module")
def provider(minecd, qgis_iface):
    """MineCD's Processing provider, registered as QGIS registers it (per test module)."""
    plugin = minecd.classFactory(qgis_iface)
    plugin.initProcessing()
    yield plugin.provider
    plugin.unload()
