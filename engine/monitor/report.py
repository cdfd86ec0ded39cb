"""The offline monitoring report: report.html with a map per period, areas per period, tables."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np

from ..quicklook import db_image, read_decimated, stretch

CHANGE, LICENCE, NEARBY = (0.92, 0.12, 0.10), "#ffd21f", "#4fc3f7"
DATE_COLOURS = ["#f4d03f", "#e67e22", "#c0392b", "#8e44ad", "#2e86c1", "#17a589", "#7f8c8d"]


def _background(path: str) -> tuple[np.ndarray, object, int]:
    import rasterio

    with rasterio.open(path) as ds:
        transform, width = ds.transform, ds.width
    data = read_decimated(Path(path))
    factor = max(1, round(width / data.shape[2]))
    if np.iscomplexobj(data):
        image = np.repeat(db_image(data[0])[..., None], 3, axis=2)
    elif data.shape[0] >= 3:
        image = stretch(data[:3])
    else:
        image = np.repeat(stretch(np.repeat(data[:1], 3, axis=0))[..., :1], 3, axis=2)
    return image, transform, factor


def _pixels(ring, transform, factor) -> np.ndarray:
    inverse = ~transform
    return np.array([[c / factor for c in inverse * (x, y)] for x, y in ring])


def _outline(ax, geometry, transform, factor, **style) -> None:
    data = json.loads(geometry.ExportToJson())
    polygons = data["coordinates"] if data["type"] == "MultiPolygon" else [data["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            xy = _pixels(ring, transform, factor)
            ax.plot(xy[:, 0], xy[:, 1], **style)


def _figure(size=(6, 6)):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, *plt.subplots(figsize=size, dpi=110)


def period_map(image_path: str, mask_path: str, licences, buffer_m: float, title: str, out: Path) -> Path:
    image, transform, factor = _background(image_path)
    mask = read_decimated(Path(mask_path), [1], max(image.shape[:2]))[0]
    mask = mask[: image.shape[0], : image.shape[1]]
    shown = image.copy()
    shown[mask == 1] = 0.35 * shown[mask == 1] + 0.65 * np.array(CHANGE)
    plt, fig, ax = _figure()
    ax.imshow(shown, interpolation="nearest")
    for licence in licences:
        if buffer_m > 0:
            zone = licence.geometry.Buffer(buffer_m)
            _outline(ax, zone, transform, factor, color=NEARBY, lw=0.8, ls="--")
        _outline(ax, licence.geometry, transform, factor, color=LICENCE, lw=1.6)
    ax.set_xlim(0, image.shape[1])
    ax.set_ylim(image.shape[0], 0)
    ax.set_title(title, fontsize=10)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def area_plot(periods: list[dict], out: Path) -> Path:
    plt, fig, ax = _figure((6.5, 3.4))
    labels = [f"{p['date_from']}\n→ {p['date_to']}" for p in periods]
    inside = [p["inside_ha"] for p in periods]
    outside = [p["outside_ha"] for p in periods]
    x = np.arange(len(periods))
    ax.bar(x, inside, color="#2e86c1", label="inside licences")
    ax.bar(x, outside, bottom=inside, color="#c0392b", label="outside licences")
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("changed area (ha)")
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def change_date_map(raster: Path, periods: list[dict], out: Path) -> Path:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    date = read_decimated(raster, [1])[0]
    colours = ["#ffffff"] + [DATE_COLOURS[i % len(DATE_COLOURS)] for i in range(len(periods))]
    shown = np.where(date == 255, 0, date)
    plt, fig, ax = _figure((6, 6.4))
    ax.imshow(shown, cmap=ListedColormap(colours), vmin=0, vmax=len(periods), interpolation="nearest")
    handles = [Patch(color=colours[p["period"]], label=f"{p['date_from']} → {p['date_to']}") for p in periods]
    ax.legend(
        handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8, frameon=False
    )
    ax.set_title("First period of change", fontsize=10)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


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
        period_map(images[p["period"]].path, mask, licences, result["buffer_m"], title, folder / name)
        maps.append(f'<img src="report/{name}" alt="{html.escape(title)}">')
    area_plot(result["periods"], folder / "areas.png")
    change_date_map(out / "change_date.tif", result["periods"], folder / "change_date.png")
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
    licence_columns += [("flags", "flags")]
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
        '<img src="report/areas.png" alt="changed area per period">',
        _table(period_columns, result["periods"]),
        "<h2>Maps</h2>",
        f'<p class="note">Red: change in the period; yellow: licence boundaries; dashed blue: the {buffer} '
        "zone around them.</p>",
        f'<div class="maps">{"".join(maps)}',
        '<img src="report/change_date.png" alt="first period of change"></div>',
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
