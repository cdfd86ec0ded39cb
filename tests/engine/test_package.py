"""`pip install .`: the engine as the package minecd_engine with the `minecd` command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from a copy of the checkout (no build files left in it), installed alone."""
    root = tmp_path_factory.mktemp("package")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "engine", source / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "resources" / "models", source / "resources" / "models")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        pip + ["wheel", "--no-deps", "--no-build-isolation", "-w", root / "wheel", source], check=True
    )
    wheel = next((root / "wheel").glob("minecd-*.whl"))
    site = root / "site"
    subprocess.run(pip + ["install", "--no-deps", "--target", site, wheel], check=True)
    return wheel, site


def _minecd(site: Path, *args, cwd: Path):
    env = {**os.environ, "PYTHONPATH": str(site)}  # the checkout is not importable from cwd
    return subprocess.run(
        [str(site / "bin" / "minecd"), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_wheel_holds_every_engine_module_and_the_bundled_models(installed):
    from engine import __version__
    from engine.bundled import manifest

    wheel, _ = installed
    assert wheel.name == f"minecd-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {f"minecd_engine/{p.relative_to(REPO / 'engine')}" for p in (REPO / "engine").rglob("*.py")}
    assert modules - names == set(), "pyproject.toml's package list misses a folder of engine/"
    assert not any(n.startswith(("engine/", "plugin/")) for n in names)
    for entry in manifest().values():
        assert f"minecd_engine/bundled_models/{entry['file']}" in names


def test_the_minecd_command_detects_with_a_bundled_model_and_on_dask(installed, tmp_path):
    pytest.importorskip("distributed")
    from engine.lab.synthetic import generate

    _, site = installed
    version = _minecd(site, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("MineCD ")
    generate("optical", tmp_path / "scene", size=512, seed=3)
    pair = ["--before", tmp_path / "scene" / "before.tif", "--after", tmp_path / "scene" / "after.tif"]
    net = _minecd(
        site, "detect", *pair, "--detector", "insinet-demo", "--out", "n.tif", "--quiet", cwd=tmp_path
    )
    assert net.returncode == 0, net.stderr
    run = _minecd(
        site,
        "detect",
        *pair,
        "--detector",
        "cva",
        "--out",
        "m.tif",
        "--workers",
        2,
        "--summary",
        "s.json",
        "--quiet",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["dask"]["workers"] == 2 and summary["changed_pixels"] > 0
    code = "import minecd_engine.bundled as b, sys; print(b.MODELS_DIR); print('engine' in sys.modules)"
    where = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where[0].startswith(str(site)) and where[1] == "False"
