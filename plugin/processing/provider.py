"""The ``minecd`` Processing provider."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider

from ..i18n import tr
from ..resources import icon

PROVIDER_ID = "minecd"


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
        from .alg_environment import EnvironmentAlgorithm

        for algorithm in (EnvironmentAlgorithm(),):
            self.addAlgorithm(algorithm)
