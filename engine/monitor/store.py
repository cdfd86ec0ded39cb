"""The monitoring record on disk besides its layers: the change-date raster and the layers' styles."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import numpy as np

from ..errors import MineCDError

NEVER, NODATA = 0, 255


def write_change_date(masks: list[str], out: Path, labels: list[str] | None = None) -> dict:
    """For each pixel the first period (1..K) whose mask says change; 0 never; 255 no data.

    The masks are read window by window on the grid of the first (later ones warped onto it when
    their grid differs)."""
    import rasterio
    from rasterio.vrt import WarpedVRT
    from rasterio.windows import Window

    counts = np.zeros(len(masks) + 1, dtype=np.int64)
    tmp = out.with_name(f".{out.stem}.{uuid.uuid4().hex[:8]}.part.tif")
    with rasterio.open(masks[0]) as first:
        profile = {
            "driver": "GTiff",
            "width": first.width,
            "height": first.height,
            "count": 1,
            "dtype": "uint8",
            "nodata": NODATA,
            "crs": first.crs,
            "transform": first.transform,
            "tiled": True,
            "blockxsize": 256,
            "blockysize": 256,
            "compress": "DEFLATE",
        }
        sources = []
        try:
            for path in masks:
                ds = rasterio.open(path)
                same = ds.crs == first.crs and ds.transform == first.transform and ds.shape == first.shape
                sources.append(
                    ds
                    if same
                    else WarpedVRT(
                        ds,
                        crs=first.crs,
                        transform=first.transform,
                        width=first.width,
                        height=first.height,
                        resampling=0,
                        nodata=NODATA,
                    )
                )
            with rasterio.open(tmp, "w", **profile) as dst:
                for row in range(0, first.height, 512):
                    for col in range(0, first.width, 512):
                        window = Window(col, row, min(512, first.width - col), min(512, first.height - row))
                        date = np.full((window.height, window.width), NODATA, np.uint8)
                        for period, ds in enumerate(sources, start=1):
                            mask = ds.read(1, window=window)
                            date[(date == NODATA) & (mask == 0)] = NEVER
                            date[((date == NODATA) | (date == NEVER)) & (mask == 1)] = period
                        counts += np.bincount(date[date != NODATA].ravel(), minlength=len(counts))[
                            : len(counts)
                        ]
                        dst.write(date, 1, window=window)
                labels = labels or [Path(m).stem for m in masks]
                dst.update_tags(1, **{f"PERIOD_{k}": label for k, label in enumerate(labels, start=1)})
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        finally:
            for ds in sources:
                ds.close()
    os.replace(tmp, out)
    return {
        "pixels_first_changed": {str(k): int(n) for k, n in enumerate(counts) if k},
        "never": int(counts[0]),
    }


STYLE_FIELDS = (
    ("f_table_catalog", "str"),
    ("f_table_schema", "str"),
    ("f_table_name", "str"),
    ("f_geometry_column", "str"),
    ("styleName", "str"),
    ("styleQML", "str"),
    ("styleSLD", "str"),
    ("useAsDefault", "bool"),
    ("description", "str"),
    ("owner", "str"),
    ("ui", "str"),
)


def store_styles(path: str | Path, styles: dict[str, str]) -> None:
    """Save QGIS styles (QML text per layer) in the GeoPackage's ``layer_styles`` table, as QGIS
    itself does: QGIS then opens each layer with its style, whatever opens the file."""
    from osgeo import ogr

    source = ogr.Open(str(path), 1)
    if source is None:
        raise MineCDError(f"{path}: cannot open the GeoPackage to store its styles")
    table = source.GetLayerByName("layer_styles")
    if table is None:
        table = source.CreateLayer("layer_styles", geom_type=ogr.wkbNone)
        for name, kind in STYLE_FIELDS:
            definition = ogr.FieldDefn(name, ogr.OFTInteger if kind == "bool" else ogr.OFTString)
            if kind == "bool":
                definition.SetSubType(ogr.OFSTBoolean)
            table.CreateField(definition)
        table.CreateField(ogr.FieldDefn("update_time", ogr.OFTDateTime))
    for layer_name, qml in styles.items():
        table.SetAttributeFilter(f"f_table_name = '{layer_name}'")
        for old in list(table):
            table.DeleteFeature(old.GetFID())
        table.SetAttributeFilter(None)
        geometry = source.GetLayerByName(layer_name).GetGeometryColumn() or "geom"
        feature = ogr.Feature(table.GetLayerDefn())
        values = {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": layer_name,
            "f_geometry_column": geometry,
            "styleName": f"MineCD {layer_name}",
            "styleQML": qml,
            "styleSLD": "",
            "useAsDefault": 1,
            "description": "MineCD",
            "owner": "",
            "ui": "",
        }
        for name, value in values.items():
            feature.SetField(name, value)
        table.CreateFeature(feature)
    source = None
