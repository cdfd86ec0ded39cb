"""``python -m engine benchmark``: detectors on a user's labelled folders, per scene and pooled."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from engine.benchmark import DetectorRun, labelled_scenes, parse_detectors
from engine.errors import MineCDError


@pytest.fixture
def scenes(tmp_path, optical_pair, geotiff):
    """Two labelled scene folders: the optical pair, and the same pair cropped."""
    before, after, truth = optical_pair
    root = tmp_path / "mines"
    for name, rows in (("pit_a", slice(None)), ("pit_b", slice(100, 400))):
        folder = root / name
        folder.mkdir(parents=True)
        import rasterio

        for role, path in (("before", before), ("after", after)):
            data = rasterio.open(path).read()[:, rows]
            shutil.copy(geotiff(f"{name}_{role}.tif", data), folder / f"{role}.tif")
        shutil.copy(geotiff(f"{name}_labels.tif", truth[rows].astype(np.uint8)), folder / "labels.tif")
    return root


def test_the_benchmark_reports_every_scene_and_pools_the_counts(repo, tmp_path, scenes):
    out = tmp_path / "report"
    proc = subprocess.run(
        [sys.executable, "-m", "engine", "benchmark", "--data", str(scenes),
         "--detectors", "cva,gone=none.pt", "--detectors", "mad=irmad:method=otsu",
         "--out", str(out), "--json", str(tmp_path / "r.json"), "--quiet"],
        capture_output=True, text=True, cwd=repo,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "r.json").read_text())
    assert result == json.loads((out / "benchmark.json").read_text())
    assert list(result["scenes"]) == ["pit_a", "pit_b"] and list(result["pooled"]) == [
        "cva",
        "gone",
        "mad",
    ]
    for label in ("cva", "mad"):
        per_scene = [result["scenes"][s][label] for s in ("pit_a", "pit_b")]
        pooled = result["pooled"][label]
        for key in ("tp", "fp", "fn", "tn"):
            assert pooled[key] == sum(m[key] for m in per_scene)
        assert pooled["scenes"] == 2 and pooled["f1"] > 0.9
    assert "checkpoint file not found" in result["scenes"]["pit_a"]["gone"]["error"]
    assert result["pooled"]["gone"]["scenes"] == 0 and "gone cannot run" in proc.stderr
    assert result["detectors"]["mad"] == {"spec": "irmad", "bands": None, "options": {"method": "otsu"}}
    table = (out / "benchmark.md").read_text()
    assert "| all 2 | cva |" in table and "| pit_b | gone | – |" in table and table in proc.stdout
    for scene in ("pit_a", "pit_b"):
        assert (out / "quicklooks" / f"{scene}.png").stat().st_size > 10_000
    assert not list(out.glob("minecd-benchmark-*")), "masks are temporary"


def test_detector_texts():
    assert DetectorRun.parse("rgb=insinet-demo@3,2,1") == DetectorRun("rgb", "insinet-demo", (3, 2, 1))
    assert DetectorRun.parse("logratio:method=otsu:window=7").options == (("method", "otsu"), ("window", 7))
    assert DetectorRun.parse("/models/pit.pt").label == "pit"
    runs = parse_detectors(["cva,insinet-demo@3,2,1", "logratio"])
    assert [r.label for r in runs] == ["cva", "insinet-demo@3,2,1", "logratio"]
    with pytest.raises(MineCDError, match="share a label"):
        parse_detectors("cva,cva")
    with pytest.raises(MineCDError, match="expected KEY=VALUE"):
        DetectorRun.parse("cva:otsu")


def test_folders_without_labels_are_named(tmp_path):
    (tmp_path / "pit").mkdir()
    (tmp_path / "pit" / "before.tif").write_bytes(b"")
    (tmp_path / "pit" / "after.tif").write_bytes(b"")
    with pytest.raises(MineCDError, match="pit: missing labels.tif or labels.gpkg"):
        labelled_scenes([tmp_path])
    (tmp_path / "empty").mkdir()
    with pytest.raises(MineCDError, match="no before.tif here nor in its sub-folders"):
        labelled_scenes([tmp_path / "empty"])
