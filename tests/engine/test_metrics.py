"""Metrics from one confusion matrix; evaluation against raster or polygon references."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from engine.metrics import Confusion, evaluate_files
from engine.vector import write_polygons


def test_metrics_from_a_known_confusion_matrix():
    m = Confusion(tp=40, fp=10, fn=20, tn=930).metrics()
    assert m["precision"] == pytest.approx(0.8)
    assert m["recall"] == pytest.approx(40 / 60)
    assert m["oa"] == pytest.approx(970 / 1000)
    assert m["iou"] == pytest.approx(40 / 70)
    assert m["f1"] == pytest.approx(80 / 110)
    expected = (50 * 60 + 950 * 940) / 1000**2  # chance agreement
    assert m["kappa"] == pytest.approx((0.97 - expected) / (1 - expected))


def test_confusion_accumulates_over_scenes_not_averages():
    a = Confusion().add(np.array([1, 1, 0, 0]), np.array([1, 0, 0, 0]))
    b = Confusion().add(np.array([0, 0, 0, 1]), np.array([1, 1, 1, 1]))
    a += b
    assert (a.tp, a.fp, a.fn, a.tn) == (2, 1, 3, 2)
    assert a.metrics()["f1"] == pytest.approx(4 / 8)
    assert Confusion().metrics()["f1"] == 0.0


def test_evaluate_against_raster_and_polygons_ignores_nodata(tmp_path, geotiff):
    truth = np.zeros((100, 100), dtype=np.uint8)
    truth[20:60, 30:70] = 1
    pred = truth.copy()
    pred[20:30, 30:70] = 0  # 400 missed
    pred[80:90, 0:20] = 1  # 200 false alarms
    pred[0:10, :] = 255  # nodata: not counted
    ref = geotiff("ref.tif", truth)
    mask = geotiff("pred.tif", pred, nodata=255)
    m = evaluate_files(mask, ref)
    assert (m["tp"], m["fn"], m["fp"]) == (1200, 400, 200)
    assert m["pixels"] == 100 * 100 - 1000
    square = [
        [500_030, 3_999_980],
        [500_070, 3_999_980],
        [500_070, 3_999_940],
        [500_030, 3_999_940],
        [500_030, 3_999_980],
    ]
    write_polygons(
        tmp_path / "ref.gpkg", [({"type": "Polygon", "coordinates": [square]}, {})], "EPSG:32650", {}
    )
    assert evaluate_files(mask, tmp_path / "ref.gpkg") == m


def test_evaluate_command_writes_json(repo, tmp_path, geotiff):
    truth = np.zeros((64, 64), dtype=np.uint8)
    truth[10:30, 10:30] = 1
    mask, ref = geotiff("m.tif", truth, nodata=255), geotiff("r.tif", truth)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine",
            "evaluate",
            "--pred",
            str(mask),
            "--ref",
            str(ref),
            "--json",
            str(tmp_path / "e.json"),
        ],
        capture_output=True,
        text=True,
        cwd=repo,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "e.json").read_text())
    assert {"precision", "recall", "oa", "iou", "f1", "kappa", "tp", "fp", "fn", "tn"} <= result.keys()
    assert result["f1"] == 1.0 and "F1" in proc.stdout
