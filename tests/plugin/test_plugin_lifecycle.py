"""The plugin in (a mocked) QGIS: classFactory, initGui, unload."""

from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QToolBar


def _flush_deletes():
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def test_class_factory_returns_the_plugin(minecd, qgis_iface):
    plugin = minecd.classFactory(qgis_iface)
    assert type(plugin).__name__ == "MineCDPlugin"
    assert plugin.iface is qgis_iface


def test_init_processing_registers_the_provider(minecd, qgis_iface):
    registry = QgsApplication.processingRegistry()
    plugin = minecd.classFactory(qgis_iface)
    plugin.initProcessing()
    try:
        provider = registry.providerById("minecd")
        assert provider is not None
        assert provider.name() == "Mine Change Detection"
        assert "minecd:environment" in [a.id() for a in provider.algorithms()]
    finally:
        plugin.unload()
    assert registry.providerById("minecd") is None


def test_init_gui_then_unload_leaves_nothing_behind(minecd, qgis_iface):
    registry = QgsApplication.processingRegistry()
    main = qgis_iface.mainWindow()
    qgis_iface.removePluginRasterMenu.reset_mock()
    plugin = minecd.classFactory(qgis_iface)
    plugin.initGui()

    toolbar = main.findChild(QToolBar, "MineCDToolbar")
    dock = main.findChild(QDockWidget, "MineCDDock")
    action = plugin.action
    assert registry.providerById("minecd") is not None
    assert toolbar is not None and action in toolbar.actions()
    assert dock is not None and dock.isHidden()
    qgis_iface.addPluginToRasterMenu.assert_called_with(plugin.menu_name(), action)

    action.trigger()  # the toolbar button shows the dock ...
    assert not dock.isHidden()
    action.trigger()  # ... and hides it again
    assert dock.isHidden()

    menu_name = plugin.menu_name()
    plugin.unload()
    _flush_deletes()
    qgis_iface.removePluginRasterMenu.assert_called_once_with(menu_name, action)
    assert registry.providerById("minecd") is None
    assert main.findChild(QToolBar, "MineCDToolbar") is None
    assert main.findChild(QDockWidget, "MineCDDock") is None
    assert main.findChildren(QAction, "MineCDAction") == []


def test_unload_twice_and_reload_work(minecd, qgis_iface):
    plugin = minecd.classFactory(qgis_iface)
    plugin.initGui()
    plugin.unload()
    plugin.unload()
    plugin.initGui()
    assert QgsApplication.processingRegistry().providerById("minecd") is not None
    plugin.unload()
    _flush_deletes()
    assert QgsApplication.processingRegistry().providerById("minecd") is None
