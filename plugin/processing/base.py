"""Shared behaviour of MineCD's Processing algorithms."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from ..resources import icon

GROUPS = {
    "detection": QT_TRANSLATE_NOOP("@default", "Change detection"),
    "sar": QT_TRANSLATE_NOOP("@default", "SAR"),
    "training": QT_TRANSLATE_NOOP("@default", "Training and evaluation"),
    "tools": QT_TRANSLATE_NOOP("@default", "Tools"),
}


class MineCDAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ``NAME``, ``DISPLAY_NAME``, ``GROUP`` and ``HELP``.

    Mark ``DISPLAY_NAME`` and ``HELP`` with ``QT_TRANSLATE_NOOP("@default", ...)`` so that
    ``make transup`` collects them.
    """

    NAME = ""
    DISPLAY_NAME = ""
    GROUP = "tools"
    HELP = ""

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return tr(self.DISPLAY_NAME)

    def group(self):
        return tr(GROUPS[self.GROUP])

    def groupId(self):  # noqa: N802
        return self.GROUP

    def shortHelpString(self):  # noqa: N802
        return tr(self.HELP)

    def icon(self):
        return icon()

    def createInstance(self):  # noqa: N802
        return type(self)()
