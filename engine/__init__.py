"""MineCD engine: change detection for open-pit mines, free of QGIS and Qt.

Usable headless (``python -m engine ...``) and from the QGIS plugin. Heavy
dependencies (torch) are imported lazily by the modules that need them.
"""

__version__ = "0.2.0"
