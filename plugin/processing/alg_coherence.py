"""minecd:coherence - interferometric coherence of an SLC pair."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from ..styling import write_sidecar
from .base import MineCDAlgorithm, layer_path, run_engine
from .postprocess import style_when_loaded


class CoherenceAlgorithm(MineCDAlgorithm):
    NAME = "coherence"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Coherence of an SLC pair")
    GROUP = "sar"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Estimates the interferometric coherence |Σ z1·z2*| / sqrt(Σ|z1|² Σ|z2|²) of two co-registered "
        "complex SLC rasters over a boxcar WINDOW (azimuth x range pixels, default 5x5 = 25 looks). "
        "REMOVE_RAMP removes a linear phase ramp estimated over the scene first. Output: float32 in [0, 1], "
        "nodata -1. Low coherence marks ground that changed (or vegetation and water)."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("BEFORE", tr("Before SLC")))
        self.addParameter(QgsProcessingParameterRasterLayer("AFTER", tr("After SLC")))
        self.addParameter(QgsProcessingParameterString("WINDOW", tr("Window (azimuth x range)"), "5x5"))
        self.addParameter(
            QgsProcessingParameterBoolean("REMOVE_RAMP", tr("Remove a linear phase ramp"), False)
        )
        self.addParameter(QgsProcessingParameterRasterDestination("OUTPUT", tr("Coherence")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...engine.sar.coherence import compute_coherence

        out = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        run_engine(
            feedback,
            compute_coherence,
            layer_path(self, parameters, "BEFORE", context),
            layer_path(self, parameters, "AFTER", context),
            out,
            self.parameterAsString(parameters, "WINDOW", context) or "5x5",
            self.parameterAsBool(parameters, "REMOVE_RAMP", context),
        )
        write_sidecar(out, "coherence")
        style_when_loaded(context, out, "coherence")
        return {"OUTPUT": out}
