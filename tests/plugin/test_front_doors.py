"""What every front door of the plugin shares: engine error texts, layer files, AOI texts, sidecars."""

from __future__ import annotations

import numpy as np
import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsRasterLayer, QgsRectangle, QgsVectorLayer


@pytest.fixture
def geotiff(tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    path = tmp_path / "mask.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=32,
        height=32,
        count=1,
        dtype="uint8",
        crs="EPSG:32650",
        transform=from_origin(500000, 4000000, 1, 1),
    ) as ds:
        ds.write(np.eye(32, dtype=np.uint8)[None])
    return path


def test_engine_errors_have_one_message_each(minecd):
    from minecd.engine.errors import Cancelled, MineCDError
    from minecd.plugin.errors import engine_error_message

    assert (
        engine_error_message(MineCDError("before.tif: cannot read band 9"))
        == "before.tif: cannot read band 9"
    )
    assert engine_error_message(Cancelled()) == "Cancelled: no output was written."
    missing = engine_error_message(ImportError("no torch", name="torch"))
    assert "missing (torch)" in missing and "MineCD panel" in missing
    assert engine_error_message(ValueError("a bug")) is None


def test_layer_file_and_aoi_text(minecd, geotiff, tmp_path):
    from minecd.plugin.layers import layer_file, rect_aoi_text

    assert layer_file(QgsRasterLayer(str(geotiff), "m")) == str(geotiff)
    gpkg = tmp_path / "zone.gpkg"
    memory = QgsVectorLayer("Polygon?crs=EPSG:32650", "zone", "memory")
    from osgeo import ogr, osr

    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    source.CreateLayer("zone", osr.SpatialReference(), ogr.wkbPolygon)
    source = None  # written
    polygons = QgsVectorLayer(f"{gpkg}|layername=zone", "zone", "ogr")
    assert polygons.isValid() and layer_file(polygons) == str(gpkg)
    assert layer_file(memory) is None

    rect = QgsRectangle(1, 2, 3.5, 4)
    assert rect_aoi_text(rect, QgsCoordinateReferenceSystem("EPSG:32650")) == "1.0,2.0,3.5,4.0 [EPSG:32650]"
    assert rect_aoi_text(rect, QgsCoordinateReferenceSystem()) == "1.0,2.0,3.5,4.0"


def test_write_sidecar_saves_the_given_layers_style(minecd, geotiff):
    from minecd.plugin.styling import style_mask, write_sidecar

    layer = QgsRasterLayer(str(geotiff), "Change mask")
    style_mask(layer)
    layer.renderer().setOpacity(0.5)  # a touch of its own: the sidecar must keep it, not restyle
    qml = write_sidecar(geotiff, "mask", layer)
    assert qml == geotiff.with_suffix(".qml") and qml.exists()
    again = QgsRasterLayer(str(geotiff), "again")  # picks up the sidecar
    assert again.renderer().opacity() == pytest.approx(0.5)

    qml.unlink()
    assert write_sidecar(geotiff, "mask") == qml  # without a layer the file is styled here
    assert QgsRasterLayer(str(geotiff), "fresh").renderer().opacity() == pytest.approx(1.0)
    assert write_sidecar(geotiff.with_name("missing.tif"), "mask") is None
