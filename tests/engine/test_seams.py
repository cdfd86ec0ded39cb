"""Seam-free output: blocks blended across their overlap join without a step; the metric itself."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio

from engine.detect import detect_changes
from engine.seams import seam_ratio


def _write(path, array):
    profile = dict(driver="GTiff", width=array.shape[1], height=array.shape[0], count=1, dtype="float32")
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(array.astype(np.float32), 1)
    return path


def test_the_seam_ratio_sees_steps_at_the_tile_borders_only(tmp_path):
    y, x = np.mgrid[0:300, 0:300]
    smooth = 0.5 + 0.2 * np.sin(x / 9.0) * np.cos(y / 11.0)
    assert seam_ratio(_write(tmp_path / "smooth.tif", smooth), 64) == pytest.approx(1, abs=0.2)
    steps = smooth + (np.arange(300)[None, :] // 64) * 0.05  # a jump at every 64th column
    assert seam_ratio(_write(tmp_path / "steps.tif", steps), 64) > 3
    assert seam_ratio(_write(tmp_path / "steps2.tif", steps), 64, offset=32) < 1.2  # not where it is


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    from engine.lab.synthetic import generate

    folder = tmp_path_factory.mktemp("seams") / "optical"
    generate("optical", folder, size=864, seed=77)
    return folder


def test_insinet_blocks_join_without_seams_by_default(scene, tmp_path):
    def ratio(**options):
        prob = tmp_path / "p.tif"
        s = detect_changes(scene / "before.tif", scene / "after.tif", "insinet-demo", tmp_path / "m.tif",
                           prob_out=prob, tile=288, **options)  # fmt: skip
        return seam_ratio(prob, s["tile"]), s

    blended, summary = ratio()
    assert summary["overlap"] == 48 and summary["context_scheme"] == "shared" and summary["tile"] == 288
    cropped, _ = ratio(overlap=0)  # blocks predicted on their own: a step at every border
    assert blended <= 1.5 and cropped > max(3.0, 3 * blended)
