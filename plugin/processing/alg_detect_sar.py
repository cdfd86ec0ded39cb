"""minecd:detectsar - change detection on a SAR pair (SLC, or amplitudes + optional coherence)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from .detection import DetectionAlgorithm

UNITS = ["amplitude", "intensity", "db"]


class DetectSarAlgorithm(DetectionAlgorithm):
    NAME = "detectsar"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Detect changes (SAR)")
    GROUP = "sar"
    DEFAULT_MODEL = "logratio"
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
            QgsProcessingParameterRasterLayer("COHERENCE", tr("Coherence raster (optional)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterString("WINDOW", tr("Log-ratio window (pixels)"), "5", optional=True)
        )
        self.addParameter(
            QgsProcessingParameterEnum("UNITS", tr("Units of real SAR rasters"), UNITS, defaultValue=0)
        )

    def extra_arguments(self, parameters, context) -> dict:
        from qgis.core import QgsProcessingException

        from .base import layer_path

        coherence = layer_path(self, parameters, "COHERENCE", context, optional=True)
        model = self.parameterAsString(parameters, "MODEL", context).strip().lower() or self.DEFAULT_MODEL
        options = {}
        if model == "logratio":
            text = (self.parameterAsString(parameters, "WINDOW", context) or "5").strip()
            try:
                options["window"] = int(text.split("x")[0])
            except ValueError:
                raise QgsProcessingException(
                    tr("WINDOW: '{}' is not a number of pixels").format(text)
                ) from None
        options["units"] = UNITS[self.parameterAsEnum(parameters, "UNITS", context)]
        return {
            "extra_inputs": {"coherence": coherence} if coherence and model != "logratio" else None,
            "detector_options": options,
        }
