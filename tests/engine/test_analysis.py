"""The paper's analyses: rings of a tile and input scales."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio

from engine.analysis import RINGS, degrade, ring_analysis, ring_confusions, ring_index, scale_analysis


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


def test_shifted_grids_show_every_ring_the_same_ground(tmp_path):
    from engine.synthetic import generate

    generate("optical", tmp_path / "scene", size=768, seed=5)
    plain = ring_analysis([tmp_path / "scene"], {"cva": "cva"}, tmp_path, log=lambda m: None, shifts=1)["cva"]
    shifted = ring_analysis([tmp_path / "scene"], {"cva": "cva"}, tmp_path, log=lambda m: None, shifts=4)
    shifted = shifted["cva"]
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
    from engine.synthetic import generate

    generate("optical", tmp_path / "scene", size=384, seed=3)
    result = scale_analysis([tmp_path / "scene"], {"cva": "cva"}, factors=(1, 4), log=lambda m: None)
    assert set(result["cva"]) == {"x1", "x4"} and all(0 <= v <= 1 for v in result["cva"].values())
    assert result["cva"]["x1"] != pytest.approx(result["cva"]["x4"])
