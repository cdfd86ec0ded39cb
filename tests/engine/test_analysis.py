"""The paper's analyses: rings of a tile and input scales."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import rasterio

from engine.lab.analysis import (
    RINGS,
    degrade,
    ring_analysis,
    ring_bootstrap,
    ring_confusions,
    ring_counts,
    ring_index,
    scale_analysis,
)
from engine.raster import Window


def test_ring_index_splits_a_tile_into_eighths():
    t = 64
    rows, cols = np.mgrid[0:t, 0:t]
    rings = ring_index(t, rows, cols)
    assert (
        rings[0, 0] == 0
        and rings[7, 30] == 0
        and rings[8, 30] == 1
        and rings[16, 30] == 2
        and rings[24, 30] == 3
    )
    counts = np.bincount(rings.ravel(), minlength=4)
    assert counts.tolist() == [64 * 64 - 48 * 48, 48 * 48 - 32 * 32, 32 * 32 - 16 * 16, 16 * 16]
    assert ring_index(t, rows + t, cols + 2 * t).tolist() == rings.tolist()  # the same in every tile


def test_ring_confusions_count_errors_where_they_are(geotiff):
    truth = np.zeros((128, 128), np.uint8)
    pred = truth.copy()
    pred[0:4, 10:20] = 1  # false alarms in the outer ring of the first 64 px tile
    pred[30:34, 30:34] = 1  # false alarms in its core
    conf = ring_confusions(geotiff("p.tif", pred, nodata=255), geotiff("t.tif", truth), 64)
    assert set(conf) == set(RINGS)
    assert conf["outer"].fp == 40 and conf["core"].fp == 16 and conf["middle"].fp == conf["inner"].fp == 0
    assert sum(c.total for c in conf.values()) == 128 * 128


def test_ring_counts_fall_in_ground_blocks_of_the_scene(geotiff):
    truth = np.zeros((128, 128), np.uint8)
    pred = truth.copy()
    pred[0:4, 10:20] = 1  # outer ring of the first tile
    pred[100:102, 70:72] = 1  # outer ring of the last tile (6 px from its left edge)
    mask, labels = geotiff("p.tif", pred, nodata=255), geotiff("t.tif", truth)
    counts = ring_counts(mask, labels, 64, block=64)
    assert counts.shape == (2, 2, 4, 4)
    assert counts[0, 0, 0, 1] == 40 and counts[1, 1, 0, 1] == 4 and counts[..., 1].sum() == 44
    assert counts.sum() == 128 * 128
    # The same mask laid 64 px down and 32 px right into a larger scene: other ground blocks.
    moved = ring_counts(mask, labels, 64, origin=(64, 32), block=64)
    assert moved.shape == (3, 3, 4, 4)
    assert moved[1, 0, 0, 1] == 40 and moved[2, 1, 0, 1] == 4 and moved[..., 1].sum() == 44
    only = ring_counts(mask, labels, 64, only=Window(0, 0, 64, 64))
    assert only.shape == (1, 1, 4, 4) and only[..., 1].sum() == 40 and only.sum() == 64 * 64


def _blocks(outer_fp: list[int]) -> np.ndarray:
    """Counts of blocks with a perfect core and ``outer_fp`` false alarms in the outer ring."""
    out = np.zeros((len(outer_fp), 4, 4), np.int64)
    out[:, :, 0] = 1000  # true positives in every ring
    out[:, :, 3] = 9000
    out[:, 0, 1] = outer_fp
    return out


def test_ring_bootstrap_draws_the_same_blocks_for_every_detector():
    varied = _blocks([0, 50, 400, 20, 300, 10])
    same = ring_bootstrap({"a": varied, "b": varied.copy()}, resamples=300)
    assert same["ground_blocks"] == 6 and same["resamples"] == 300
    assert same["drop_ratio"]["a / b"]["ci95"] == pytest.approx([1.0, 1.0])  # paired draws
    lo, hi = same["drop_ci95"]["a"]
    assert 0 < lo < hi  # blocks differ, so the drop varies between resamples
    assert same["drop_ratio"]["a / b"]["share_at_most_half"] == 0


def test_ring_bootstrap_ratio_of_drops():
    steady = ring_bootstrap({"a": _blocks([20] * 5), "b": _blocks([200] * 5)}, resamples=100)
    f1 = lambda fp: 2000 / (2000 + fp)  # noqa: E731
    expected = (1 - f1(20)) / (1 - f1(200))
    assert steady["drop_ratio"]["a / b"]["ci95"] == pytest.approx([expected, expected])
    assert steady["drop_ratio"]["a / b"]["share_at_most_half"] == 1.0
    assert steady["drop_ratio"]["a / b"]["share_without_a_drop"] == 0.0


def test_shifted_grids_show_every_ring_the_same_ground(tmp_path):
    from engine.lab.synthetic import generate

    generate("optical", tmp_path / "scene", size=768, seed=5)
    plain = ring_analysis([tmp_path / "scene"], {"cva": "cva"}, tmp_path, log=lambda m: None, shifts=1)["cva"]
    both = ring_analysis(
        [tmp_path / "scene"],
        {"cva": "cva", "again": "cva"},
        tmp_path,
        log=lambda m: None,
        shifts=4,
        bootstrap=50,
        block=128,
    )
    shifted = both["cva"]
    assert both["again"] == shifted  # the same detector, the same ground
    boot = both["bootstrap"]
    assert boot["block_px"] == 128 and boot["ground_blocks"] == 4  # the 256 px interior
    assert boot["drop_ci95"]["cva"] == boot["drop_ci95"]["again"]  # the same draws for both
    assert boot["drop_ci95"]["cva"][0] < shifted["f1"]["drop_core_minus_outer"] < boot["drop_ci95"]["cva"][1]
    assert plain["grid_offsets"] == 1 and shifted["grid_offsets"] == 16
    assert sum(plain["pixels"].values()) == 768**2
    assert sum(shifted["pixels"].values()) == 16 * 256**2  # the interior, once per grid
    plain_share, shifted_share = plain["true_change_fraction"], shifted["true_change_fraction"]
    assert max(plain_share.values()) > 2 * min(plain_share.values())  # one grid: other ground in the core
    assert max(shifted_share.values()) == pytest.approx(min(shifted_share.values()), rel=1e-9)  # the same
    assert min(shifted_share.values()) > 0


def test_degrading_keeps_the_grid_and_removes_detail(tmp_path, geotiff):
    rng = np.random.default_rng(0)
    img = (rng.random((3, 128, 128)) * 255).astype(np.uint8)
    src = geotiff("img.tif", img)
    out = degrade(src, 4, tmp_path / "x4.tif")
    with rasterio.open(out) as d, rasterio.open(src) as s:
        assert d.shape == s.shape and d.transform == s.transform and d.crs == s.crs
        assert d.read().astype(float).std() < 0.5 * s.read().astype(float).std()


def test_scale_analysis_reports_f1_per_factor(tmp_path):
    from engine.lab.synthetic import generate

    generate("optical", tmp_path / "scene", size=384, seed=3)
    result = scale_analysis([tmp_path / "scene"], {"cva": "cva"}, factors=(1, 4), log=lambda m: None)
    assert set(result["cva"]) == {"x1", "x4"} and all(0 <= v <= 1 for v in result["cva"].values())
    assert result["cva"]["x1"] != pytest.approx(result["cva"]["x4"])


def test_rings_command_writes_intervals(repo, tmp_path):
    from engine.lab.synthetic import generate

    generate("optical", tmp_path / "scene", size=512, seed=4)
    out = tmp_path / "rings.json"
    proc = subprocess.run(
        [sys.executable, "-m", "engine", "analysis", "rings", "--detector", "cva",
         "--detector", "again=cva", "--scenes", str(tmp_path / "scene"), "--shifts", "1",
         "--bootstrap", "40", "--block", "256", "--out", str(out)],
        capture_output=True, text=True, cwd=repo,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert set(result["results"]) == {"cva", "again"}
    boot = result["bootstrap"]
    assert boot["ground_blocks"] == 4 and boot["resamples"] == 40 and boot["block_px"] == 256
    assert boot["drop_ci95"]["cva"] == boot["drop_ci95"]["again"]
    assert "cva / again" in boot["drop_ratio"] and "drop ratio cva / again" in proc.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "engine", "analysis", "rings", "--detector", "cva",
         "--scenes", str(tmp_path / "scene"), "--block", "0"],
        capture_output=True, text=True, cwd=repo,
    )  # fmt: skip
    assert bad.returncode == 2 and "at least 1 px" in bad.stderr
