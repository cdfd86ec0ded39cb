"""Styles of MineCD's outputs, applied to layers and saved as .qml sidecars next to the files.

A Processing post-processor does not run under qgis_process, so every file output also gets a
sidecar style that QGIS picks up whenever the file is opened.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsFillSymbol,
    QgsPalettedRasterRenderer,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRendererCategory,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP
from qgis.PyQt.QtGui import QColor

from .i18n import tr

CHANGE_COLOUR = QColor(228, 49, 43)  # strong red


def style_mask(layer: QgsRasterLayer) -> None:
    """Paletted: change in red; no change and nodata transparent."""
    no_change = QColor(0, 0, 0, 0)
    classes = [
        QgsPalettedRasterRenderer.Class(0, no_change, tr("No change")),
        QgsPalettedRasterRenderer.Class(1, CHANGE_COLOUR, tr("Change")),
    ]
    renderer = QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def _pseudocolour(layer: QgsRasterLayer, stops) -> None:
    """Interpolated colour ramp over 0–1 from (value, colour) stops."""
    ramp = QgsColorRampShader(0.0, 1.0)
    ramp.setColorRampType(QgsColorRampShader.Type.Interpolated)
    ramp.setColorRampItemList([QgsColorRampShader.ColorRampItem(v, c, f"{v:g}") for v, c in stops])
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(0.0)
    renderer.setClassificationMax(1.0)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def probability_stops(threshold: float = 0.5) -> list:
    """Transparent up to half the threshold, fading in to the threshold, then yellow to dark red.

    A model's background probability (e.g. 0.1–0.2 for the SAR U-Net) then leaves the imagery
    visible; what the detector calls change is opaque.
    """
    t = min(max(float(threshold), 0.02), 0.98)
    return [
        (0.0, QColor(255, 255, 204, 0)),
        (t / 2, QColor(255, 255, 204, 0)),
        (t, QColor(254, 217, 118, 150)),
        (t + (1 - t) / 2, QColor(253, 141, 60)),
        (1.0, QColor(128, 0, 38)),
    ]


def style_probability(layer: QgsRasterLayer, threshold: float = 0.5) -> None:
    """Over 0–1, drawn from the detector's threshold region up; nodata (−1) not drawn."""
    _pseudocolour(layer, probability_stops(threshold))


def style_coherence(layer: QgsRasterLayer) -> None:
    """Grey ramp over 0–1 (low coherence dark)."""
    _pseudocolour(layer, [(0.0, QColor(0, 0, 0)), (1.0, QColor(255, 255, 255))])


def style_polygons(layer: QgsVectorLayer) -> None:
    # outlines in yellow: they stay visible over the red mask and over imagery
    symbol = QgsFillSymbol.createSimple(
        {
            "color": "255,221,0,0",
            "style": "no",
            "outline_color": "255,221,0,255",
            "outline_width": "0.6",
            "outline_style": "solid",
        }
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.triggerRepaint()


MONITOR_STATUS = (  # the change statuses of monitoring, as their colours and legend texts
    ("inside_licence", "46,134,193", QT_TRANSLATE_NOOP("@default", "Inside a licence")),
    ("crosses_boundary", "230,126,34", QT_TRANSLATE_NOOP("@default", "Crosses a licence boundary")),
    ("outside_licence", "192,57,43", QT_TRANSLATE_NOOP("@default", "Outside every licence")),
)
PERIOD_COLOURS = ("#f4d03f", "#e67e22", "#c0392b", "#8e44ad", "#2e86c1", "#17a589", "#7f8c8d")


def style_monitor_changes(layer: QgsVectorLayer) -> None:
    """Changes by where they lie against the licences: blue inside, orange crossing, red outside."""
    categories = []
    for value, colour, label in MONITOR_STATUS:
        symbol = QgsFillSymbol.createSimple(
            {"color": f"{colour},150", "outline_color": f"{colour},255", "outline_width": "0.5"}
        )
        categories.append(QgsRendererCategory(value, symbol, tr(label)))
    layer.setRenderer(QgsCategorizedSymbolRenderer("status", categories))
    layer.triggerRepaint()


def style_licences(layer: QgsVectorLayer) -> None:
    """Licence boundaries: yellow outlines, dashed, no fill."""
    symbol = QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "255,210,31,255", "outline_width": "0.8", "outline_style": "dash"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.triggerRepaint()


def style_change_date(layer: QgsRasterLayer, labels: list[str] | None = None) -> None:
    """First period of change: one colour per period (legend: its dates); never changed transparent."""
    labels = labels or _period_labels(layer.source())
    classes = [QgsPalettedRasterRenderer.Class(0, QColor(0, 0, 0, 0), tr("No change"))]
    for k, label in enumerate(labels, start=1):
        classes.append(QgsPalettedRasterRenderer.Class(k, QColor(PERIOD_COLOURS[(k - 1) % 7]), label))
    layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes))
    layer.triggerRepaint()


def _period_labels(path: str) -> list[str]:
    """The periods' dates, as MineCD wrote them into the change-date raster (PERIOD_1, ...)."""
    from osgeo import gdal

    dataset = gdal.Open(path)
    tags = dataset.GetRasterBand(1).GetMetadata() if dataset is not None else {}
    return [tags[f"PERIOD_{k}"] for k in range(1, 100) if f"PERIOD_{k}" in tags] or ["1"]


STYLERS = {
    "mask": style_mask,
    "probability": style_probability,
    "coherence": style_coherence,
    "polygons": style_polygons,
    "monitor_changes": style_monitor_changes,
    "licences": style_licences,
    "change_date": style_change_date,
}


def style_layer(layer, kind: str, threshold: float | None = None) -> None:
    """Style ``layer`` as MineCD's output ``kind`` (the probability from ``threshold`` up)."""
    if kind == "probability":
        style_probability(layer, 0.5 if threshold is None else threshold)
    else:
        STYLERS[kind](layer)


def write_sidecar(path: str | Path, kind: str, layer=None, threshold: float | None = None) -> Path | None:
    """Save ``<path>.qml`` beside the file at ``path``, styled as ``kind``.

    ``layer``: the file's layer, already styled (the dock's); without it the file is opened and
    styled here.
    """
    path = Path(path)
    if not path.exists():
        return None
    if layer is None:
        if kind == "polygons":
            layer = QgsVectorLayer(str(path), path.stem, "ogr")
        else:
            layer = QgsRasterLayer(str(path), path.stem)
        if layer.isValid():
            style_layer(layer, kind, threshold)
    if not layer.isValid():
        return None
    qml = path.with_suffix(".qml")
    layer.saveNamedStyle(str(qml))
    return qml
