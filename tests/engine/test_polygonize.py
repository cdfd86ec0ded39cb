"""Change polygons from masks: one feature per region, areas, minimum mapping unit."""

from __future__ import annotations

import numpy as np
import pytest
from rasterio.transform import from_origin

from engine.detect import detect_changes
from engine.polygonize import polygonize
from engine.vector import read_polygons


def _fields(path):
    from osgeo import ogr

    source = ogr.Open(str(path))
    layer = source.GetLayer(0)
    return sorted((f.GetField("area_m2"), f.GetField("area_ha")) for f in layer)


def test_regions_areas_and_minimum_mapping_unit(tmp_path, geotiff):
    mask = np.zeros((100, 120), dtype=np.uint8)
    mask[10:30, 10:40] = 1  # 600 px
    mask[50:52, 50:53] = 1  # 6 px: below the mapping unit
    mask[60:80, 80:100] = 1
    mask[70:75, 100:105] = 1  # shares an edge with the previous block: one region of 425 px
    mask[0:5, :] = 255  # nodata never becomes a polygon
    path = geotiff("mask.tif", mask, res=2.0, nodata=255)  # 4 m² pixels
    result = polygonize(path, tmp_path / "p.gpkg", min_area_m2=100)
    assert result["polygons"] == 2 and result["dropped_below_mmu"] == 1
    areas = _fields(tmp_path / "p.gpkg")
    assert areas == [(425 * 4.0, pytest.approx(0.17)), (600 * 4.0, pytest.approx(0.24))]
    assert result["changed_area_m2"] == pytest.approx((600 + 425) * 4)
    assert len(read_polygons(tmp_path / "p.gpkg")) == 2


def test_areas_in_a_geographic_crs_use_an_equal_area_projection(tmp_path, geotiff):
    mask = np.zeros((50, 50), dtype=np.uint8)
    mask[10:20, 10:20] = 1
    # 0.0001 degree pixels at 40° N: about 11.1 m x 8.5 m
    path = geotiff("geo.tif", mask, crs="EPSG:4326", transform=from_origin(116.0, 40.0, 0.0001, 0.0001))
    area = polygonize(path, tmp_path / "g.gpkg")["changed_area_m2"]
    expected = 100 * (0.0001 * 111_320 * np.cos(np.radians(39.9985))) * (0.0001 * 110_574)
    assert area == pytest.approx(expected, rel=0.01)


def test_detection_writes_polygons_with_areas(tmp_path, optical_pair):
    before, after, truth = optical_pair
    summary = detect_changes(
        before, after, "cva", tmp_path / "m.tif", polygons_out=tmp_path / "c.gpkg", min_area_m2=50
    )
    assert summary["polygon_count"] >= 1 and (tmp_path / "c.gpkg").exists()
    total = sum(a for a, _ in _fields(tmp_path / "c.gpkg"))
    assert total == pytest.approx(truth.sum(), rel=0.1)
