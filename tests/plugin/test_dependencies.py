"""Missing packages: the dock explains, installs with pip in a QgsTask into a folder it owns."""

from __future__ import annotations

import base64
import hashlib
import sys
import time
import zipfile
from pathlib import Path

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication


def _wheel(folder, name="minecd_probe_pkg", version="1.0"):
    """A minimal pure-Python wheel (a zip with a module and its dist-info), built offline."""
    files = {
        f"{name}/__init__.py": "VALUE = 42\n",
        f"{name}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{name}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{name}-{version}.dist-info/RECORD,,")
    files[f"{name}-{version}.dist-info/RECORD"] = "\n".join(record) + "\n"
    path = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in files.items():
            archive.writestr(member, text)
    return path


def test_missing_package_is_explained_and_installed(
    minecd, qgis_iface, qgis_new_project, tmp_path, monkeypatch
):
    from minecd.engine import environment
    from minecd.plugin import deps
    from minecd.plugin.dock import MineCDDock

    monkeypatch.setitem(environment.RUNTIME_MODULES, "minecd_probe_pkg", "minecd-probe-pkg")
    target = tmp_path / "python-packages"
    monkeypatch.setattr(deps, "packages_dir", lambda: target)
    monkeypatch.setattr(sys, "path", list(sys.path))
    dock = MineCDDock(qgis_iface.mainWindow(), qgis_iface)
    try:
        assert dock.deps_box.isVisibleTo(dock)
        assert "minecd-probe-pkg" in dock.deps_label.text()
        dock.missing_packages = [str(_wheel(tmp_path))]  # offline: the wheel file instead of its name
        dock.install_dependencies()
        task = dock.install_task
        assert task in QgsApplication.taskManager().tasks()
        done = []
        task.taskCompleted.connect(lambda: done.append(True))
        task.taskTerminated.connect(lambda: done.append(False))
        deadline = time.time() + 120
        while not done and time.time() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.02)
        for _ in range(20):
            QCoreApplication.processEvents()
        assert done == [True], task.output
        assert (target / "minecd_probe_pkg" / "__init__.py").exists()
        assert str(target) in sys.path
        assert __import__("minecd_probe_pkg").VALUE == 42
        assert not dock.deps_box.isVisibleTo(dock)
        assert dock.status.text() == "Packages installed."
    finally:
        dock.unload()
        dock.deleteLater()
        sys.modules.pop("minecd_probe_pkg", None)


def test_pip_installs_the_pinned_cpu_build_under_qgis_python_without_touching_numpy(minecd, tmp_path):
    from minecd.plugin import install

    pins = install.pins()
    constraints = tmp_path / "c.txt"
    constraints.write_text(install.constraints_text())
    command = install.pip_command(["torch", "scikit-image", "rasterio", "tqdm"], "/x/y", str(constraints))
    assert command[1:4] == ["-m", "pip", "install"] and "python" in Path(command[0]).name
    assert command[-6:] == [
        "--target", "/x/y", f"torch=={pins['torch']}+cpu", f"scikit-image=={pins['scikit-image']}",
        f"rasterio=={pins['rasterio']}", f"tqdm=={pins['tqdm']}",
    ]  # fmt: skip
    assert command[command.index("--extra-index-url") + 1] == install.TORCH_CPU_INDEX
    held = dict(line.split("==") for line in constraints.read_text().split())
    import numpy

    assert held["numpy"] == numpy.__version__  # QGIS's numpy is the only numpy pip may use
    cuda = install.pip_command(["torch"], "/x/y", str(constraints), cuda=True)
    assert cuda[-1] == f"torch=={pins['torch']}" and "--extra-index-url" not in cuda
    with pytest.raises(ValueError, match="no pinned version"):
        install.pinned(["some-unpinned-package"])


def test_every_runtime_package_has_a_pin_and_the_panel_names_pip_packages(minecd):
    from minecd.engine.environment import RUNTIME_MODULES
    from minecd.plugin import install

    pins = install.pins()
    for package in RUNTIME_MODULES.values():
        if package not in install.SHIPPED_WITH_QGIS:
            assert package.lower() in pins, package
    assert "scikit-image" in RUNTIME_MODULES.values()  # the pip name, not the module skimage


def test_qgis_python_is_an_interpreter_even_when_qgis_is_the_executable(minecd, monkeypatch):
    import sys

    from minecd.plugin import install

    monkeypatch.setattr(sys, "executable", "/usr/bin/qgis")
    python = install.qgis_python()
    assert Path(python).name.startswith("python") and Path(python).exists()


def test_the_fast_cpu_runtime_is_offered_once_pinned_and_can_be_declined(
    minecd, qgis_iface, qgis_new_project, monkeypatch
):
    from minecd.engine import environment
    from minecd.plugin import install
    from minecd.plugin.dock import MineCDDock
    from minecd.plugin.dock import settings as dock_settings
    from qgis.core import QgsSettings

    QgsSettings().remove(dock_settings.SETTINGS + "hide_optional_packages")
    monkeypatch.setattr(environment, "missing_accelerators", lambda: ["openvino", "onnx"])
    dock = MineCDDock(qgis_iface.mainWindow(), qgis_iface)
    try:
        assert dock.deps_box.isVisibleTo(dock) and dock.deps_box.title() == "Faster networks (optional)"
        assert "openvino, onnx" in dock.deps_label.text() and "works without them" in dock.deps_label.text()
        assert dock.missing_packages == ["openvino", "onnx"] and dock.skip_optional_button.isVisibleTo(dock)
        assert not dock.install_cuda_row.isVisibleTo(dock)  # PyTorch is there: no CUDA choice, nor its text
        pins = install.pins()
        assert install.pinned(dock.missing_packages) == [
            f"openvino=={pins['openvino']}",
            f"onnx=={pins['onnx']}",
        ]
        # Required packages come first and the optional ones ride along; no "Not now" then.
        monkeypatch.setitem(environment.RUNTIME_MODULES, "minecd_probe_pkg", "minecd-probe-pkg")
        dock.refresh_dependencies()
        assert dock.deps_box.title() == "Missing Python packages"
        assert dock.missing_packages == ["minecd-probe-pkg", "openvino", "onnx"]
        assert not dock.skip_optional_button.isVisibleTo(dock)
        monkeypatch.delitem(environment.RUNTIME_MODULES, "minecd_probe_pkg")
        dock.refresh_dependencies()
        dock.skip_optional_button.click()
        assert not dock.deps_box.isVisibleTo(dock) and dock.missing_packages == []
    finally:
        dock.unload()
        dock.deleteLater()
    again = MineCDDock(qgis_iface.mainWindow(), qgis_iface)  # declined: not offered in the next session
    try:
        assert not again.deps_box.isVisibleTo(again)
    finally:
        again.unload()
        again.deleteLater()
        QgsSettings().remove(dock_settings.SETTINGS + "hide_optional_packages")
