"""minecd:train - train or fine-tune a model on the user's rasters and change labels."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ...engine.archs import ARCHS
from ...engine.request import parse_bands
from ..i18n import tr
from .base import MineCDAlgorithm, engine_errors, layer_path, run_engine
from .detection import _advanced

CUE_CHOICES = ("auto", "none")  # engine.train.cue: the data's classic detector, or never


def _optional(parameters: dict, name: str, kind):
    """A numeric parameter left empty -> None (the engine's default)."""
    value = parameters.get(name)
    return None if value in (None, "") else kind(value)


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
        "Trains or adapts INSINet (optical) or the SAR U-Net on your own data: a BEFORE/AFTER pair with "
        "LABELS (change polygons, or a raster: 0 no change, non-zero change, 255 not labelled) and an "
        "optional LABEL_AREA (polygons: outside them nothing is labelled), and/or MORE_DATA, folders "
        "separated by ';' that each hold before.tif, after.tif and labels.tif or labels.gpkg (optional "
        "label_area.gpkg; SAR: coherence.tif). INIT starts from a model (auto: the bundled model that "
        "suits the data). MINUTES stops by wall time with the best model so far. PSEUDO also learns from "
        "the unlabelled rest of the pairs (pseudo-labels of a first model). CLASSIC_CUE weighs the "
        "classic detector's change score (change-vector analysis, SAR log-ratio) beside the network on "
        "the labelled pixels and blends it into the model. Validation is held out by "
        "site (3+ pairs) or by disjoint blocks of the labelled pixels when there are enough."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("BEFORE", tr("Before raster"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer("AFTER", tr("After raster"), optional=True))
        self.addParameter(
            QgsProcessingParameterMapLayer("LABELS", tr("Change labels (polygons or raster)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "LABEL_AREA",
                tr("Labelled area (polygons; empty: the labels cover the whole pair)"),
                [QgsProcessing.SourceType.TypeVectorPolygon],
                optional=True,
            )
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
            QgsProcessingParameterString(
                "INIT", tr("Start from (auto, none, a bundled model or a checkpoint)"), "auto"
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "MINUTES",
                tr("Time budget in minutes (empty: none)"),
                QgsProcessingParameterNumber.Type.Double,
                None,
                True,
                0.1,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                "PSEUDO", tr("Also learn from the unlabelled rest of the pairs (pseudo-labels)"), False
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterEnum(
                    "CLASSIC_CUE",
                    tr("Blend in the classic detector"),
                    [tr("Yes, weighed on the labelled pixels"), tr("Never")],
                    defaultValue=0,
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "EPOCHS",
                tr("Epochs (empty: until the time budget, or the paper's)"),
                QgsProcessingParameterNumber.Type.Integer,
                None,
                True,
                1,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "BATCH",
                tr("Batch size (empty: the paper's)"),
                QgsProcessingParameterNumber.Type.Integer,
                None,
                True,
                1,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "BANDS", tr("Bands (optical), e.g. 3,2,1 (empty: the start model's)"), "", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "TILE",
                tr("Tile size (empty: the start model's, else 256)"),
                QgsProcessingParameterNumber.Type.Integer,
                None,
                True,
                32,
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
        self.addOutput(QgsProcessingOutputNumber("THRESHOLD", tr("Decision threshold of the model")))
        self.addOutput(QgsProcessingOutputString("CLASSIC_CUE", tr("Classic detector blended in")))
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
            area = layer_path(self, parameters, "LABEL_AREA", context, optional=True)
            scene = Scene(
                Path(before), Path(after), Path(labels), "pair", label_area=Path(area) if area else None
            )
            data.insert(0, scene)
        if not data:
            raise QgsProcessingException(tr("Give a BEFORE/AFTER/LABELS pair or MORE_DATA folders"))
        arch = ARCHS[self.parameterAsEnum(parameters, "ARCH", context)]
        with engine_errors():
            bands = parse_bands(self.parameterAsString(parameters, "BANDS", context))
        options = Options(
            epochs=_optional(parameters, "EPOCHS", int),
            batch=_optional(parameters, "BATCH", int),
            device=self.parameterAsString(parameters, "DEVICE", context) or "auto",
            tile=_optional(parameters, "TILE", int),
            bands=bands,
            init=self.parameterAsString(parameters, "INIT", context) or "auto",
            minutes=_optional(parameters, "MINUTES", float),
            pseudo=self.parameterAsBoolean(parameters, "PSEUDO", context),
            classic_cue=CUE_CHOICES[self.parameterAsEnum(parameters, "CLASSIC_CUE", context)],
        )
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        result = run_engine(feedback, train, arch, data, out, options, log=feedback.pushInfo)
        metrics = result["metrics"]
        cue = result.get("classic_cue") or {}
        from ...engine.checkpoint import load_checkpoint

        threshold = load_checkpoint(out).metadata["threshold"]  # (chosen again when a cue is blended in)
        val_f1 = metrics.get("validation", {}).get("f1")
        test_f1 = metrics.get("test", {}).get("f1")
        if val_f1 is None:
            feedback.pushInfo(tr("no independent validation: the model was chosen on its training loss"))
        else:
            feedback.pushInfo(tr("best validation F1 {:.4f}").format(val_f1))
        if test_f1 is not None:
            feedback.pushInfo(tr("test F1 {:.4f}").format(test_f1))
        if cue.get("kept"):
            feedback.pushInfo(
                tr("the model also weighs {} (F1 on the labelled pixels {:.4f} -> {:.4f})").format(
                    cue["classic"], cue["f1"]["network"], cue["f1"]["blend"]
                )
            )
        return {
            "OUTPUT": out,
            "VAL_F1": val_f1,
            "TEST_F1": test_f1,
            "THRESHOLD": threshold,
            "CLASSIC_CUE": cue["classic"] if cue.get("kept") else "",
            "CURVES": str(Path(out).with_suffix(".png")),
            "HISTORY": result["history"],
        }
