"""The offline monitoring report: report.html with a map per period, areas per period, tables."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np

from ..quicklook import db_image, read_decimated, stretch

CHANGE, LICENCE, NEARBY = (0.92, 0.12, 0.10), (255, 210, 31), (79, 195, 247)
MAP_SIDE = 768  # pixels of a report map's longer side (shown at about 360 px)
DATE_COLOURS = ["#f4d03f", "#e67e22", "#c0392b", "#8e44ad", "#2e86c1", "#17a589", "#7f8c8d"]


def _background(path: str) -> tuple[np.ndarray, object, int]:
    import rasterio

    with rasterio.open(path) as ds:
        transform, width = ds.transform, ds.width
    data = read_decimated(Path(path), max_side=MAP_SIDE)
    factor = max(1, round(width / data.shape[2]))
    if np.iscomplexobj(data):
        image = np.repeat(db_image(data[0])[..., None], 3, axis=2)
    elif data.shape[0] >= 3:
        image = stretch(data[:3])
    else:
        image = np.repeat(stretch(np.repeat(data[:1], 3, axis=0))[..., :1], 3, axis=2)
    return image, transform, factor


def _pixels(ring, transform, factor) -> list[tuple[float, float]]:
    inverse = ~transform
    return [tuple(c / factor for c in inverse * (x, y)) for x, y in ring]


def _rings(geometry):
    data = json.loads(geometry.ExportToJson())
    polygons = data["coordinates"] if data["type"] == "MultiPolygon" else [data["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def _picture(array: np.ndarray):
    from PIL import Image

    return Image.fromarray((np.clip(array, 0, 1) * 255).astype(np.uint8))


def period_map(image_path: str, mask_path: str, licences, buffer_m: float, out: Path) -> Path:
    """The later image, the period's change in red, licences in yellow, their buffer zone in blue."""
    from PIL import ImageDraw

    image, transform, factor = _background(image_path)
    mask = read_decimated(Path(mask_path), [1], MAP_SIDE)[0]
    rows = np.arange(image.shape[0]) * mask.shape[0] // image.shape[0]  # the mask onto the image's pixels
    cols = np.arange(image.shape[1]) * mask.shape[1] // image.shape[1]
    mask = mask[rows[:, None], cols[None, :]]
    shown = image.copy()
    shown[mask == 1] = 0.35 * shown[mask == 1] + 0.65 * np.array(CHANGE)
    picture = _picture(shown)
    draw = ImageDraw.Draw(picture)
    for licence in licences:
        if buffer_m > 0:
            for ring in _rings(licence.geometry.Buffer(buffer_m)):
                draw.line(_pixels(ring, transform, factor), fill=NEARBY, width=1)
        for ring in _rings(licence.geometry):
            draw.line(_pixels(ring, transform, factor), fill=LICENCE, width=3)
    picture.save(out, compress_level=1)
    return out


def area_chart(periods: list[dict]) -> str:
    """Changed area per period, inside and outside licences, as inline SVG (no plotting library)."""
    width, height, left, bottom = 640, 260, 56, 46
    top = max([p["inside_ha"] + p["outside_ha"] for p in periods] + [1e-9]) * 1.1
    step = (width - left - 20) / len(periods)
    scale = (height - bottom - 16) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-size="11">']
    for i in range(5):
        value = top * i / 4
        y = height - bottom - value * scale
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:.1f}</text>')
    for i, p in enumerate(periods):
        x = left + i * step + step * 0.2
        w = step * 0.6
        y_in = height - bottom - p["inside_ha"] * scale
        y_out = y_in - p["outside_ha"] * scale
        for y, value, colour in ((y_in, p["inside_ha"], "#2e86c1"), (y_out, p["outside_ha"], "#c0392b")):
            bar = f'x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{value * scale:.1f}"'
            parts.append(f'<rect {bar} fill="{colour}"/>')
        cx = x + w / 2
        for dy, text in ((16, p["date_from"]), (30, f"→ {p['date_to']}")):
            parts.append(f'<text x="{cx:.1f}" y="{height - bottom + dy}" text-anchor="middle">{text}</text>')
    middle = (height - bottom) / 2
    parts.append(
        f'<text x="14" y="{middle:.0f}" transform="rotate(-90 14 {middle:.0f})" text-anchor="middle">'
        "changed area (ha)</text>"
    )
    for y, colour, label in ((8, "#2e86c1", "inside licences"), (24, "#c0392b", "outside licences")):
        parts.append(f'<rect x="{width - 190}" y="{y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{width - 175}" y="{y + 9}">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def change_date_map(raster: Path, periods: list[dict], out: Path) -> str:
    """The first period of change per pixel as a PNG; returns its legend (HTML)."""
    date = read_decimated(raster, [1], MAP_SIDE)[0]
    colours = [(1.0, 1.0, 1.0)] + [_rgb(DATE_COLOURS[i % len(DATE_COLOURS)]) for i in range(len(periods))]
    lut = np.array(colours + [(0.85, 0.85, 0.85)] * (256 - len(colours)), dtype=np.float32)
    _picture(lut[date]).save(out, compress_level=1)
    items = [
        f'<span class="key" style="background:{DATE_COLOURS[(p["period"] - 1) % len(DATE_COLOURS)]}"></span>'
        f"{p['date_from']} → {p['date_to']}"
        for p in periods
    ]
    return '<p class="legend">' + " ".join(items) + "</p>"


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def _table(columns: list[tuple[str, str]], rows: list[dict]) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            text = f"{value:,.2f}" if isinstance(value, float) else ("" if value is None else str(value))
            cells.append(f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


STYLE = " ".join(
    [
        "body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}",
        "h1{font-size:22px} h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}",
        "table{border-collapse:collapse;font-size:13px;margin:8px 0}",
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right} th{background:#f3f3f3}",
        "td:first-child,th:first-child{text-align:left}",
        ".maps{display:flex;flex-wrap:wrap;gap:10px} .maps img{width:360px;border:1px solid #ccc}",
        ".flag{color:#b03a2e;font-weight:bold} .note{color:#666;font-size:12px}",
        "figure{margin:0} figcaption{font-size:12px;color:#444} .legend{margin:2px 0}",
        ".key{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;border:1px solid #999}",
    ]
)


def write_report(out: Path, result: dict, licences, periods: list[dict], images: list) -> Path:
    """``out/report.html`` and its PNGs in ``out/report/``; relative links: the folder can be moved."""
    folder = out / "report"
    folder.mkdir(exist_ok=True)
    maps = []
    for p in periods:
        name = f"period_{p['period']:02d}.png"
        title = f"Period {p['period']}: {p['date_from']} → {p['date_to']}"
        mask = f"{p['stem']}_mask.tif"
        period_map(images[p["period"]].path, mask, licences, result["buffer_m"], folder / name)
        maps.append(
            f'<figure><img src="report/{name}" alt="{html.escape(title)}"><figcaption>{html.escape(title)}'
            "</figcaption></figure>"
        )
    legend = change_date_map(out / "change_date.tif", result["periods"], folder / "change_date.png")
    period_columns = [
        ("period", "period"),
        ("date_from", "from"),
        ("date_to", "to"),
        ("changed_ha", "changed (ha)"),
        ("inside_ha", "inside licences (ha)"),
        ("outside_ha", "outside (ha)"),
        ("crossing_changes", "crossing a boundary"),
        ("unlicensed_changes", "outside every licence"),
    ]
    licence_columns = [("licence_id", "licence")]
    for p in result["periods"]:
        licence_columns += [
            (f"p{p['period']}_inside_ha", f"P{p['period']} inside (ha)"),
            (f"p{p['period']}_nearby_ha", f"P{p['period']} within {result['buffer_m']:g} m (ha)"),
        ]
    if result.get("span"):
        licence_columns += [
            ("span_inside_ha", "first → last inside (ha)"),
            ("span_nearby_ha", f"first → last within {result['buffer_m']:g} m (ha)"),
        ]
    licence_columns += [("flags", "flags")]
    period_rows = list(result["periods"])
    if result.get("span"):
        period_rows.append({**result["span"], "period": "first → last"})
    outside_columns = [("period", "period"), ("area_ha", "area (ha)"), ("x", "x"), ("y", "y")]
    flagged = ", ".join(r["licence_id"] for r in result["licences_table"] if r["flags"]) or "none"
    outside = result["changes_outside_licences"]
    buffer = f"{result['buffer_m']:g} m"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>MineCD monitoring report</title>',
        f"<style>{STYLE}</style></head><body>",
        "<h1>Mine monitoring report</h1>",
        f"<p>{len(images)} images from {images[0].date} to {images[-1].date}, detector "
        f"<b>{html.escape(result['detector'])}</b>, licences "
        f"<code>{html.escape(Path(result['licences']).name)}</code> ({len(licences)}), buffer {buffer}. "
        f'Licences flagged: <span class="flag">{html.escape(flagged)}</span>; changes outside every '
        f'licence: <span class="flag">{len(outside)}</span>.</p>',
        "<h2>Changed area per period</h2>",
        area_chart(result["periods"]),
        _table(period_columns, period_rows),
        "<h2>Maps</h2>",
        f'<p class="note">Red: change in the period; yellow: licence boundaries; dashed blue: the {buffer} '
        "zone around them.</p>",
        f'<div class="maps">{"".join(maps)}',
        '<figure><img src="report/change_date.png" alt="first period of change">',
        f"<figcaption>First period of change{legend}</figcaption></figure></div>",
        "<h2>Licences</h2>",
        _table(licence_columns, result["licences_table"]),
        "<h2>Changes outside every licence</h2>",
        _table(outside_columns, outside) if outside else "<p>None.</p>",
        f'<p class="note">MineCD {html.escape(result["minecd_version"])}. Coordinates in the images\' CRS. '
        "The record: monitor.gpkg (layers changes, licences, periods), change_date.tif, monitor.json.</p>",
        "</body></html>",
    ]
    text = "\n".join(parts) + "\n"
    path = out / "report.html"
    path.write_text(text, encoding="utf-8")
    return path
