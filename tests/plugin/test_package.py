"""`make package` builds a zip that the official plugin repository accepts and QGIS loads."""

from __future__ import annotations

import configparser
import re
import subprocess
import zipfile

import pytest

REQUIRED_METADATA = (
    "name",
    "qgisMinimumVersion",
    "description",
    "about",
    "version",
    "author",
    "email",
    "repository",
    "tracker",
    "homepage",
    "tags",
    "category",
    "icon",
    "hasProcessingProvider",
    "experimental",
    "changelog",
)


@pytest.fixture(scope="module")
def package_zip(repo):
    subprocess.run(["make", "--no-print-directory", "package"], cwd=repo, check=True, capture_output=True)
    version = __import__("engine").__version__
    path = repo / "dist" / f"minecd-{version}.zip"
    assert path.exists()
    return path


def test_zip_obeys_the_plugin_repository_rules(package_zip):
    with zipfile.ZipFile(package_zip) as archive:
        names = archive.namelist()
        metadata_text = archive.read("minecd/metadata.txt").decode("utf-8")

    tops = {name.split("/")[0] for name in names}
    assert tops == {"minecd"}
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", "minecd")
    assert "minecd/LICENSE" in names
    assert "minecd/__init__.py" in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n or "/.git" in n]
    assert not [n for n in names if n.startswith("minecd/tests/") or n.startswith("minecd/.ci/")]
    assert "minecd/engine/detect.py" in names
    assert not [n for n in names if n.startswith("minecd/engine/lab/")], "the lab stays out of the zip"
    assert package_zip.stat().st_size < 25 * 1024 * 1024

    metadata = configparser.ConfigParser()
    metadata.read_string(metadata_text)
    general = metadata["general"]
    for key in REQUIRED_METADATA:
        assert general.get(key, "").strip(), f"metadata.txt: {key} missing or empty"
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["hasProcessingProvider"] == "yes"
    assert f"minecd/{general['icon']}" in names
    assert "minecd/i18n/minecd_zh_CN.qm" in names


def test_zip_installs_and_loads_in_qgis(package_zip, tmp_path, qgis_process):
    with zipfile.ZipFile(package_zip) as archive:
        archive.extractall(tmp_path)
    listing = qgis_process(["list"], json_out=True, MINECD_PLUGIN_DIR=str(tmp_path / "minecd")).json
    assert "minecd:environment" in listing["providers"]["minecd"]["algorithms"]


def test_the_zipped_engine_runs_without_the_lab(package_zip, tmp_path):
    import sys

    with zipfile.ZipFile(package_zip) as archive:
        archive.extractall(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "minecd.engine", "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    commands = set(re.findall(r"^    (\S+)", run.stdout.split("positional arguments:")[1], re.M))
    assert {"detect", "train", "benchmark"} <= commands
    assert not commands & {"bench", "synth", "reference"}  # lab commands need the checkout
