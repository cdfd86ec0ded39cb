"""Opening, aligning and validity of input rasters, and their error messages."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers import ORIGIN, f1_score, read, smooth_field
from rasterio.transform import from_origin
from rasterio.warp import Resampling, calculate_default_transform, reproject

from engine.detect import detect_changes
from engine.errors import MineCDError
from engine.raster import InputStack, Window


def test_aligned_inputs_are_read_without_resampling(optical_pair):
    before, after, _ = optical_pair
    with InputStack({"before": before, "after": after}) as stack:
        assert stack.extent == Window(0, 0, 600, 500)
        assert not stack.source("after").resampled
        arrays, valid = stack.read(Window(10, 20, 64, 32))
    assert arrays["before"].shape == (3, 32, 64) and valid.all()
    np.testing.assert_array_equal(arrays["before"], rasterio.open(before).read(window=((20, 52), (10, 74))))


def test_whole_pixel_shift_and_crop_give_the_same_mask(tmp_path, optical_pair, geotiff):
    before, after, truth = optical_pair
    detect_changes(before, after, "cva", tmp_path / "aligned.tif")
    # The after raster cropped by 40 columns and 30 rows on the top-left, same pixel grid.
    data = rasterio.open(after).read()[:, 30:, 40:]
    shifted = geotiff("after_shifted.tif", data, origin=(ORIGIN[0] + 40, ORIGIN[1] - 30))
    summary = detect_changes(before, shifted, "cva", tmp_path / "shifted.tif")
    assert summary["resampled_inputs"] == []
    assert (summary["width"], summary["height"]) == (560, 470)
    aligned = read(tmp_path / "aligned.tif")[30:, 40:]
    agreement = np.mean(read(tmp_path / "shifted.tif") == aligned)
    assert agreement > 0.99  # thresholds are fitted on a slightly different extent


def test_reprojected_after_raster_gives_the_same_mask(tmp_path, optical_pair, geotiff):
    before, after, truth = optical_pair
    detect_changes(before, after, "cva", tmp_path / "aligned.tif")
    with rasterio.open(after) as src:
        dst_crs = "EPSG:32649"  # neighbouring UTM zone, rotated grid, 1.2 m pixels
        transform, width, height = calculate_default_transform(
            src.crs, dst_crs, src.width, src.height, *src.bounds, resolution=1.2
        )
        warped = np.zeros((3, height, width), dtype=np.float32)
        reproject(
            src.read().astype(np.float32),
            warped,
            src_transform=src.transform,
            src_crs=src.crs,
            dst_transform=transform,
            dst_crs=dst_crs,
            resampling=Resampling.bilinear,
            dst_nodata=np.nan,
        )
    reprojected = geotiff("after_utm49.tif", warped, crs=dst_crs, transform=transform, nodata=np.nan)
    summary = detect_changes(before, reprojected, "cva", tmp_path / "warped.tif")
    assert summary["resampled_inputs"] == ["after"]
    warped_mask, aligned_mask = read(tmp_path / "warped.tif"), read(tmp_path / "aligned.tif")
    interior = (slice(20, -20), slice(20, -20))
    both = warped_mask[interior] != 255
    assert both.mean() > 0.95
    assert np.mean(warped_mask[interior][both] == aligned_mask[interior][both]) > 0.98
    assert f1_score(warped_mask, truth) > 0.9


def test_nodata_alpha_and_nan_become_nodata_in_the_mask(tmp_path, geotiff):
    rng = np.random.default_rng(1)
    h, w = 300, 300
    img = (100 + 100 * smooth_field((h, w), rng)).astype(np.uint8)
    before = np.stack([img, img, img])
    before[:, :50, :] = 0  # nodata value
    alpha = np.full((h, w), 255, dtype=np.uint8)
    alpha[:, :40] = 0  # transparent in the after raster
    after = np.concatenate([np.stack([img, img, img]), alpha[None]])
    b = geotiff("b.tif", before, nodata=0)
    a = geotiff("a.tif", after, photometric="RGB", alpha="YES")
    mask = tmp_path / "mask.tif"
    detect_changes(b, a, "cva", mask)
    m = read(mask)
    assert (m[:50] == 255).all() and (m[:, :40] == 255).all()
    assert (m[60:, 50:] != 255).all()

    float_after = np.stack([img, img, img]).astype(np.float32)
    float_after[:, 200:220, 100:150] = np.nan
    f = geotiff("f.tif", float_after)
    detect_changes(b, f, "cva", mask)
    m = read(mask)
    assert (m[200:220, 100:150] == 255).all() and (m[230:, :] != 255).all()


def test_ungeoreferenced_rasters_of_equal_size_are_pixel_grids(tmp_path, geotiff):
    rng = np.random.default_rng(2)
    a = (20 + rng.random((3, 100, 120)) * 80).astype(np.uint8)
    b = a.copy()
    b[:, 20:60, 30:90] = 250
    summary = detect_changes(
        geotiff("a.tif", a, crs=None), geotiff("b.tif", b, crs=None), "cva", tmp_path / "m.tif"
    )
    assert summary["crs"] is None and summary["changed_area_m2"] is None
    assert read(tmp_path / "m.tif")[20:60, 30:90].mean() > 0.95


@pytest.fixture
def small(geotiff):
    rng = np.random.default_rng(3)
    return geotiff("small.tif", (rng.random((3, 64, 64)) * 200).astype(np.uint8))


def _error(excinfo) -> str:
    return str(excinfo.value)


def test_unreadable_file(tmp_path, small):
    junk = tmp_path / "junk.tif"
    junk.write_text("not a raster")
    with pytest.raises(MineCDError) as e:
        detect_changes(junk, small, "cva", tmp_path / "m.tif")
    assert "junk.tif: cannot read this file as a raster" in _error(e)
    with pytest.raises(MineCDError, match="missing.tif: file not found"):
        detect_changes(tmp_path / "missing.tif", small, "cva", tmp_path / "m.tif")


def test_no_overlap(tmp_path, small, geotiff):
    rng = np.random.default_rng(4)
    far = geotiff(
        "far.tif", (rng.random((3, 64, 64)) * 200).astype(np.uint8), origin=(600_000.0, 4_000_000.0)
    )
    with pytest.raises(MineCDError, match=r"far.tif: does not overlap .*small.tif"):
        detect_changes(small, far, "cva", tmp_path / "m.tif")


def test_ungeoreferenced_rasters_of_different_size(tmp_path, geotiff):
    a = geotiff("a.tif", np.ones((3, 64, 64), np.uint8), crs=None)
    b = geotiff("b.tif", np.ones((3, 64, 80), np.uint8), crs=None)
    with pytest.raises(
        MineCDError, match=r"b.tif: without georeferencing both rasters must have the same size"
    ):
        detect_changes(a, b, "cva", tmp_path / "m.tif")


def test_too_few_bands(tmp_path, small, geotiff):
    two = geotiff("two.tif", np.ones((2, 64, 64), np.uint8))
    with pytest.raises(MineCDError, match=r"small.tif: has 3 band\(s\), cannot read band 4"):
        detect_changes(small, small, "cva", tmp_path / "m.tif", bands=[4, 3, 2])
    with pytest.raises(MineCDError, match=r"two.tif: has 2 usable band\(s\) but .*small.tif has 3"):
        detect_changes(small, two, "cva", tmp_path / "m.tif")


def test_empty_aoi(tmp_path, small):
    with pytest.raises(MineCDError, match="AOI .*does not overlap"):
        detect_changes(small, small, "cva", tmp_path / "m.tif", aoi="0,0,10,10")
    with pytest.raises(MineCDError, match="AOI '1,2,3,': expected"):
        detect_changes(small, small, "cva", tmp_path / "m.tif", aoi="1,2,3,")


def test_output_not_writable(tmp_path, small):
    with pytest.raises(MineCDError, match=r"m.tif: output folder .*nope does not exist"):
        detect_changes(small, small, "cva", tmp_path / "nope" / "m.tif")
    with pytest.raises(MineCDError, match="is a folder, not an output file"):
        detect_changes(small, small, "cva", tmp_path)


def test_complex_sar_is_never_resampled(tmp_path, geotiff):
    rng = np.random.default_rng(5)
    slc = (rng.normal(size=(64, 64)) + 1j * rng.normal(size=(64, 64))).astype(np.complex64)
    a = geotiff("a.tif", slc)
    b = geotiff("b.tif", slc, transform=from_origin(ORIGIN[0] + 0.5, ORIGIN[1], 1.0, 1.0))
    with pytest.raises(MineCDError, match="b.tif: complex SAR data cannot be resampled"):
        detect_changes(a, b, "logratio", tmp_path / "m.tif")


def test_png_and_vrt_inputs(tmp_path, optical_pair):
    from osgeo import gdal

    before, after, truth = optical_pair
    vrt = tmp_path / "after.vrt"
    gdal.Translate(str(vrt), str(after), format="VRT")
    detect_changes(before, vrt, "cva", tmp_path / "vrt_mask.tif")
    assert f1_score(read(tmp_path / "vrt_mask.tif"), truth) > 0.9
    pngs = []
    for path in (before, after):
        png = tmp_path / (path.stem + ".png")
        gdal.Translate(str(png), str(path), format="PNG")
        pngs.append(png)
    summary = detect_changes(*pngs, "cva", tmp_path / "png_mask.tif")
    assert f1_score(read(tmp_path / "png_mask.tif"), truth) > 0.9
    assert summary["width"] == 600
