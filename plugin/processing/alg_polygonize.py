"""minecd:polygonize - change polygons with areas from a change mask."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from ..styling import write_sidecar
from .base import MineCDAlgorithm, layer_path, run_engine
from .postprocess import style_when_loaded


def _polygonize(mask, out, min_area, progress=None, cancel=None):
    from ...engine.polygonize import polygonize

    return polygonize(mask, out, min_area, progress)


class PolygonizeAlgorithm(MineCDAlgorithm):
    NAME = "polygonize"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Change polygons from a mask")
    GROUP = "tools"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Turns the change pixels (value 1) of a MineCD mask into polygons, one per connected region, "
        "with their area in m² and ha. Regions smaller than the minimum mapping unit are dropped."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("INPUT", tr("Change mask")))
        self.addParameter(
            QgsProcessingParameterNumber(
                "MIN_AREA",
                tr("Minimum mapping unit (m²)"),
                QgsProcessingParameterNumber.Type.Double,
                0.0,
                False,
                0.0,
            )
        )
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", tr("Change polygons")))
        self.addOutput(QgsProcessingOutputNumber("POLYGONS", tr("Number of polygons")))
        self.addOutput(QgsProcessingOutputNumber("CHANGED_AREA_HA", tr("Changed area (ha)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        result = run_engine(
            feedback,
            _polygonize,
            layer_path(self, parameters, "INPUT", context),
            out,
            self.parameterAsDouble(parameters, "MIN_AREA", context),
        )
        write_sidecar(out, "polygons")
        style_when_loaded(context, out, "polygons")
        return {"OUTPUT": out, "POLYGONS": result["polygons"], "CHANGED_AREA_HA": result["changed_area_ha"]}
