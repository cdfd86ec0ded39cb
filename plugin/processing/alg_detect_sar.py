"""minecd:detectsar - change detection on a SAR pair (SLC, or amplitudes + optional coherence)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ...engine.sar.channels import UNITS as SAR_UNITS
from ..i18n import tr
from .base import layer_path
from .detection import DetectionAlgorithm

UNITS = list(SAR_UNITS)


class DetectSarAlgorithm(DetectionAlgorithm):
    NAME = "detectsar"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Detect changes (SAR)")
    GROUP = "sar"
    DEFAULT_MODEL = "logratio"
    KIND = "sar"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Finds where an open-pit mine changed between two SAR acquisitions. BEFORE/AFTER are two "
        "co-registered complex SLC rasters (amplitude and coherence are computed here) or two real "
        "rasters (linear amplitude by default, see UNITS) with an optional COHERENCE raster. MODEL is "
        "'logratio' (no training), a bundled model's name (e.g. sarunet-demo) or a checkpoint. WINDOW "
        "is the log-ratio's boxcar (odd pixels); a model uses the window it was trained with."
    )
    # fmt: on

    def add_inputs(self) -> None:
        self.addParameter(
            QgsProcessingParameterRasterLayer("COHERENCE", tr("Coherence raster"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterString("WINDOW", tr("Log-ratio window (pixels)"), "5", optional=True)
        )
        self.addParameter(
            QgsProcessingParameterEnum("UNITS", tr("Units of real SAR rasters"), UNITS, defaultValue=0)
        )

    def request_options(self, parameters, context) -> dict:
        # Which detector uses the window, the coherence and the units is the request's rule.
        return {
            "coherence": layer_path(self, parameters, "COHERENCE", context, optional=True),
            "window": self.parameterAsString(parameters, "WINDOW", context),
            "units": UNITS[self.parameterAsEnum(parameters, "UNITS", context)],
        }
