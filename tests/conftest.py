"""Fixtures shared by the engine and plugin suites. Nothing here imports QGIS."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
QGIS_PROCESS = REPO / ".ci" / "qgis-process"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session", autouse=True)
def onnx_cache(tmp_path_factory):
    """Exported networks go to a folder of this test run, not the user's ~/.cache/minecd."""
    folder = tmp_path_factory.mktemp("minecd-cache")
    before = os.environ.get("MINECD_CACHE")
    os.environ["MINECD_CACHE"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("MINECD_CACHE", None)
    else:
        os.environ["MINECD_CACHE"] = before


def _clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def qgis_process():
    """Run ``.ci/qgis-process`` (qgis_process.bin with the plugin enabled) and return the result.

    ``json_out=True`` adds ``--json`` and parses stdout; extra keyword arguments become
    environment variables (e.g. ``MINECD_NO_VENV="1"``).
    """

    def run(args: list[str], json_out: bool = False, check: bool = True, timeout: int = 900, **env):
        cmd = [str(QGIS_PROCESS), *args]
        if json_out:
            # qgis_process wants --json before the "--" that starts algorithm parameters.
            cmd.insert(3 if args and args[0] == "run" else 2, "--json")
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env=_clean_env(**env), cwd=REPO
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"qgis_process {' '.join(args)} exited {proc.returncode}\n"
                f"stdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}"
            )
        if json_out and proc.returncode == 0:
            proc.json = json.loads(proc.stdout[proc.stdout.index("{") :])
        return proc

    return run
