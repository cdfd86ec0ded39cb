"""Changes set against mining licences: inside, outside, or crossing a licence boundary."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import MineCDError

INSIDE, OUTSIDE, CROSSES = "inside_licence", "outside_licence", "crosses_boundary"
TOLERANCE = 0.01  # a change with more than 1 % of its area outside its licence crosses the boundary


@dataclass
class Licence:
    id: str
    geometry: object  # OGR geometry in the rasters' CRS
    ring: object  # the buffer zone around it, outside it
    attributes: dict = field(default_factory=dict)


def _ogr():
    from osgeo import ogr, osr

    return ogr, osr


def read_licences(path: str, crs_wkt: str, id_field: str | None, buffer_m: float, log) -> list[Licence]:
    """Licence polygons reprojected to ``crs_wkt``; invalid ones repaired (and said so)."""
    ogr, osr = _ogr()
    source = ogr.Open(str(path)) if os.path.exists(str(path)) else None
    if source is None or source.GetLayerCount() == 0:
        raise MineCDError(f"{path}: cannot read the licences as a vector layer")
    layer = source.GetLayer(0)
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    kinds = {defn.GetFieldDefn(i).GetName(): defn.GetFieldDefn(i).GetType() for i in range(len(names))}
    if id_field is None:
        usable = [n for n in names if kinds[n] in (ogr.OFTString, ogr.OFTInteger, ogr.OFTInteger64)]
        id_field = usable[0] if usable else None
    elif id_field not in names:
        raise MineCDError(f"{path}: no field '{id_field}' (fields: {', '.join(names) or 'none'})")
    target = osr.SpatialReference()
    target.ImportFromWkt(crs_wkt)
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    layer_srs = layer.GetSpatialRef()
    transform = None
    if layer_srs is not None:
        layer_srs = layer_srs.Clone()
        layer_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        if not layer_srs.IsSame(target):
            transform = osr.CoordinateTransformation(layer_srs, target)
    licences, repaired = [], []
    for i, feature in enumerate(layer):
        geometry = feature.GetGeometryRef()
        if geometry is None or geometry.IsEmpty():
            continue
        geometry = geometry.Clone()
        if transform is not None:
            geometry.Transform(transform)
        licence_id = str(feature.GetField(id_field)) if id_field else str(i + 1)
        if not geometry.IsValid():
            geometry = geometry.MakeValid()
            repaired.append(licence_id)
        if geometry is None or geometry.GetArea() <= 0:
            continue
        ring = geometry.Buffer(buffer_m).Difference(geometry) if buffer_m > 0 else None
        licences.append(Licence(licence_id, geometry, ring, {n: feature.GetField(n) for n in names}))
    if repaired:
        log(f"{path}: repaired invalid licence polygon(s) {', '.join(repaired[:10])} (make_valid)")
    if not licences:
        raise MineCDError(f"{path}: no licence polygon")
    return licences


def check_overlap(licences: list[Licence], bounds: tuple[float, float, float, float], path: str) -> None:
    ogr, _ = _ogr()
    x0, y0, x1, y1 = bounds
    box = ogr.CreateGeometryFromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))")
    if not any(licence.geometry.Intersects(box) for licence in licences):
        raise MineCDError(f"{path}: no licence overlaps the images")


def classify(change, licences: list[Licence]) -> dict:
    """Status, licence ids, and the change's area inside and outside every licence (m²)."""
    area = change.GetArea()
    touched, inside = [], 0.0
    for licence in licences:
        if not licence.geometry.Intersects(change):
            continue
        part = licence.geometry.Intersection(change)
        overlap = part.GetArea() if part is not None else 0.0
        if overlap > 0:
            touched.append(licence.id)
            inside += overlap
    inside = min(inside, area)
    if not touched:
        status = OUTSIDE
    elif area - inside > TOLERANCE * area:
        status = CROSSES
    else:
        status = INSIDE
    return {
        "status": status,
        "licence_id": ";".join(touched),
        "inside_m2": inside,
        "outside_m2": area - inside,
    }


def licence_areas(change, licences: list[Licence]) -> dict[str, tuple[float, float]]:
    """licence id -> (change area inside it, change area in its buffer zone), m²."""
    out = {}
    for licence in licences:
        inside = near = 0.0
        if licence.geometry.Intersects(change):
            part = licence.geometry.Intersection(change)
            inside = part.GetArea() if part is not None else 0.0
        if licence.ring is not None and licence.ring.Intersects(change):
            part = licence.ring.Intersection(change)
            near = part.GetArea() if part is not None else 0.0
        if inside or near:
            out[licence.id] = (inside, near)
    return out
