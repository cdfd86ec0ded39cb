"""minecd:detectoptical - change detection on an optical image pair."""

from __future__ import annotations

from qgis.core import QgsProcessingParameterString
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from .detection import DetectionAlgorithm


class DetectOpticalAlgorithm(DetectionAlgorithm):
    NAME = "detectoptical"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Detect changes (optical)")
    DEFAULT_MODEL = "cva"
    KIND = "optical"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Finds where an open-pit mine changed between two co-registered optical images. MODEL is "
        "'cva' (change-vector analysis, no training), 'irmad' (iteratively reweighted MAD, no training, "
        "invariant to each date's gains and offsets), a bundled model's name (e.g. insinet-demo) or a "
        "checkpoint file trained with MineCD. The after image is warped onto the before image's grid "
        "when needed. OUTPUT is a mask: 1 change, 0 no change, 255 no data. BANDS picks bands, e.g. 3,2,1."
    )
    # fmt: on

    def add_inputs(self) -> None:
        self.addParameter(
            QgsProcessingParameterString("BANDS", tr("Bands, e.g. 3,2,1 (empty: default)"), optional=True)
        )
