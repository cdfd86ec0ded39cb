"""Installing MineCD's missing Python packages without breaking QGIS.

- The versions are the pins of ``requirements.txt`` (the runtime-only ones carry the marker
  ``extra == "plugin"``, which ``pip install -r`` skips); nothing is installed unpinned.
- Packages QGIS ships (numpy, GDAL, scipy, Pillow, matplotlib, PyQt) are held at the versions
  QGIS has, through a constraints file, so pip can never bring numpy 2 (which breaks
  ``osgeo.gdal_array``) or a newer scipy.
- torch is the CPU build unless the user chooses CUDA (offered where an NVIDIA driver is found).
- pip runs under the Python that runs QGIS, found from ``sys.base_exec_prefix``: inside QGIS
  ``sys.executable`` can be the QGIS binary or a shell shim.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import sys
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
SHIPPED_WITH_QGIS = ("numpy", "GDAL", "scipy", "Pillow", "matplotlib", "PyQt5")
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
_PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)")


def pins(path: Path = REQUIREMENTS) -> dict[str, str]:
    """{package (lower case): version} for every ``name==version`` line of requirements.txt."""
    found = {}
    for line in path.read_text().splitlines():
        match = _PIN.match(line)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def qgis_python() -> str:
    """The Python interpreter of this QGIS (not the QGIS binary that may be sys.executable)."""
    from ..engine.environment import python_interpreter

    return python_interpreter()


def has_nvidia_gpu() -> bool:
    return shutil.which("nvidia-smi") is not None


def pinned(packages: list[str], cuda: bool = False) -> list[str]:
    """``name==version`` for each package (torch's CPU build unless ``cuda``); unknown: refused.

    A path to a ``.whl`` file passes as it is (an offline install).
    """
    known = pins()
    out = []
    for name in packages:
        if name.endswith(".whl") and Path(name).is_file():  # a wheel the user downloaded: as it is
            out.append(name)
            continue
        version = known.get(name.lower())
        if version is None:
            raise ValueError(f"{name}: no pinned version in requirements.txt")
        if name.lower() == "torch" and not cuda and sys.platform != "darwin":
            version = version.split("+")[0] + "+cpu"
        out.append(f"{name}=={version}")
    return out


def constraints_text() -> str:
    """Pins for the packages QGIS already has, at the versions it has."""
    lines = []
    for name in SHIPPED_WITH_QGIS:
        try:
            lines.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return "\n".join(lines) + "\n"


def pip_command(packages: list[str], target: str, constraints: str, cuda: bool = False) -> list[str]:
    """pip install of the pinned ``packages`` into ``target`` under QGIS's Python."""
    command = [qgis_python(), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off"]
    command += ["--constraint", constraints]
    if any(p.lower() == "torch" for p in packages) and not cuda and sys.platform != "darwin":
        command += ["--extra-index-url", TORCH_CPU_INDEX]
    return command + ["--target", target, *pinned(packages, cuda)]
