"""``monitor``: detection on each consecutive pair of a series, set against mining licences."""

from __future__ import annotations

import json
import time
from pathlib import Path

from .. import __version__
from ..errors import MineCDError
from ..progress import CancelToken, Progress
from ..vector import write_layers
from . import overlay
from .inputs import series
from .report import write_report
from .store import write_change_date

NEARBY_FLAG_M2 = 100.0  # changed area near a licence that flags it (or the minimum area, if larger)
CHANGE_FIELDS = {
    "period": int,
    "date_from": str,
    "date_to": str,
    "licence_id": str,
    "status": str,
    "area_m2": float,
    "area_ha": float,
    "inside_m2": float,
    "outside_m2": float,
    "mean_probability": float,
    "x": float,
    "y": float,
}


def monitor(
    images: list[str],
    licences: str,
    detector: str,
    out: str | Path,
    dates: list[str] | None = None,
    licence_field: str | None = None,
    buffer_m: float = 100.0,
    min_area_m2: float = 0.0,
    bands: list[int] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    first_last: bool = False,
    progress=None,
    cancel: CancelToken | None = None,
    log=None,
) -> dict:
    """Detect on every consecutive pair into ``out/periods/``, then write ``out/monitor.gpkg``
    (layers changes, licences, periods), ``out/change_date.tif``, ``out/report.html`` (+ ``report/``)
    and ``out/monitor.json``. ``first_last``: also the whole span, first image to last (period 0:
    slow change that no single period shows)."""
    from ..detect import detect_changes

    started = time.perf_counter()
    report = Progress(progress, cancel, log)
    if buffer_m < 0:
        raise MineCDError(f"buffer {buffer_m}: must be 0 or more metres")
    images = series(images, dates)
    out = Path(out)
    try:
        (out / "periods").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MineCDError(f"{out}: cannot create the output folder ({exc.strerror})") from None
    pairs = [(k, a, b) for k, (a, b) in enumerate(zip(images, images[1:]), start=1)]
    if first_last and len(images) > 2:
        pairs.append((0, images[0], images[-1]))
    periods, detect_seconds = [], 0.0
    for i, (k, earlier, later) in enumerate(pairs):
        label = f"period {k}/{len(images) - 1}" if k else "first to last"
        report.stage(i / len(pairs) * 0.9, (i + 1) / len(pairs) * 0.9, label)
        stem = out / "periods" / f"{k:02d}_{earlier.date}_{later.date}"
        summary = detect_changes(
            earlier.path,
            later.path,
            detector,
            f"{stem}_mask.tif",
            prob_out=f"{stem}_probability.tif",
            polygons_out=f"{stem}_changes.gpkg",
            min_area_m2=min_area_m2,
            bands=bands,
            scheduler=scheduler,
            workers=workers,
            progress=lambda f, m: report.update(f, m),
            cancel=report.cancel,
        )
        detect_seconds += summary["runtime_s"]
        periods.append(
            {
                "period": k,
                "date_from": str(earlier.date),
                "date_to": str(later.date),
                "stem": str(stem),
                "summary": summary,
            }
        )
    report.stage(0.9, 1.0, "licences")
    overlay_started = time.perf_counter()
    record, shapes = _record(periods, licences, licence_field, buffer_m, min_area_m2, out, report)
    consecutive = [p for p in periods if p["period"]]
    masks = [f"{p['stem']}_mask.tif" for p in consecutive]
    labels = [f"{p['date_from']} → {p['date_to']}" for p in consecutive]
    record["change_date"] = write_change_date(masks, out / "change_date.tif", labels)
    overlay_seconds = time.perf_counter() - overlay_started
    result = {
        "minecd_version": __version__,
        "detector": detector,
        "images": [{"path": i.path, "date": str(i.date)} for i in images],
        "licences": str(licences),
        "buffer_m": buffer_m,
        **record,
        "geopackage": str(out / "monitor.gpkg"),
        "change_date_raster": str(out / "change_date.tif"),
        "detection_s": round(detect_seconds, 3),
    }
    report_started = time.perf_counter()
    result["report"] = str(write_report(out, result, shapes, consecutive, images))
    result["overlay_s"] = round(overlay_seconds, 3)
    result["report_s"] = round(time.perf_counter() - report_started, 3)
    result["monitoring_s"] = round(overlay_seconds + result["report_s"], 3)
    result["runtime_s"] = round(time.perf_counter() - started, 3)
    (out / "monitor.json").write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    report.done()
    return result


def _record(periods: list[dict], licences_path: str, licence_field, buffer_m, min_area_m2, out: Path, report):
    import rasterio
    from osgeo import ogr

    with rasterio.open(f"{periods[0]['stem']}_mask.tif") as ds:
        crs_wkt, bounds = ds.crs.to_wkt(), tuple(ds.bounds)
    licences = overlay.read_licences(licences_path, crs_wkt, licence_field, buffer_m, report.info)
    overlay.check_overlap(licences, bounds, licences_path)
    changes, period_rows = [], []
    per_licence = {lic.id: {} for lic in licences}
    flagged = {lic.id: set() for lic in licences}
    outside = []
    for p in periods:
        k = p["period"]
        totals = {"inside": 0.0, "outside": 0.0, "crossing": 0, "unlicensed": 0, "changes": 0}
        source = ogr.Open(f"{p['stem']}_changes.gpkg")
        layer = source.GetLayer(0)
        with rasterio.open(f"{p['stem']}_probability.tif") as prob:
            for feature in layer:
                geometry = feature.GetGeometryRef().Clone()
                found = overlay.classify(geometry, licences)
                for licence_id, (inside, near) in overlay.licence_areas(geometry, licences).items():
                    if found["status"] == overlay.INSIDE:
                        near = 0.0  # within the tolerance: its rim is not activity outside
                    sums = per_licence[licence_id].setdefault(k, [0.0, 0.0])
                    sums[0] += inside
                    sums[1] += near
                area = geometry.GetArea()
                centre = geometry.Centroid()
                row = {
                    "period": k,
                    "date_from": p["date_from"],
                    "date_to": p["date_to"],
                    **found,
                    "area_m2": round(area, 1),
                    "area_ha": round(area / 1e4, 4),
                    "inside_m2": round(found["inside_m2"], 1),
                    "outside_m2": round(found["outside_m2"], 1),
                    "mean_probability": _mean_probability(prob, geometry),
                    "x": centre.GetX(),
                    "y": centre.GetY(),
                }
                changes.append((geometry, row))
                totals["changes"] += 1
                totals["inside"] += found["inside_m2"]
                totals["outside"] += found["outside_m2"]
                if found["status"] == overlay.CROSSES:
                    totals["crossing"] += 1
                    for licence_id in found["licence_id"].split(";"):
                        flagged[licence_id].add("crosses_boundary")
                elif found["status"] == overlay.OUTSIDE:
                    totals["unlicensed"] += 1
                    if k:  # the whole span's would repeat the periods'
                        outside.append({k2: row[k2] for k2 in ("period", "area_m2", "area_ha", "x", "y")})
        source = None
        period_rows.append(
            (
                None,
                {
                    "period": k,
                    "date_from": p["date_from"],
                    "date_to": p["date_to"],
                    "changed_ha": round((totals["inside"] + totals["outside"]) / 1e4, 4),
                    "inside_ha": round(totals["inside"] / 1e4, 4),
                    "outside_ha": round(totals["outside"] / 1e4, 4),
                    "changes": totals["changes"],
                    "crossing_changes": totals["crossing"],
                    "unlicensed_changes": totals["unlicensed"],
                },
            )
        )
    licence_rows, licence_fields = _licence_rows(
        licences, periods, per_licence, flagged, buffer_m, min_area_m2
    )
    period_fields = {
        "period": int,
        "date_from": str,
        "date_to": str,
        "changed_ha": float,
        "inside_ha": float,
        "outside_ha": float,
        "changes": int,
        "crossing_changes": int,
        "unlicensed_changes": int,
    }
    write_layers(
        out / "monitor.gpkg",
        crs_wkt,
        [
            ("changes", CHANGE_FIELDS, changes, True),
            ("licences", licence_fields, licence_rows, True),
            ("periods", period_fields, period_rows, False),
        ],
    )
    record = {
        "periods": [row for _, row in period_rows if row["period"]],
        "span": next((row for _, row in period_rows if not row["period"]), None),
        "licences_table": [row for _, row in licence_rows],
        "changes_outside_licences": outside,
    }
    return record, licences


def _licence_rows(licences, periods, per_licence, flagged, buffer_m, min_area_m2):
    fields = {"licence_id": str}
    for p in periods:
        fields[f"{_column(p)}_inside_ha"] = float
        fields[f"{_column(p)}_nearby_ha"] = float
    fields.update(total_inside_ha=float, total_nearby_ha=float, flags=str)
    rows = []
    for licence in licences:
        values = {"licence_id": licence.id}
        inside_total = near_total = 0.0
        for p in periods:
            inside, near = per_licence[licence.id].get(p["period"], (0.0, 0.0))
            values[f"{_column(p)}_inside_ha"] = round(inside / 1e4, 4)
            values[f"{_column(p)}_nearby_ha"] = round(near / 1e4, 4)
            if p["period"]:  # the whole span repeats the periods: not added to the totals
                inside_total, near_total = inside_total + inside, near_total + near
        flags = set(flagged[licence.id])
        if near_total >= max(min_area_m2, NEARBY_FLAG_M2) and buffer_m > 0:
            flags.add(f"changes_within_{buffer_m:g}m_outside")
        values.update(
            total_inside_ha=round(inside_total / 1e4, 4),
            total_nearby_ha=round(near_total / 1e4, 4),
            flags=",".join(sorted(flags)),
        )
        rows.append((licence.geometry, values))
    return rows, fields


def _column(period: dict) -> str:
    return f"p{period['period']}" if period["period"] else "span"


def _mean_probability(dataset, geometry) -> float | None:
    """Mean change probability of the pixels inside ``geometry``."""
    from rasterio.features import geometry_mask
    from rasterio.windows import Window, from_bounds

    x0, x1, y0, y1 = geometry.GetEnvelope()
    window = from_bounds(x0, y0, x1, y1, dataset.transform).round_offsets().round_lengths()
    window = window.intersection(Window(0, 0, dataset.width, dataset.height))
    values = dataset.read(1, window=window)
    inside = ~geometry_mask(
        [json.loads(geometry.ExportToJson())], values.shape, dataset.window_transform(window)
    )
    valid = inside & (values >= 0)
    return round(float(values[valid].mean()), 4) if valid.any() else None
