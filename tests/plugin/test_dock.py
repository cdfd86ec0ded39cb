"""The dock: a run in QGIS's task manager, styled results, cancel, settings."""

from __future__ import annotations

import time

import numpy as np
import pytest
from qgis.core import Qgis, QgsApplication, QgsPalettedRasterRenderer, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QCoreApplication


def _watch(task) -> list:
    """Record how the task ends (QGIS's task manager deletes a task once it has ended)."""
    outcome = []
    task.taskCompleted.connect(lambda: outcome.append("completed"))
    task.taskTerminated.connect(lambda: outcome.append("terminated"))
    return outcome


def _wait(task_or_outcome, timeout=300) -> str:
    """Process events until the task ends; returns "completed" or "terminated"."""
    outcome = task_or_outcome if isinstance(task_or_outcome, list) else _watch(task_or_outcome)
    deadline = time.time() + timeout
    while not outcome:
        QCoreApplication.processEvents()
        time.sleep(0.01)
        assert time.time() < deadline, "task did not finish"
    for _ in range(20):  # let the other completion slots run
        QCoreApplication.processEvents()
    return outcome[0]


@pytest.fixture
def pair(tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    rng = np.random.default_rng(0)
    before = (60 + 40 * rng.random((3, 600, 700))).astype(np.uint8)
    after = before.copy()
    after[:, 100:300, 200:450] = 220
    paths = []
    for name, data in (("before", before), ("after", after)):
        path = tmp_path / f"{name}.tif"
        with rasterio.open(
            path,
            "w",
            driver="GTiff",
            width=700,
            height=600,
            count=3,
            dtype="uint8",
            crs="EPSG:32650",
            transform=from_origin(500000, 4000000, 1, 1),
            tiled=True,
        ) as ds:
            ds.write(data)
        paths.append(path)
    return paths


@pytest.fixture
def dock(minecd, qgis_iface, qgis_new_project, pair):
    from minecd.plugin.dock import MineCDDock

    panel = MineCDDock(qgis_iface.mainWindow(), qgis_iface)
    project = QgsProject.instance()
    for combo, path in ((panel.before_combo, pair[0]), (panel.after_combo, pair[1])):
        layer = QgsRasterLayer(str(path), path.stem)
        project.addMapLayer(layer)
        combo.setLayer(layer)
    assert panel.select_detector("cva")
    qgis_iface.messageBar().clear_messages()
    yield panel
    panel.unload()
    panel.deleteLater()


def test_run_adds_a_styled_mask_and_reports_the_area(dock, qgis_iface, tmp_path):
    out = tmp_path / "result" / "mask.tif"
    out.parent.mkdir()
    dock.output_file.setFilePath(str(out))
    dock.polygons_check.setChecked(True)
    task = dock.run()
    assert task is not None and task in QgsApplication.taskManager().tasks()  # in QGIS's task manager
    assert _wait(task) == "completed", dock.status.text()
    assert out.exists() and out.with_suffix(".qml").exists()

    group = QgsProject.instance().layerTreeRoot().children()[0]
    assert group.name().startswith("MineCD") and "before → after" in group.name()
    layers = {node.layer().name(): node.layer() for node in group.findLayers()}
    mask = layers["Change mask"]
    renderer = mask.renderer()
    assert isinstance(renderer, QgsPalettedRasterRenderer)
    colours = {c.value: c.color for c in renderer.classes()}
    assert colours[0].alpha() == 0 and colours[1].red() > 200 and colours[1].alpha() == 255
    assert "Change polygons" in layers and layers["Change polygons"].featureCount() >= 1

    messages = qgis_iface.messageBar().get_messages(Qgis.Success)
    assert messages and "ha changed in" in messages[-1] and "CPU" in messages[-1]
    assert dock.last_summary["changed_area_ha"] == pytest.approx(5.0, rel=0.05)  # the 200 x 250 m change
    assert dock.run_button.isEnabled() and not dock.cancel_button.isEnabled()


def test_cancel_right_after_start_leaves_no_output_and_no_layer(dock, qgis_iface, tmp_path):
    out = tmp_path / "cancelled.tif"
    dock.output_file.setFilePath(str(out))
    dock.tile_spin.setValue(64)
    dock.batch_spin.setValue(1)
    layers_before = set(QgsProject.instance().mapLayers())
    groups_before = len(QgsProject.instance().layerTreeRoot().children())
    outcome = _watch(dock.run())
    dock.cancel()  # a task still queued ends at once; a running one within a batch
    assert not dock.cancel_button.isEnabled()  # once is enough
    assert _wait(outcome) in ("terminated", "completed")  # running: ends "completed", not "failed"
    assert not out.exists() and not list(tmp_path.glob(".cancelled*"))
    assert set(QgsProject.instance().mapLayers()) == layers_before
    assert len(QgsProject.instance().layerTreeRoot().children()) == groups_before
    assert "Cancelled" in dock.status.text()
    assert not qgis_iface.messageBar().get_messages(Qgis.Critical)


def test_bad_input_shows_the_engines_message(dock, qgis_iface, tmp_path):
    dock.bands_edit.setText("1,2,9")
    dock.output_file.setFilePath(str(tmp_path / "m.tif"))
    _wait(dock.run())
    errors = qgis_iface.messageBar().get_messages(Qgis.Critical)
    assert errors and "cannot read band 9" in errors[-1]
    assert "Traceback" not in errors[-1]
    before = dock.before_combo.currentLayer()
    assert before.source() not in errors[-1] and f"'{before.name()}'" in errors[-1]  # the layer, not a path
    dock.bands_edit.setText("x")
    assert dock.run() is None and "is not a list" in dock.status.text()


def test_settings_persist_between_sessions_and_in_the_project(minecd, dock, qgis_iface):
    from minecd.plugin.dock import MineCDDock

    dock.batch_spin.setValue(5)
    dock.prob_check.setChecked(True)
    dock.bands_edit.setText("3,2,1")
    dock._save_settings()
    again = MineCDDock(qgis_iface.mainWindow(), qgis_iface)
    try:
        assert again.batch_spin.value() == 5 and again.prob_check.isChecked()
        assert again.before_combo.currentLayer() is dock.before_combo.currentLayer()  # from the project
        assert again.bands_edit.text() == "3,2,1"
    finally:
        again.unload()
        again.deleteLater()


def test_checkpoint_metadata_is_shown(minecd, dock, tmp_path):
    import torch
    from minecd.engine.archs import get
    from minecd.engine.checkpoint import save_checkpoint

    model = get("sarunet").build(channels=3)
    meta = {
        "arch": "sarunet",
        "kind": "sar",
        "model_args": {"channels": 3},
        "inputs": {"channels": ["a", "b", "c"]},
        "normalisation": {"method": "mz-tanh", "median": [0, 0, 0], "mad": [1, 1, 1]},
        "tile": 256,
        "context": False,
        "classes": ["no change", "change"],
        "pixel_size_m": 5.0,
        "metrics": {"test": {"f1": 0.812}},
    }
    path = tmp_path / "sar.pt"
    save_checkpoint(path, model, meta)
    dock.add_checkpoint(str(path))
    assert dock.current_detector() == (str(path), "sar")
    assert dock.sar_box.isVisibleTo(dock)
    text = dock.model_info.text()
    assert "sarunet (sar)" in text and "5.0 m" in text and "0.812" in text
    assert torch.is_tensor(next(iter(model.state_dict().values())))


def test_after_defaults_to_another_raster_and_the_same_file_twice_is_refused(dock, pair, qgis_iface):
    project = QgsProject.instance()
    before = dock.before_combo.currentLayer()
    dock.after_combo.setLayer(before)
    dock.before_combo.setLayer(None)
    dock.before_combo.setLayer(before)  # choosing Before moves After off it
    after = dock.after_combo.currentLayer()
    assert after is not None and after.id() != before.id() and after.bandCount() == before.bandCount()
    twin = QgsRasterLayer(str(pair[0]), "before again")
    project.addMapLayer(twin)
    dock.after_combo.setLayer(twin)  # another layer, the same file
    assert dock.run() is None and "same raster" in dock.status.text()
    bar = qgis_iface.messageBar()  # something to fix in the panel: a passing warning, not an error
    assert any("same raster" in m for m in bar.get_messages(Qgis.Warning))
    assert not bar.get_messages(Qgis.Critical)


def test_cancelling_the_checkpoint_dialog_keeps_the_previous_detector(dock, monkeypatch, tmp_path):
    from qgis.PyQt.QtWidgets import QFileDialog

    assert dock.select_detector("logratio")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    dock.select_detector("browse")
    assert dock.current_detector() == ("logratio", "sar") and dock.sar_box.isVisibleTo(dock)
    not_a_model = tmp_path / "notes.pt"
    not_a_model.write_text("not a checkpoint")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(not_a_model), ""))
    dock.select_detector("browse")  # refused with a message: the choice stays too
    assert dock.current_detector() == ("logratio", "sar")


def test_the_request_takes_the_sar_options_only_where_they_apply(dock):
    dock.bands_edit.setText("0")  # band numbers start at 1: the engine's check, as in Processing
    assert dock.run() is None and "is not a list of band numbers" in dock.status.text()
    dock.bands_edit.setText("")
    dock.window_edit.setText("7")
    dock.coherence_combo.setLayer(dock.after_combo.currentLayer())
    optical = dock.request()  # the SAR box is hidden for an optical detector
    assert (optical.window, optical.units, optical.coherence) == (None, None, None)

    assert dock.select_detector("logratio") and dock.sar_box.isVisibleTo(dock)
    request = dock.request()
    assert request.before == dock.before_combo.currentLayer().source()
    assert request.detector_options() == {"window": 7, "units": "amplitude"}
    assert request.extra_inputs() is None  # the log-ratio uses amplitudes only
    dock.window_edit.setText("five")
    assert dock.run() is None and "is not a number of pixels" in dock.status.text()


def test_a_layer_that_is_not_a_file_gets_a_message(dock):
    from qgis.core import QgsVectorLayer

    zone = QgsVectorLayer("Polygon?crs=EPSG:32650", "drawn zone", "memory")
    QgsProject.instance().addMapLayer(zone)
    dock.extent_combo.setCurrentIndex(dock.extent_combo.findData("layer_polygons"))
    dock.extent_layer.setLayer(zone)
    assert dock.run() is None and "'drawn zone' is not a file" in dock.status.text()


def test_adapt_trains_on_polygons_drawn_in_scratch_layers_and_offers_the_model(dock, qgis_iface):
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle

    dock.adapt_box.setCollapsed(False)
    dock.new_scratch_layers()
    changes, area = dock.adapt_labels.currentLayer(), dock.adapt_area.currentLayer()
    assert changes.isEditable() and changes.crs().authid() == "EPSG:32650"
    x0, y0 = 500000, 4000000  # the pair's change: rows 100-300, columns 200-450
    for layer, rect in ((changes, QgsRectangle(x0 + 200, y0 - 300, x0 + 450, y0 - 100)),
                        (area, QgsRectangle(x0, y0 - 600, x0 + 350, y0))):  # fmt: skip
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromRect(rect))
        layer.dataProvider().addFeatures([feature])
    dock.adapt_init.setCurrentIndex(dock.adapt_init.findData("none"))
    dock.adapt_minutes.setValue(0.5)
    dock.adapt_pseudo.setChecked(True)
    task = dock.adapt()
    assert task is not None and not dock.run_button.isEnabled()
    assert _wait(task, timeout=600) == "completed", dock.status.text()
    spec, kind = dock.current_detector()
    assert spec == task.out and kind == "optical" and "Model adapted" in dock.status.text()
    from minecd.engine.checkpoint import load_checkpoint

    meta = load_checkpoint(spec).metadata
    assert sum(meta["training"]["labelled_pixels"].values()) == 350 * 600  # the labelled area only
    assert "pseudo_labelling" in meta["training"] and "pseudo-labelled" in dock.status.text()
    cue = meta["training"]["classic_cue"]  # weighed after training; the dock says when it is kept
    assert ("change-vector analysis" in dock.status.text()) == bool(cue["kept"] and meta.get("fusion"))
    from minecd.plugin.dock.panel import describe_detector

    line = describe_detector(spec)
    assert ("blended with change-vector analysis" in line) == bool(meta.get("fusion"))
    assert "test F1" not in line  # one pair: validation blocks at most, no test
    assert ("validation F1" in line) == ("f1" in meta["metrics"].get("validation", {}))
    models, _ = QgsProject.instance().readListEntry("MineCD", "adapted_models", [])
    assert task.out in models
    assert dock.run_button.isEnabled() and dock.adapt_button.isEnabled()


def test_adapt_without_polygons_says_what_is_missing(dock):
    dock.adapt_labels.setLayer(None)
    assert dock.adapt() is None and "change polygons" in dock.status.text()


def test_every_control_of_the_panel_explains_itself(dock):
    from qgis.PyQt.QtWidgets import (
        QAbstractSpinBox,
        QCheckBox,
        QComboBox,
        QLineEdit,
        QPushButton,
        QToolButton,
    )

    silent = []
    for kind in (QComboBox, QLineEdit, QAbstractSpinBox, QCheckBox, QPushButton, QToolButton):
        for widget in dock.widget().widget().findChildren(kind):
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
                continue  # the editor inside a combo or spin box: its owner carries the tooltip
            if isinstance(widget, QLineEdit) and type(widget.parent()).__name__ == "QgsFileWidget":
                continue
            if (
                isinstance(widget, QToolButton)
                and widget.parent() is not None
                and (
                    type(widget.parent()).__name__ in ("QgsFileWidget", "QgsFilterLineEdit", "QLineEdit")
                    or isinstance(widget.parent(), (QAbstractSpinBox, QLineEdit))
                    or widget.text() == ""
                )
            ):
                continue  # a widget's own clear / collapse button
            if not widget.toolTip():
                silent.append(f"{type(widget).__name__} {widget.text() if hasattr(widget, 'text') else ''}")
    assert silent == [], "\n".join(silent)


def test_block_joins_are_seam_free_by_default_and_fastest_on_request(minecd, dock, qgis_iface):
    from minecd.plugin.dock import MineCDDock

    assert dock.request().overlap is None  # the engine's default: a blended 48 px overlap
    dock.overlap_combo.setCurrentIndex(1)
    assert dock.request().overlap == 0
    dock._save_settings()
    again = MineCDDock(qgis_iface.mainWindow(), qgis_iface)
    try:
        assert again.overlap_combo.currentIndex() == 1  # remembered
    finally:
        again.unload()
        again.deleteLater()
    dock.overlap_combo.setCurrentIndex(0)
    dock._save_settings()


def test_an_onnx_model_file_is_offered_like_a_checkpoint(dock, tmp_path):
    from helpers import TINY_SIDECAR, tiny_onnx_model

    model = tiny_onnx_model(tmp_path, TINY_SIDECAR)
    assert dock.add_checkpoint(str(model))
    assert dock.current_detector() == (str(model), "optical")
    assert "onnx" in dock.model_info.text()
