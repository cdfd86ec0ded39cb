"""The MineCD dock panel."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from .i18n import tr

DOCK_OBJECT_NAME = "MineCDDock"


class MineCDDock(QDockWidget):
    def __init__(self, parent=None):
        super().__init__(tr("Mine Change Detection"), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.info = QLabel(tr("Detect changes in open-pit mines between two rasters."), body)
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        layout.addStretch(1)
        self.setWidget(body)
