"""The ``minecd`` Processing provider: MineCD's algorithms and its shipped graphical models."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from ..resources import RESOURCES_DIR, icon
from .detection import detector_names, offer_detectors

PROVIDER_ID = "minecd"
MODELS_DIR = RESOURCES_DIR / "models"


def algorithms() -> list:
    from .alg_batch import BatchAlgorithm
    from .alg_coherence import CoherenceAlgorithm
    from .alg_detect_optical import DetectOpticalAlgorithm
    from .alg_detect_sar import DetectSarAlgorithm
    from .alg_environment import EnvironmentAlgorithm
    from .alg_evaluate import EvaluateAlgorithm
    from .alg_monitor import MonitorAlgorithm
    from .alg_polygonize import PolygonizeAlgorithm
    from .alg_pseudolabel import PseudoLabelAlgorithm
    from .alg_train import TrainAlgorithm

    return [
        DetectOpticalAlgorithm(),
        DetectSarAlgorithm(),
        BatchAlgorithm(),
        MonitorAlgorithm(),
        CoherenceAlgorithm(),
        TrainAlgorithm(),
        PseudoLabelAlgorithm(),
        EvaluateAlgorithm(),
        PolygonizeAlgorithm(),
        EnvironmentAlgorithm(),
    ]


# What people read about each shipped model (its file keeps the id and the wiring);
# pylupdate5 misses a string followed by a trailing comma: keep the formatter away
# fmt: off
MODEL_TEXTS = {
    "sar_coherence_polygons": (
        QT_TRANSLATE_NOOP("@default", "SAR change polygons from two SLC images"),
        QT_TRANSLATE_NOOP(
            "@default",
            "A graphical model: interferometric coherence of the two SLC images, SAR change "
            "detection with the coherence as an extra input, and change polygons with their areas. "
            "Open it in the graphical modeler to adapt it to your own chain."
        )
    )
}
# fmt: on
MODEL_LABELS = (  # the models' own texts, listed for pylupdate
    QT_TRANSLATE_NOOP("@default", "Before SLC"),
    QT_TRANSLATE_NOOP("@default", "After SLC"),
    QT_TRANSLATE_NOOP("@default", "Minimum polygon area (m²)"),
    QT_TRANSLATE_NOOP("@default", "Detector (logratio, a bundled model or a checkpoint)"),
    QT_TRANSLATE_NOOP("@default", "Coherence"),
    QT_TRANSLATE_NOOP("@default", "Change mask"),
    QT_TRANSLATE_NOOP("@default", "Change polygons"),
    QT_TRANSLATE_NOOP("@default", "Workflows"),
)


class ShippedModel(QgsProcessingModelAlgorithm):
    """A .model3 of resources/models with a readable, translated name, group and help."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = Path(path)
        self.loaded = self.fromFile(str(self.path))
        self._order_inputs_as_drawn()
        for parameter in self.parameterDefinitions():
            parameter.setDescription(tr(parameter.description()))
            if parameter.name() == "MODEL" and parameter.type() == "string":  # the shipped models are SAR
                offer_detectors(parameter, detector_names("sar"))

    def _order_inputs_as_drawn(self) -> None:
        """Inputs top to bottom as drawn in the model (QGIS 3.22 would list them by name: After first)."""
        inputs = [p for p in self.parameterDefinitions() if not p.isDestination()]
        drawn = sorted(
            inputs,
            key=lambda p: (
                self.parameterComponent(p.name()).position().y(),
                self.parameterComponent(p.name()).position().x(),
            ),
        )
        if [p.name() for p in drawn] == [p.name() for p in inputs]:
            return
        clones = [p.clone() for p in drawn]
        for parameter in clones:
            self.removeParameter(parameter.name())
        for parameter in clones:
            self.addParameter(parameter)

    def createInstance(self):  # noqa: N802
        return ShippedModel(self.path)

    def displayName(self):  # noqa: N802
        text = MODEL_TEXTS.get(self.name())
        return tr(text[0]) if text else super().displayName()

    def group(self):
        return tr("Workflows")

    def groupId(self):  # noqa: N802
        return "workflows"

    def shortHelpString(self):  # noqa: N802
        text = MODEL_TEXTS.get(self.name())
        return tr(text[1]) if text else super().shortHelpString()


def graphical_models() -> list[QgsProcessingModelAlgorithm]:
    """The .model3 files shipped in resources/models (loaded, not executed)."""
    models = [ShippedModel(path) for path in sorted(Path(MODELS_DIR).glob("*.model3"))]
    return [model for model in models if model.loaded]


class MineCDProvider(QgsProcessingProvider):
    def id(self):
        return PROVIDER_ID

    def name(self):
        return tr("Mine Change Detection")

    def longName(self):  # noqa: N802
        return self.name()

    def icon(self):
        return icon()

    def loadAlgorithms(self):  # noqa: N802
        for algorithm in algorithms() + graphical_models():
            self.addAlgorithm(algorithm)
