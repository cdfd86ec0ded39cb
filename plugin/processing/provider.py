"""The ``minecd`` Processing provider: MineCD's algorithms and its shipped graphical models."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingProvider

from ..i18n import tr
from ..resources import RESOURCES_DIR, icon

PROVIDER_ID = "minecd"
MODELS_DIR = RESOURCES_DIR / "models"


def algorithms() -> list:
    from .alg_coherence import CoherenceAlgorithm
    from .alg_detect_optical import DetectOpticalAlgorithm
    from .alg_detect_sar import DetectSarAlgorithm
    from .alg_environment import EnvironmentAlgorithm
    from .alg_evaluate import EvaluateAlgorithm
    from .alg_polygonize import PolygonizeAlgorithm
    from .alg_pseudolabel import PseudoLabelAlgorithm
    from .alg_train import TrainAlgorithm

    return [
        DetectOpticalAlgorithm(),
        DetectSarAlgorithm(),
        CoherenceAlgorithm(),
        TrainAlgorithm(),
        PseudoLabelAlgorithm(),
        EvaluateAlgorithm(),
        PolygonizeAlgorithm(),
        EnvironmentAlgorithm(),
    ]


def graphical_models() -> list[QgsProcessingModelAlgorithm]:
    """The .model3 files shipped in resources/models (loaded, not executed)."""
    models = []
    for path in sorted(Path(MODELS_DIR).glob("*.model3")):
        model = QgsProcessingModelAlgorithm()
        if model.fromFile(str(path)):
            models.append(model)
    return models


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
