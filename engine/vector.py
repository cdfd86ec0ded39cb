"""Polygon I/O through OGR (GDAL's vector library, shipped with QGIS and rasterio's GDAL).

Geometries travel through the engine as GeoJSON-like dicts in the raster's CRS.
``ogr.UseExceptions()`` is deliberately not called: it would change GDAL's behaviour for the
whole QGIS process. Return values are checked instead.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from .errors import MineCDError

POLYGON_TYPES = {"Polygon", "MultiPolygon"}


def _ogr():
    from osgeo import ogr, osr

    return ogr, osr


def _srs(crs: str | None):
    """An OGR spatial reference from WKT or any text GDAL understands (EPSG:32650, ...)."""
    if not crs:
        return None
    _, osr = _ogr()
    srs = osr.SpatialReference()
    if srs.SetFromUserInput(crs) != 0:
        raise MineCDError(f"cannot understand the coordinate reference system {crs[:80]!r}")
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def read_polygons(
    path: str | os.PathLike, crs_wkt: str | None = None, where: str | None = None
) -> list[dict]:
    """All polygon geometries of the first layer of ``path``, reprojected to ``crs_wkt``.

    Raises MineCDError naming the file when it cannot be read or holds no polygon.
    """
    ogr, osr = _ogr()
    path = str(path)
    source = ogr.Open(path) if os.path.exists(path) else None
    if source is None or source.GetLayerCount() == 0:
        raise MineCDError(f"{path}: cannot read this file as a vector layer")
    layer = source.GetLayer(0)
    if where:
        layer.SetAttributeFilter(where)
    transform = None
    target = _srs(crs_wkt)
    layer_srs = layer.GetSpatialRef()
    if target is not None and layer_srs is not None:
        layer_srs = layer_srs.Clone()
        layer_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        if not layer_srs.IsSame(target):
            transform = osr.CoordinateTransformation(layer_srs, target)
    geometries = []
    for feature in layer:
        geom = feature.GetGeometryRef()
        if geom is None or geom.IsEmpty():
            continue
        geom = geom.Clone()
        if transform is not None and geom.Transform(transform) != 0:
            raise MineCDError(f"{path}: cannot reproject the polygons to the raster's CRS")
        shape = json.loads(geom.ExportToJson())
        if shape["type"] in POLYGON_TYPES:
            geometries.append(shape)
        elif shape["type"] == "GeometryCollection":
            geometries.extend(g for g in shape["geometries"] if g["type"] in POLYGON_TYPES)
    if not geometries:
        raise MineCDError(f"{path}: contains no polygon")
    return geometries


def bounds_of(geometries: Iterable[dict]) -> tuple[float, float, float, float]:
    xs, ys = [], []

    def walk(coords):
        if isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for geom in geometries:
        walk(geom["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)


def write_polygons(
    path: str | os.PathLike,
    features: Iterable[tuple[dict, dict]],
    crs_wkt: str | None,
    fields: dict[str, type],
    layer_name: str = "changes",
) -> int:
    """Write (geometry, properties) pairs as a MultiPolygon layer; atomic (temp file + rename).

    ``fields`` maps a field name to int, float or str. Returns the number of features written.
    """
    return write_layers(path, crs_wkt, [(layer_name, fields, features, True)])[0]


def write_layers(path: str | os.PathLike, crs_wkt: str | None, layers: list[tuple]) -> list[int]:
    """Several layers in one file (a GeoPackage): ``(name, fields, features, spatial)`` each, a
    feature ``(geometry, properties)`` with a GeoJSON-like dict or an OGR geometry; a layer that
    is not ``spatial`` is a plain table (geometry None). Atomic: temp file + rename.
    Returns the number of features written per layer."""
    ogr, _ = _ogr()
    path = Path(path)
    driver = ogr.GetDriverByName(_driver_for(path))
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    source = driver.CreateDataSource(str(tmp))
    if source is None:
        raise MineCDError(f"{path}: cannot create the file (is the folder writable?)")
    counts = []
    srs = _srs(crs_wkt)
    ogr_types = {int: ogr.OFTInteger64, float: ogr.OFTReal, str: ogr.OFTString}
    try:
        for name, fields, features, spatial in layers:
            layer = source.CreateLayer(
                name, srs if spatial else None, ogr.wkbMultiPolygon if spatial else ogr.wkbNone
            )
            for field, kind in fields.items():
                layer.CreateField(ogr.FieldDefn(field, ogr_types[kind]))
            defn = layer.GetLayerDefn()
            layer.StartTransaction()
            count = 0
            for geometry, properties in features:
                feature = ogr.Feature(defn)
                if geometry is not None:
                    geom = (
                        ogr.CreateGeometryFromJson(json.dumps(geometry))
                        if isinstance(geometry, dict)
                        else geometry
                    )
                    feature.SetGeometry(ogr.ForceToMultiPolygon(geom.Clone()))
                for field, value in properties.items():
                    if value is not None:
                        feature.SetField(field, value)
                layer.CreateFeature(feature)
                count += 1
            layer.CommitTransaction()
            counts.append(count)
    except BaseException:
        source = None
        _remove(tmp)
        raise
    source = None  # closes and flushes the file
    os.replace(tmp, path)
    return counts


def _driver_for(path: Path) -> str:
    return {".shp": "ESRI Shapefile", ".geojson": "GeoJSON", ".json": "GeoJSON"}.get(
        path.suffix.lower(), "GPKG"
    )


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def parse_bbox(text: str) -> tuple[tuple[float, float, float, float], str | None]:
    """Parse ``"xmin,ymin,xmax,ymax"``, optionally followed by ``[CRS]`` (e.g. ``[EPSG:32650]``).

    Returns (bounds, crs or None); None means the raster's CRS.
    """
    crs = None
    body = text.strip()
    if body.endswith("]") and "[" in body:
        body, crs = body[:-1].split("[", 1)
        crs = crs.strip()
    try:
        values = [float(v) for v in body.replace(" ", "").split(",") if v]
    except ValueError:
        values = []
    if len(values) != 4 or values[0] >= values[2] or values[1] >= values[3]:
        raise MineCDError(f"AOI '{text}': expected 'xmin,ymin,xmax,ymax' with xmin < xmax and ymin < ymax")
    return (values[0], values[1], values[2], values[3]), crs
