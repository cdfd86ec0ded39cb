"""minecd:environment - report what the engine can use on this machine."""

from __future__ import annotations

import json

from qgis.core import QgsProcessingOutputBoolean, QgsProcessingOutputString
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ...engine.environment import describe
from ..i18n import tr
from .base import MineCDAlgorithm


class EnvironmentAlgorithm(MineCDAlgorithm):
    NAME = "environment"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Check environment")
    GROUP = "tools"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Reports the MineCD version, the versions of PyTorch, numpy, rasterio and GDAL, "
        "the CUDA GPUs available and any missing Python package. "
        "READY is true when every runtime dependency can be imported."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addOutput(QgsProcessingOutputString("MINECD_VERSION", tr("MineCD version")))
        self.addOutput(QgsProcessingOutputString("TORCH_VERSION", tr("PyTorch version")))
        self.addOutput(QgsProcessingOutputString("CUDA_DEVICES", tr("CUDA devices")))
        self.addOutput(QgsProcessingOutputString("MISSING", tr("Missing Python packages")))
        self.addOutput(QgsProcessingOutputBoolean("READY", tr("All dependencies available")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        info = describe()
        feedback.pushInfo(json.dumps(info, indent=2))
        return {
            "MINECD_VERSION": str(info["minecd"]),
            "TORCH_VERSION": str(info["torch"] or ""),
            "CUDA_DEVICES": ", ".join(info["cuda_devices"]),
            "MISSING": ", ".join(info["missing"]),
            "READY": not info["missing"],
        }
