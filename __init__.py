"""MineCD QGIS plugin entry point."""


def classFactory(iface):  # noqa: N802 - name required by QGIS
    from .plugin.plugin import MineCDPlugin

    return MineCDPlugin(iface)
