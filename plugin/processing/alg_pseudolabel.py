"""minecd:pseudolabel - SAR U-Net with pseudo-labels from unlabelled pairs (Murdaca et al.)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from .alg_train import folders
from .base import MineCDAlgorithm, run_engine


class PseudoLabelAlgorithm(MineCDAlgorithm):
    NAME = "pseudolabel"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Train with pseudo-labels (SAR)")
    GROUP = "training"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Trains the SAR U-Net on LABELLED folders, predicts the UNLABELLED folders (before.tif and "
        "after.tif only), keeps the patches where more than FRACTION of the pixels have a confidence "
        "above CONFIDENCE (at most as many as labelled training patches) and retrains from scratch on both."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterString("LABELLED", tr("Labelled folders (';'-separated)")))
        self.addParameter(
            QgsProcessingParameterString("UNLABELLED", tr("Unlabelled folders (';'-separated)"))
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "EPOCHS", tr("Epochs"), QgsProcessingParameterNumber.Type.Integer, 50, False, 1
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "CONFIDENCE",
                tr("Pixel confidence c"),
                QgsProcessingParameterNumber.Type.Double,
                0.85,
                False,
                0.5,
                1.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "FRACTION",
                tr("Confident fraction q of a patch"),
                QgsProcessingParameterNumber.Type.Double,
                0.9,
                False,
                0.0,
                1.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                "TEACHER",
                tr("Teacher model trained on the labelled folders"),
                extension="pt",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString("DEVICE", tr("Device (auto, cpu, cuda, cuda:N)"), "auto")
        )
        self.addParameter(
            QgsProcessingParameterFileDestination("OUTPUT", tr("Checkpoint"), tr("MineCD checkpoint (*.pt)"))
        )
        self.addOutput(QgsProcessingOutputNumber("KEPT", tr("Pseudo-labelled patches kept")))
        self.addOutput(QgsProcessingOutputNumber("TEST_F1", tr("Test F1")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...engine.train.pseudo import pseudolabel
        from ...engine.train.run import Options

        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        options = Options(
            epochs=self.parameterAsInt(parameters, "EPOCHS", context),
            device=self.parameterAsString(parameters, "DEVICE", context) or "auto",
        )
        result = run_engine(
            feedback,
            pseudolabel,
            folders(self.parameterAsString(parameters, "LABELLED", context)),
            folders(self.parameterAsString(parameters, "UNLABELLED", context)),
            out,
            options,
            q=self.parameterAsDouble(parameters, "FRACTION", context),
            c=self.parameterAsDouble(parameters, "CONFIDENCE", context),
            log=feedback.pushInfo,
            teacher=self.parameterAsFile(parameters, "TEACHER", context) or None,
        )
        return {
            "OUTPUT": out,
            "KEPT": result["pseudo_labelling"]["kept"],
            "TEST_F1": result["metrics"]["test"]["f1"],
        }
