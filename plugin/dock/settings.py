"""What the dock remembers: run options between sessions (QgsSettings), layers and paths in the project."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProject, QgsSettings

SETTINGS = "minecd/dock/"
PROJECT_SCOPE = "MineCD"


def optional_offer_hidden() -> bool:
    return QgsSettings().value(SETTINGS + "hide_optional_packages", False, type=bool)


def hide_optional_offer() -> None:
    QgsSettings().setValue(SETTINGS + "hide_optional_packages", True)


def _layer_combos(dock) -> tuple:
    return (("before", dock.before_combo), ("after", dock.after_combo), ("coherence", dock.coherence_combo))


def save(dock) -> None:
    s = QgsSettings()
    s.setValue(SETTINGS + "detector", dock.current_detector()[0])
    s.setValue(SETTINGS + "device", dock.device_combo.currentData())
    s.setValue(SETTINGS + "batch", dock.batch_spin.value())
    s.setValue(SETTINGS + "tile", dock.tile_spin.value())
    s.setValue(SETTINGS + "fastest", dock.overlap_combo.currentIndex() == 1)
    s.setValue(SETTINGS + "threshold", dock.threshold_spin.value())
    s.setValue(SETTINGS + "probability", dock.prob_check.isChecked())
    s.setValue(SETTINGS + "polygons", dock.polygons_check.isChecked())
    s.setValue(SETTINGS + "min_area", dock.min_area.value())
    s.setValue(SETTINGS + "adapt_minutes", dock.adapt_minutes.value())
    s.setValue(SETTINGS + "adapt_pseudo", dock.adapt_pseudo.isChecked())
    project = QgsProject.instance()
    for key, combo in _layer_combos(dock):
        layer = combo.currentLayer()
        project.writeEntry(PROJECT_SCOPE, key, layer.id() if layer else "")
    project.writeEntry(PROJECT_SCOPE, "bands", dock.bands_edit.text())
    project.writeEntry(PROJECT_SCOPE, "extent", dock.extent_combo.currentData())
    project.writeEntry(PROJECT_SCOPE, "output", dock.output_file.filePath())


def load(dock) -> None:
    s = QgsSettings()
    dock.select_detector(s.value(SETTINGS + "detector", "cva"))
    index = dock.device_combo.findData(s.value(SETTINGS + "device", "auto"))
    if index >= 0 and dock.device_combo.model().item(index).isEnabled():
        dock.device_combo.setCurrentIndex(index)
    dock.batch_spin.setValue(int(s.value(SETTINGS + "batch", 0)))
    dock.tile_spin.setValue(int(s.value(SETTINGS + "tile", 0)))
    dock.overlap_combo.setCurrentIndex(1 if s.value(SETTINGS + "fastest", False, type=bool) else 0)
    dock.threshold_spin.setValue(float(s.value(SETTINGS + "threshold", -0.01)))
    dock.prob_check.setChecked(s.value(SETTINGS + "probability", False, type=bool))
    dock.polygons_check.setChecked(s.value(SETTINGS + "polygons", False, type=bool))
    dock.min_area.setValue(float(s.value(SETTINGS + "min_area", 0.0)))
    dock.adapt_minutes.setValue(float(s.value(SETTINGS + "adapt_minutes", 5.0)))
    dock.adapt_pseudo.setChecked(s.value(SETTINGS + "adapt_pseudo", False, type=bool))
    load_project(dock)


def load_project(dock) -> None:
    project = QgsProject.instance()
    for key, combo in _layer_combos(dock):
        layer_id, ok = project.readEntry(PROJECT_SCOPE, key, "")
        if ok and layer_id and project.mapLayer(layer_id):
            combo.setLayer(project.mapLayer(layer_id))
    bands, _ = project.readEntry(PROJECT_SCOPE, "bands", "")
    dock.bands_edit.setText(bands)
    extent, _ = project.readEntry(PROJECT_SCOPE, "extent", "overlap")
    index = dock.extent_combo.findData(extent)
    dock.extent_combo.setCurrentIndex(max(index, 0))
    output, _ = project.readEntry(PROJECT_SCOPE, "output", "")
    dock.output_file.setFilePath(output)
    models, _ = project.readListEntry(PROJECT_SCOPE, "adapted_models", [])
    for path in models:
        if Path(path).exists():
            dock.add_checkpoint(path)


def remember_model(path: str) -> None:
    """An adapted model stays in the detector list of this project."""
    project = QgsProject.instance()
    models, _ = project.readListEntry(PROJECT_SCOPE, "adapted_models", [])
    if path not in models:
        project.writeEntry(PROJECT_SCOPE, "adapted_models", [*models, path])
