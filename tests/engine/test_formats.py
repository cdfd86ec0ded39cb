"""Rasters are read as what they show: paletted bands through their colour table, 8-bit BMP, PNG
and JPEG images and uint16 reflectance like any GeoTIFF."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers import read

from engine.detect import detect_changes
from engine.raster import InputStack


def _sar_like_pair(seed: int = 3, shape=(96, 112)):
    """Two speckled 8-bit amplitude images with a bright change in the after one."""
    rng = np.random.default_rng(seed)
    base = 60 + 40 * rng.random(shape)
    before = base * rng.gamma(4, 0.25, shape)
    after = base * rng.gamma(4, 0.25, shape)
    after[30:60, 40:80] *= 3.0
    return [np.clip(x, 1, 254).astype(np.uint8) for x in (before, after)]


def _paletted(tmp_path, name, index, colormap, driver="GTiff"):
    path = tmp_path / name
    with rasterio.open(
        path, "w", driver=driver, width=index.shape[1], height=index.shape[0], count=1, dtype="uint8"
    ) as ds:
        ds.write(index, 1)
        ds.write_colormap(1, colormap)
    return path


def _plain(tmp_path, name, data, driver="GTiff"):
    data = data if data.ndim == 3 else data[None]
    path = tmp_path / name
    with rasterio.open(
        path,
        "w",
        driver=driver,
        width=data.shape[2],
        height=data.shape[1],
        count=data.shape[0],
        dtype=data.dtype,
    ) as ds:
        ds.write(data)
    return path


def test_a_grey_palette_is_read_as_the_values_it_shows(tmp_path):
    before, after = _sar_like_pair()
    reverse = {i: (255 - i,) * 3 + (255,) for i in range(256)}  # index i shows grey 255 - i
    paletted = [
        _paletted(tmp_path, f"{r}_pal.tif", 255 - x, reverse) for r, x in (("b", before), ("a", after))
    ]
    applied = [_plain(tmp_path, f"{r}.tif", x) for r, x in (("b", before), ("a", after))]
    with InputStack({"before": paletted[0]}) as stack:
        arrays, valid = stack.read(stack.extent)
    assert arrays["before"].shape == (1, *before.shape) and valid.all()
    np.testing.assert_array_equal(arrays["before"][0], before)
    detect_changes(*paletted, "logratio", tmp_path / "pal_mask.tif")
    detect_changes(*applied, "logratio", tmp_path / "plain_mask.tif")
    np.testing.assert_array_equal(read(tmp_path / "pal_mask.tif"), read(tmp_path / "plain_mask.tif"))
    assert read(tmp_path / "plain_mask.tif")[35:55, 45:75].mean() > 0.9  # the change is found


def test_a_colour_palette_shows_red_green_blue_and_a_transparent_entry_is_no_data(tmp_path):
    rng = np.random.default_rng(5)
    colours = {
        i: (int(rng.integers(256)), int(rng.integers(256)), int(rng.integers(256)), 255) for i in range(16)
    }
    colours[15] = (0, 0, 0, 0)  # transparent
    index = rng.integers(0, 16, (40, 48)).astype(np.uint8)
    path = _paletted(tmp_path, "classes.png", index, colours, "PNG")  # PNG keeps palette alpha
    with InputStack({"before": path}) as stack:
        assert stack.source("before").bands == [1, 2, 3]
        arrays, valid = stack.read(stack.extent)
    table = np.array([colours[i] for i in range(16)], dtype=np.uint8)
    np.testing.assert_array_equal(np.moveaxis(arrays["before"], 0, -1)[valid], table[index][..., :3][valid])
    np.testing.assert_array_equal(valid, index != 15)


@pytest.mark.parametrize("driver, suffix", [("PNG", "png"), ("BMP", "bmp"), ("JPEG", "jpg")])
def test_8_bit_images_are_read_like_geotiffs(tmp_path, driver, suffix):
    before, after = _sar_like_pair(seed=9)
    files = [_plain(tmp_path, f"{r}.{suffix}", x, driver) for r, x in (("b", before), ("a", after))]
    with InputStack({"before": files[0]}) as stack:
        arrays, valid = stack.read(stack.extent)
        assert not stack.grid.georeferenced and valid.all()
    expected = rasterio.open(files[0]).read(1)  # what GDAL decodes (JPEG is lossy)
    np.testing.assert_array_equal(arrays["before"][0], expected)
    summary = detect_changes(*files, "logratio", tmp_path / f"{suffix}_mask.tif")
    assert "pixel grid only: no georeferencing, so areas are in pixels" in summary["messages"]
    assert read(tmp_path / f"{suffix}_mask.tif")[35:55, 45:75].mean() > 0.9


def test_uint16_reflectance_keeps_its_values(tmp_path):
    rng = np.random.default_rng(2)
    data = rng.integers(0, 10000, (4, 32, 40)).astype(np.uint16)
    path = _plain(tmp_path, "s2.tif", data)
    with InputStack({"before": path}) as stack:
        arrays, _ = stack.read(stack.extent)
    assert arrays["before"].dtype == np.uint16
    np.testing.assert_array_equal(arrays["before"], data)
