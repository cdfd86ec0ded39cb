"""Plan geometry as OGR polygons: rings, wedges, buffered lines, differences and unions."""

from __future__ import annotations

import json
import math

import numpy as np


def _ogr():
    from osgeo import ogr

    return ogr


def polygon(ring: list[list[float]]):
    ogr = _ogr()
    return ogr.CreateGeometryFromJson(json.dumps({"type": "Polygon", "coordinates": [ring]}))


def wedge(cx: float, cy: float, radius: float, direction: float, half_angle: float):
    theta = np.linspace(direction - half_angle, direction + half_angle, 24)
    pts = [[cx, cy]] + [[cx + radius * math.cos(t), cy + radius * math.sin(t)] for t in theta] + [[cx, cy]]
    return polygon(pts)


def buffered_line(points: list[list[float]], width: float):
    ogr = _ogr()
    line = ogr.CreateGeometryFromJson(json.dumps({"type": "LineString", "coordinates": points}))
    return line.Buffer(width / 2, 4)


def difference(a, b):
    if a is None or b is None or b.IsEmpty():
        return a
    out = a.Difference(b)
    return out if out is not None else a


def union(geoms):
    out = None
    for g in geoms:
        if g is None or g.IsEmpty():
            continue
        out = g.Clone() if out is None else out.Union(g)
    return out
