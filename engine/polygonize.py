"""Change polygons from a mask: one feature per connected change region, with its area.

GDAL's Polygonize reads the mask scanline by scanline, so memory does not depend on the scene
size. Regions smaller than a minimum mapping unit (m²) are dropped. Areas are planar in the
mask's CRS when it is projected, and computed in an equal-area projection (EPSG:6933) when the
CRS is geographic.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from .errors import MineCDError

FIELDS = ("id", "area_m2", "area_ha")


def _change_only_vrt(mask: Path, src, folder: Path) -> Path:
    """A VRT of the mask where change (1) stays 1 and everything else becomes nodata 0."""
    from xml.sax.saxutils import escape

    vrt = folder / f".{mask.stem}.{uuid.uuid4().hex[:8]}.change.vrt"
    geo = ", ".join(repr(v) for v in src.GetGeoTransform())
    srs = f"<SRS>{escape(src.GetProjection())}</SRS>" if src.GetProjection() else ""
    vrt.write_text(
        f"""<VRTDataset rasterXSize="{src.RasterXSize}" rasterYSize="{src.RasterYSize}">
  {srs}
  <GeoTransform>{geo}</GeoTransform>
  <VRTRasterBand dataType="Byte" band="1">
    <NoDataValue>0</NoDataValue>
    <ComplexSource>
      <SourceFilename relativeToVRT="0">{mask.resolve()}</SourceFilename>
      <SourceBand>1</SourceBand>
      <LUT>0:0,1:1,2:0,254:0,255:0</LUT>
    </ComplexSource>
  </VRTRasterBand>
</VRTDataset>
"""
    )
    return vrt


def polygonize(
    mask: str | os.PathLike, out: str | os.PathLike, min_area_m2: float = 0.0, progress=None
) -> dict:
    """Write the change regions of ``mask`` (value 1) as polygons with ``area_m2`` and ``area_ha``."""
    from osgeo import gdal, ogr, osr

    from .writer import check_writable

    mask, out = Path(mask), check_writable(out)
    src = gdal.Open(str(mask)) if mask.exists() else None
    if src is None:
        raise MineCDError(f"{mask}: cannot read this file as a raster")
    geo_transform, wkt = src.GetGeoTransform(), src.GetProjection()
    vrt = _change_only_vrt(mask, src, out.parent)
    tmp = out.with_name(f".{out.stem}.{uuid.uuid4().hex[:8]}.part{out.suffix or '.gpkg'}")
    srs = None
    if wkt:
        srs = osr.SpatialReference()
        srs.ImportFromWkt(wkt)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    driver = ogr.GetDriverByName("GPKG" if out.suffix.lower() in (".gpkg", "") else "ESRI Shapefile")
    try:
        change = gdal.Open(str(vrt))
        band = change.GetRasterBand(1)
        target = driver.CreateDataSource(str(tmp))
        if target is None:
            raise MineCDError(f"{out}: cannot create the file")
        layer = target.CreateLayer("changes", srs, ogr.wkbPolygon)
        layer.CreateField(ogr.FieldDefn("id", ogr.OFTInteger64))
        layer.CreateField(ogr.FieldDefn("area_m2", ogr.OFTReal))
        layer.CreateField(ogr.FieldDefn("area_ha", ogr.OFTReal))

        def callback(fraction, message, data):
            if progress:
                progress(0.8 * fraction, "tracing change regions")
            return 1

        layer.StartTransaction()
        if gdal.Polygonize(band, band.GetMaskBand(), layer, 0, ["8CONNECTED=8"], callback=callback) != 0:
            raise MineCDError(f"{mask}: polygonising failed")
        layer.CommitTransaction()
        to_equal_area = None
        if srs is not None and srs.IsGeographic():
            equal_area = osr.SpatialReference()
            equal_area.ImportFromEPSG(6933)
            equal_area.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            to_equal_area = osr.CoordinateTransformation(srs, equal_area)
        unit = srs.GetLinearUnits() if srs is not None and srs.IsProjected() else 1.0
        kept, total, dropped = 0, 0.0, 0
        layer.StartTransaction()
        layer.ResetReading()
        for feature in list(layer):
            geom = feature.GetGeometryRef()
            if to_equal_area is not None:
                geom = geom.Clone()
                geom.Transform(to_equal_area)
            area = geom.GetArea() * (unit * unit if to_equal_area is None else 1.0)
            if area < min_area_m2:
                layer.DeleteFeature(feature.GetFID())
                dropped += 1
                continue
            kept += 1
            total += area
            feature.SetField("id", kept)
            feature.SetField("area_m2", round(area, 2))
            feature.SetField("area_ha", round(area / 1e4, 6))
            layer.SetFeature(feature)
        layer.CommitTransaction()
        layer = None
        target = None
        change = None
        os.replace(tmp, out)
    except BaseException:
        for leftover in (tmp,):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        vrt.unlink(missing_ok=True)
        src = None
    if progress:
        progress(1.0, "done")
    return {
        "polygons": kept,
        "dropped_below_mmu": dropped,
        "changed_area_m2": round(total, 2),
        "changed_area_ha": round(total / 1e4, 6),
        "min_area_m2": min_area_m2,
        "path": str(out),
        "georeferenced": bool(wkt),
        "pixel_size": abs(geo_transform[1]),
    }
