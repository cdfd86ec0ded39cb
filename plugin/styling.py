"""Styles of MineCD's outputs, applied to layers and saved as .qml sidecars next to the files.

A Processing post-processor does not run under qgis_process, so every file output also gets a
sidecar style that QGIS picks up whenever the file is opened.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsColorRampShader,
    QgsFillSymbol,
    QgsPalettedRasterRenderer,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
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


STYLERS = {
    "mask": style_mask,
    "probability": style_probability,
    "coherence": style_coherence,
    "polygons": style_polygons,
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
