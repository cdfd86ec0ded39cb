"""``python -m engine detect``: the contract scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import f1_score, read

SUMMARY_KEYS = {
    "changed_pixels",
    "changed_area_m2",
    "changed_area_ha",
    "runtime_s",
    "mpix_per_s",
    "device",
    "detector",
}


def run(repo, *args):
    return subprocess.run([sys.executable, "-m", "engine", *args], capture_output=True, text=True, cwd=repo)


def test_detect_writes_mask_probability_and_summary(repo, tmp_path, optical_pair):
    before, after, truth = optical_pair
    proc = run(
        repo, "detect", "--before", str(before), "--after", str(after), "--detector", "cva",
        "--out", str(tmp_path / "m.tif"), "--prob", str(tmp_path / "p.tif"),
        "--summary", str(tmp_path / "s.json"), "--bands", "3,2,1", "--tile", "128", "--batch", "4",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((tmp_path / "s.json").read_text())
    assert SUMMARY_KEYS <= summary.keys()
    assert summary["detector"] == "cva" and summary["device"] == "cpu" and summary["tile"] == 128
    assert f1_score(read(tmp_path / "m.tif"), truth) >= 0.9
    assert (tmp_path / "p.tif").exists()
    assert "ha changed" in proc.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--before", "missing.tif"], "missing.tif: file not found"),
        (["--bands", "1,2,9"], "cannot read band 9"),
        (["--aoi", "1,1,2,2"], "does not overlap the rasters"),
        (["--detector", "nonsense"], "unknown detector 'nonsense'"),
        (["--out", "no/such/folder/m.tif"], "does not exist"),
        (["--bands", "a,b"], "is not a comma-separated list of band numbers"),
        (["--tile", "many"], "invalid int value"),
    ],
)
def test_bad_input_exits_2_with_one_error_line(repo, tmp_path, optical_pair, args, message):
    before, after, _ = optical_pair
    base = {
        "--before": str(before),
        "--after": str(after),
        "--detector": "cva",
        "--out": str(tmp_path / "m.tif"),
    }
    base.update(dict(zip(args[::2], args[1::2])))
    proc = run(repo, "detect", "--quiet", *[x for kv in base.items() for x in kv])
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "m.tif").exists()


def test_missing_required_argument(repo):
    proc = run(repo, "detect", "--before", "a.tif")
    assert proc.returncode == 2 and proc.stderr.startswith("error: the following arguments are required")


def test_reference_command_needs_one_benchmark_for_chosen_detectors(repo):
    proc = run(repo, "reference", "--benchmark", "all", "--detectors", "cva")
    assert proc.returncode == 2 and "needs one --benchmark" in proc.stderr
