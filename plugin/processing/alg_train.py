"""minecd:train - train or fine-tune a model on the user's rasters and change labels."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ...engine.archs import ARCHS
from ...engine.request import parse_bands
from ..i18n import tr
from .base import MineCDAlgorithm, engine_errors, layer_path, run_engine


def folders(text: str) -> list[str]:
    """';'-separated folders, each with before.tif, after.tif and labels.tif or labels.gpkg."""
    items = [t.strip() for t in (text or "").split(";") if t.strip()]
    for item in items:
        if not Path(item).is_dir():
            raise QgsProcessingException(tr("{}: folder not found").format(item))
    return items


class TrainAlgorithm(MineCDAlgorithm):
    NAME = "train"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Train a change detection model")
    GROUP = "training"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Trains INSINet (optical) or the SAR U-Net on your own data: a BEFORE/AFTER pair with LABELS "
        "(change polygons or a raster mask, non-zero = change) and/or MORE_DATA, folders separated by ';' "
        "that each hold before.tif, after.tif and labels.tif or labels.gpkg (SAR: optional coherence.tif). "
        "Chips are split 6:2:2 into training, validation and test by site (3+ pairs) or by disjoint blocks. "
        "Writes the checkpoint with the best validation F1, its training curves (.csv, .png), test metrics."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("BEFORE", tr("Before raster"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer("AFTER", tr("After raster"), optional=True))
        self.addParameter(
            QgsProcessingParameterMapLayer("LABELS", tr("Change labels (polygons or raster)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterString(
                "MORE_DATA", tr("More training folders (';'-separated)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                "ARCH", tr("Model"), ["INSINet (optical)", "SAR U-Net"], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "EPOCHS", tr("Epochs"), QgsProcessingParameterNumber.Integer, 50, False, 1
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "BATCH",
                tr("Batch size (empty: the paper's)"),
                QgsProcessingParameterNumber.Integer,
                None,
                True,
                1,
            )
        )
        self.addParameter(
            QgsProcessingParameterString("BANDS", tr("Bands (optical), e.g. 3,2,1"), "1,2,3", optional=True)
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "TILE", tr("Tile size"), QgsProcessingParameterNumber.Integer, 256, False, 32
            )
        )
        self.addParameter(
            QgsProcessingParameterString("DEVICE", tr("Device (auto, cpu, cuda, cuda:N)"), "auto")
        )
        self.addParameter(
            QgsProcessingParameterFileDestination("OUTPUT", tr("Checkpoint"), tr("MineCD checkpoint (*.pt)"))
        )
        self.addOutput(QgsProcessingOutputNumber("VAL_F1", tr("Best validation F1")))
        self.addOutput(QgsProcessingOutputNumber("TEST_F1", tr("Test F1")))
        self.addOutput(QgsProcessingOutputFile("CURVES", tr("Training curves (PNG)")))
        self.addOutput(QgsProcessingOutputFile("HISTORY", tr("Training history (CSV)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...engine.train.dataset import Scene
        from ...engine.train.run import Options, train

        data: list = folders(self.parameterAsString(parameters, "MORE_DATA", context))
        before = layer_path(self, parameters, "BEFORE", context, optional=True)
        if before:
            after = layer_path(self, parameters, "AFTER", context)
            labels = layer_path(self, parameters, "LABELS", context)
            data.insert(0, Scene(Path(before), Path(after), Path(labels), "pair"))
        if not data:
            raise QgsProcessingException(tr("Give a BEFORE/AFTER/LABELS pair or MORE_DATA folders"))
        arch = ARCHS[self.parameterAsEnum(parameters, "ARCH", context)]
        batch = parameters.get("BATCH")
        with engine_errors():
            bands = parse_bands(self.parameterAsString(parameters, "BANDS", context))
        options = Options(
            epochs=self.parameterAsInt(parameters, "EPOCHS", context),
            batch=int(batch) if batch not in (None, "") else None,
            device=self.parameterAsString(parameters, "DEVICE", context) or "auto",
            tile=self.parameterAsInt(parameters, "TILE", context),
            bands=bands,
        )
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        result = run_engine(feedback, train, arch, data, out, options, log=feedback.pushInfo)
        metrics = result["metrics"]
        feedback.pushInfo(
            tr("best validation F1 {:.4f}, test F1 {:.4f}").format(
                metrics["validation"]["f1"], metrics["test"]["f1"]
            )
        )
        return {
            "OUTPUT": out,
            "VAL_F1": metrics["validation"]["f1"],
            "TEST_F1": metrics["test"]["f1"],
            "CURVES": str(Path(out).with_suffix(".png")),
            "HISTORY": result["history"],
        }
