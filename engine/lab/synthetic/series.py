"""A synthetic time series of one mining area: K dates, mining-licence polygons, true change per period.

The scene is planned once (``plan_scene``, as for a pair); its changes are spread over the K - 1
periods, and date d shows every change of the periods before it, each date with its own sun,
season, radiometry and sensor noise. Licences are the mines' leases, except that one mine has
none (its workings are unlicensed) and one licence hugs its pit, so that the pit's expansion
crosses the licence boundary. Writes ``images/YYYY-MM-DD.tif``, ``licences.gpkg`` and ``truth/``
(``period_K.tif`` and ``changes.gpkg`` with each change's period and licence status).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np

from ...errors import MineCDError
from ...raster import gdal_env
from .generate import BLOCK, _coords, _crop, _Outputs
from .plan import DateLook, plan_scene
from .world import block_transform, evaluate, hillshade

FIRST_YEAR = 2019


def series_dates(count: int) -> list[str]:
    """One acquisition a year, in July."""
    return [f"{FIRST_YEAR + i}-07-01" for i in range(count)]


def _look(seed: int, date: int, base: DateLook) -> DateLook:
    """How date ``date`` looks: a summer scene like the first, with its own sun and radiometry."""
    if date == 0:
        return base
    rng = np.random.default_rng([seed, 99, date])
    return DateLook(
        season=float(np.clip(base.season + rng.uniform(-0.15, 0.25), 0, 1)),
        sun_azimuth=base.sun_azimuth + float(rng.uniform(-25, 25)),
        sun_elevation=float(np.clip(base.sun_elevation + rng.uniform(-12, 8), 20, 75)),
        gains=[float(1 + g) for g in rng.uniform(-0.12, 0.12, 4)],
        offsets=[float(o) for o in rng.uniform(-0.02, 0.02, 4)],
        haze=float(rng.uniform(0.0, 0.05)),
    )


def _periods(plan, count: int) -> dict[int, int]:
    """Change id -> the period (1 .. count) in which it happens: spread evenly, mines interleaved."""
    ordered = sorted(plan.changes, key=lambda c: (c.type != "pit_expansion", c.id))
    return {c.id: 1 + i % count for i, c in enumerate(ordered)}


def _licences(plan) -> tuple[list, dict]:
    """(features, role per mine id): leases as polygons; one mine unlicensed, one licence tight."""
    from osgeo import ogr

    expanding = [c.mine for c in plan.changes if c.type == "pit_expansion"]
    mines = sorted(plan.mines, key=lambda m: m.id)
    tight = expanding[0] if expanding else None
    unlicensed = next((m.id for m in reversed(mines) if m.id != tight), None)
    roles, features = {}, []
    for i, mine in enumerate(mines):
        if mine.id == unlicensed:
            roles[mine.id] = "unlicensed"
            continue
        radius = mine.pit.radius * 1.02 if mine.id == tight else mine.lease
        roles[mine.id] = "tight" if mine.id == tight else "licensed"
        ring = [
            [mine.pit.cx + radius * math.cos(t), mine.pit.cy + radius * math.sin(t)]
            for t in np.linspace(0, 2 * math.pi, 65)
        ]
        ring[-1] = ring[0]
        geometry = ogr.CreateGeometryFromJson(json.dumps({"type": "Polygon", "coordinates": [ring]}))
        features.append(
            (
                json.loads(geometry.ExportToJson()),
                {"licence_id": f"ML-{2000 + i}", "holder": f"Mine {mine.id}"},
            )
        )
    return features, roles


def generate_series(
    out: str | os.PathLike,
    size: int = 2048,
    dates: int = 4,
    seed: int = 0,
    pixel_size: float = 1.0,
    progress=None,
) -> dict:
    """Render the series into ``out``; returns its description (also in ``out/series.json``)."""
    from ...progress import Progress
    from ...vector import write_polygons

    if dates < 2:
        raise MineCDError(f"a series needs at least 2 dates, not {dates}")
    report = Progress(progress)
    out = Path(out)
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    plan = plan_scene("optical", size, seed, pixel_size, mines=3, change_fraction=(0.05, 0.10))
    if len(plan.mines) < 2:
        raise MineCDError(f"{size} px of {pixel_size:g} m hold {len(plan.mines)} mine: use a larger scene")
    periods = _periods(plan, dates - 1)
    names = series_dates(dates)
    licences, roles = _licences(plan)
    with gdal_env():
        for d, name in enumerate(names):
            report.stage(d / dates, (d + 1) / dates, f"rendering {name}")
            done = [c for c in plan.changes if periods[c.id] <= d]
            at = replace(plan, changes=done, dates=[plan.dates[0], _look(seed, d, plan.dates[0])])
            _render_date(at, min(d, 1), out / "images", name, d)
        _write_truth(plan, periods, out / "truth", dates - 1)
    crs = plan.crs
    write_polygons(out / "licences.gpkg", licences, crs, {"licence_id": str, "holder": str}, "licences")
    features = [
        (c.geometry, {"id": c.id, "type": c.type, "mine": c.mine, "period": periods[c.id],
                      **_status(c.geometry, licences), "area_m2": round(c.area_m2, 1)})
        for c in plan.changes
    ]  # fmt: skip
    fields = {
        "id": int,
        "type": str,
        "mine": int,
        "period": int,
        "status": str,
        "licence_id": str,
        "area_m2": float,
    }
    write_polygons(out / "truth" / "changes.gpkg", features, crs, fields)
    described = {
        "seed": seed,
        "size": size,
        "pixel_size_m": pixel_size,
        "dates": names,
        "mines": {str(m): role for m, role in roles.items()},
        "changes": [
            {"id": c.id, "type": c.type, "mine": c.mine, "period": periods[c.id]} for c in plan.changes
        ],
    }
    (out / "series.json").write_text(json.dumps(described, indent=2) + "\n", encoding="utf-8")
    report.done()
    return described


def _status(geometry: dict, licences: list) -> dict:
    """Where a true change lies against the licences, by the rule monitoring applies."""
    from osgeo import ogr

    from ...monitor.overlay import Licence, classify

    shapes = [Licence(p["licence_id"], ogr.CreateGeometryFromJson(json.dumps(g)), None) for g, p in licences]
    found = classify(ogr.CreateGeometryFromJson(json.dumps(geometry)), shapes)
    return {"status": found["status"], "licence_id": found["licence_id"]}


def _render_date(plan, index: int, folder: Path, name: str, date: int) -> None:
    from rasterio.enums import ColorInterp

    from . import optical

    outputs = _Outputs(folder, plan)
    interp = [ColorInterp.red, ColorInterp.green, ColorInterp.blue, ColorInterp.undefined]
    outputs.add(
        name, 4, plan.dtype, nodata=0, descriptions=["red", "green", "blue", "nir"], colorinterp=interp
    )
    try:
        for row in range(0, plan.size, BLOCK):
            for col in range(0, plan.size, BLOCK):
                h, w = min(BLOCK, plan.size - row), min(BLOCK, plan.size - col)
                xs_h, ys_h = _coords(plan, row, col, h, w, halo=1)
                world = evaluate(plan, xs_h, ys_h, index)
                dem = world.dem
                _crop(world)
                xs, ys = xs_h[1:-1], ys_h[1:-1]
                look = plan.dates[index]
                shade = hillshade(dem, plan.pixel_size, look.sun_azimuth, look.sun_elevation)
                shade *= optical.building_shadows(plan, world, xs, ys, index)
                refl = optical.reflectance(plan, world, xs, ys, shade, index)
                key = (row // BLOCK, col // BLOCK, date)  # sensor noise of its own on every date
                outputs.write(name, optical.sensor(plan, refl, xs, ys, index, key), row, col)
        outputs.commit()
    except BaseException:
        outputs.abort()
        raise


def _write_truth(plan, periods: dict, folder: Path, count: int) -> None:
    from .world import _rasterize

    outputs = _Outputs(folder, plan)
    for k in range(1, count + 1):
        outputs.add(f"period_{k}", 1, "uint8", descriptions=[f"true change in period {k}"])
    try:
        for row in range(0, plan.size, BLOCK):
            for col in range(0, plan.size, BLOCK):
                h, w = min(BLOCK, plan.size - row), min(BLOCK, plan.size - col)
                xs_h, ys_h = _coords(plan, row, col, h, w, halo=1)
                xs, ys = xs_h[1:-1], ys_h[1:-1]
                transform = block_transform(plan, xs, ys)
                for k in range(1, count + 1):
                    labels = np.zeros((h, w), dtype=np.uint8)
                    for change in plan.changes:
                        if periods[change.id] == k and change.touches(xs, ys):
                            labels |= _rasterize([change.geometry], transform, (h, w)).astype(np.uint8)
                    outputs.write(f"period_{k}", labels, row, col)
        outputs.commit()
    except BaseException:
        outputs.abort()
        raise
