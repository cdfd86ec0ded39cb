"""Plugin lifecycle: toolbar/menu action, dock and Processing provider."""

from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QAction

from .i18n import install_translator, tr
from .resources import icon

TOOLBAR_OBJECT_NAME = "MineCDToolbar"


class MineCDPlugin:
    def __init__(self, iface):
        from .deps import activate

        activate()  # packages installed earlier from the dock become importable
        self.iface = iface
        self.provider = None
        self.translator = None
        self.action = None
        self.toolbar = None
        self.dock = None

    def menu_name(self) -> str:
        return tr("&Mine Change Detection")

    def initProcessing(self):  # noqa: N802 - QGIS hook
        from .processing.provider import MineCDProvider

        if self.translator is None:  # qgis_process calls only this hook: its names are translated too
            self.translator = install_translator()
        if self.provider is None:
            self.provider = MineCDProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 - QGIS hook
        from .dock import MineCDDock

        self.initProcessing()  # installs the translator first

        main_window = self.iface.mainWindow()
        self.action = QAction(icon(), tr("Mine Change Detection"), main_window)
        self.action.setObjectName("MineCDAction")
        self.action.setCheckable(True)
        self.action.setToolTip(tr("Show or hide the Mine Change Detection panel"))

        self.toolbar = self.iface.addToolBar(tr("Mine Change Detection"))
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)
        self.toolbar.addAction(self.action)
        self.iface.addPluginToRasterMenu(self.menu_name(), self.action)

        self.dock = MineCDDock(main_window, self.iface)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.action.toggled.connect(self.dock.setVisible)
        self.dock.visibilityChanged.connect(self.action.setChecked)

    def unload(self):
        if self.action is not None:
            self.iface.removePluginRasterMenu(self.menu_name(), self.action)
            self.action.deleteLater()
            self.action = None
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.dock is not None:
            self.dock.unload()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
