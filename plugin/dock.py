"""The MineCD dock panel: pick two rasters and a detector, run in the background, get styled layers."""

from __future__ import annotations

import datetime as _dt
import tempfile
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsLayerTreeGroup,
    QgsMapLayerProxyModel,
    QgsMessageLog,
    QgsProcessingUtils,
    QgsProject,
    QgsRasterLayer,
    QgsSettings,
    QgsTask,
    QgsVectorLayer,
)
from qgis.gui import QgsCollapsibleGroupBox, QgsDoubleSpinBox, QgsFileWidget, QgsMapLayerComboBox, QgsSpinBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import tr
from .styling import style_mask, style_polygons, style_probability, write_sidecar
from .task import LOG_TAG, DetectionTask, InstallTask

DOCK_OBJECT_NAME = "MineCDDock"
SETTINGS = "minecd/dock/"
PROJECT_SCOPE = "MineCD"
EXTENT_MODES = ("overlap", "canvas", "layer_extent", "layer_polygons")
KIND_ROLE = Qt.UserRole + 1


def _raster_combo(parent, optional: bool = False) -> QgsMapLayerComboBox:
    combo = QgsMapLayerComboBox(parent)
    combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
    combo.setAllowEmptyLayer(optional)
    if optional:
        combo.setLayer(None)
    return combo


class MineCDDock(QDockWidget):
    def __init__(self, parent=None, iface=None):
        super().__init__(tr("Mine Change Detection"), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.iface = iface
        self.task: DetectionTask | None = None
        self.install_task: InstallTask | None = None
        self.last_summary: dict | None = None
        self.last_group: QgsLayerTreeGroup | None = None
        self._build()
        self._load_settings()
        self.refresh_dependencies()
        QgsProject.instance().readProject.connect(self._load_project)

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        body = QWidget(self)
        outer = QVBoxLayout(body)

        self.deps_box = QGroupBox(tr("Missing Python packages"), body)
        deps_layout = QVBoxLayout(self.deps_box)
        self.deps_label = QLabel(self.deps_box)
        self.deps_label.setWordWrap(True)
        self.install_button = QPushButton(tr("Install with pip"), self.deps_box)
        self.install_button.clicked.connect(self.install_dependencies)
        deps_layout.addWidget(self.deps_label)
        deps_layout.addWidget(self.install_button)
        outer.addWidget(self.deps_box)

        inputs = QGroupBox(tr("Images"), body)
        form = QFormLayout(inputs)
        self.before_combo = _raster_combo(inputs)
        self.after_combo = _raster_combo(inputs)
        form.addRow(tr("Before"), self._with_browse(self.before_combo))
        form.addRow(tr("After"), self._with_browse(self.after_combo))
        self.bands_edit = QLineEdit(inputs)
        self.bands_edit.setPlaceholderText(tr("default, or e.g. 3,2,1"))
        form.addRow(tr("Bands"), self.bands_edit)
        outer.addWidget(inputs)

        detector = QGroupBox(tr("Detector"), body)
        dform = QFormLayout(detector)
        self.detector_combo = QComboBox(detector)
        self._fill_detectors()
        self.detector_combo.currentIndexChanged.connect(self._detector_changed)
        dform.addRow(tr("Model"), self.detector_combo)
        self.model_info = QLabel(detector)
        self.model_info.setWordWrap(True)
        dform.addRow(self.model_info)
        self.sar_box = QGroupBox(tr("SAR"), detector)
        sform = QFormLayout(self.sar_box)
        self.coherence_combo = _raster_combo(self.sar_box, optional=True)
        sform.addRow(tr("Coherence (optional)"), self.coherence_combo)
        self.window_edit = QLineEdit("5", self.sar_box)
        sform.addRow(tr("Log-ratio window"), self.window_edit)
        self.units_combo = QComboBox(self.sar_box)
        for key, text in (
            ("amplitude", tr("Amplitude (linear)")),
            ("intensity", tr("Intensity (linear)")),
            ("db", tr("dB")),
        ):
            self.units_combo.addItem(text, key)
        sform.addRow(tr("Units of real rasters"), self.units_combo)
        dform.addRow(self.sar_box)
        outer.addWidget(detector)

        extent = QGroupBox(tr("Processing extent"), body)
        eform = QFormLayout(extent)
        self.extent_combo = QComboBox(extent)
        for key, text in zip(
            EXTENT_MODES,
            (
                tr("Full overlap of the images"),
                tr("Map canvas extent"),
                tr("Extent of a layer"),
                tr("Polygons of a layer"),
            ),
        ):
            self.extent_combo.addItem(text, key)
        self.extent_layer = QgsMapLayerComboBox(extent)
        self.extent_layer.setFilters(QgsMapLayerProxyModel.VectorLayer | QgsMapLayerProxyModel.RasterLayer)
        self.extent_combo.currentIndexChanged.connect(self._extent_changed)
        eform.addRow(tr("Area"), self.extent_combo)
        eform.addRow(tr("Layer"), self.extent_layer)
        outer.addWidget(extent)

        output = QGroupBox(tr("Output"), body)
        oform = QFormLayout(output)
        self.output_file = QgsFileWidget(output)
        self.output_file.setStorageMode(QgsFileWidget.SaveFile)
        self.output_file.setFilter(tr("GeoTIFF (*.tif *.tiff)"))
        self.output_file.lineEdit().setPlaceholderText(tr("[temporary file]"))
        oform.addRow(tr("Change mask"), self.output_file)
        self.prob_check = QCheckBox(tr("Also add the change probability"), output)
        self.polygons_check = QCheckBox(tr("Also add change polygons"), output)
        self.min_area = QgsDoubleSpinBox(output)
        self.min_area.setRange(0, 1e9)
        self.min_area.setSuffix(" m²")
        oform.addRow(self.prob_check)
        oform.addRow(self.polygons_check)
        oform.addRow(tr("Minimum polygon area"), self.min_area)
        outer.addWidget(output)

        advanced = QgsCollapsibleGroupBox(tr("Advanced"), body)
        advanced.setCollapsed(True)
        aform = QFormLayout(advanced)
        self.device_combo = QComboBox(advanced)
        self._fill_devices()
        aform.addRow(tr("Device"), self.device_combo)
        self.threshold_spin = QgsDoubleSpinBox(advanced)
        self.threshold_spin.setRange(-0.01, 1.0)
        self.threshold_spin.setSingleStep(0.05)
        self.threshold_spin.setSpecialValueText(tr("detector's default"))
        self.threshold_spin.setClearValue(-0.01)
        self.threshold_spin.setValue(-0.01)
        aform.addRow(tr("Threshold"), self.threshold_spin)
        self.tile_spin = QgsSpinBox(advanced)
        self.tile_spin.setRange(0, 4096)
        self.tile_spin.setSingleStep(16)
        self.tile_spin.setSpecialValueText(tr("default"))
        aform.addRow(tr("Tile size"), self.tile_spin)
        self.batch_spin = QgsSpinBox(advanced)
        self.batch_spin.setRange(0, 512)
        self.batch_spin.setSpecialValueText(tr("automatic"))  # 8 on the CPU, 32 on a GPU
        self.batch_spin.setValue(0)
        self.batch_spin.setClearValue(0)
        aform.addRow(tr("Batch size"), self.batch_spin)
        outer.addWidget(advanced)

        buttons = QHBoxLayout()
        self.run_button = QPushButton(tr("Run"), body)
        self.run_button.setObjectName("MineCDRun")
        self.cancel_button = QPushButton(tr("Cancel"), body)
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        outer.addLayout(buttons)
        self.progress = QProgressBar(body)
        self.progress.setRange(0, 100)
        self.status = QLabel(tr("Ready."), body)
        self.status.setWordWrap(True)
        outer.addWidget(self.progress)
        outer.addWidget(self.status)
        outer.addStretch(1)

        for combo in body.findChildren(QComboBox):  # long item texts must not widen the panel
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.setWidget(scroll)
        self._detector_changed()
        self._extent_changed()

    def _with_browse(self, combo: QgsMapLayerComboBox) -> QWidget:
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(combo, 1)
        browse = QToolButton(holder)
        browse.setText("…")
        browse.setToolTip(tr("Open a raster file"))
        browse.clicked.connect(lambda: self._browse_raster(combo))
        row.addWidget(browse)
        return holder

    def _browse_raster(self, combo: QgsMapLayerComboBox) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open a raster"), "", tr("Rasters (*.tif *.tiff *.jp2 *.vrt *.img *.png);;All files (*)")
        )
        if path:
            self.select_file(combo, path)

    def select_file(self, combo: QgsMapLayerComboBox, path: str) -> QgsRasterLayer | None:
        layer = QgsRasterLayer(path, Path(path).stem)
        if not layer.isValid():
            self.show_error(tr("{}: cannot read this file as a raster").format(path))
            return None
        QgsProject.instance().addMapLayer(layer)
        combo.setLayer(layer)
        return layer

    def _fill_detectors(self) -> None:
        self._add_detector(tr("Change-vector analysis (optical, no training)"), "cva", "optical")
        self._add_detector(tr("Log-ratio (SAR, no training)"), "logratio", "sar")
        try:
            from ..engine.bundled import manifest

            for name, entry in manifest().items():
                self._add_detector(entry.get("title", name), name, entry.get("kind", "optical"))
        except Exception as exc:  # a broken manifest must not break the panel
            QgsMessageLog.logMessage(f"bundled models: {exc}", LOG_TAG)
        self._add_detector(tr("Checkpoint file…"), "browse", "")

    def _add_detector(self, text: str, spec: str, kind: str, index: int | None = None) -> int:
        index = self.detector_combo.count() if index is None else index
        self.detector_combo.insertItem(index, text, spec)
        self.detector_combo.setItemData(index, kind, KIND_ROLE)
        return index

    def current_detector(self) -> tuple[str, str]:
        """(spec, kind): spec is cva, logratio, a bundled model's name or a checkpoint path."""
        index = self.detector_combo.currentIndex()
        return self.detector_combo.itemData(index) or "cva", self.detector_combo.itemData(
            index, KIND_ROLE
        ) or "optical"

    def select_detector(self, spec: str) -> bool:
        index = self.detector_combo.findData(spec)
        if index >= 0:
            self.detector_combo.setCurrentIndex(index)
        return index >= 0

    def _fill_devices(self) -> None:
        self.device_combo.addItem(tr("Auto"), "auto")
        self.device_combo.addItem(tr("CPU"), "cpu")
        gpus = []
        try:
            from ..engine.environment import cuda_devices

            gpus = cuda_devices()
        except Exception:
            gpus = []
        for i, name in enumerate(gpus):
            self.device_combo.addItem(f"CUDA {i}: {name}", f"cuda:{i}")
        if not gpus:
            self.device_combo.addItem(tr("CUDA (no GPU found)"), "cuda")
            item = self.device_combo.model().item(self.device_combo.count() - 1)
            item.setEnabled(False)

    # ---------------------------------------------------------------- reactions
    def _detector_changed(self) -> None:
        spec, kind = self.current_detector()
        if spec == "browse":
            path, _ = QFileDialog.getOpenFileName(
                self, tr("MineCD checkpoint"), "", tr("Checkpoints (*.pt *.pth)")
            )
            if path:
                self.add_checkpoint(path)
            else:
                self.detector_combo.setCurrentIndex(0)
            return
        self.sar_box.setVisible(kind == "sar")
        self.model_info.setText(self._describe(spec))

    def add_checkpoint(self, path: str) -> None:
        """Offer a checkpoint file in the detector list and select it."""
        kind = "optical"
        try:
            from ..engine.checkpoint import describe_checkpoint

            kind = describe_checkpoint(path)["kind"]
        except Exception as exc:
            self.show_error(str(exc))
            return
        if not self.select_detector(path):
            index = self._add_detector(Path(path).name, path, kind, self.detector_combo.count() - 1)
            self.detector_combo.setCurrentIndex(index)

    def _describe(self, spec: str) -> str:
        if spec in ("cva", "logratio"):
            return tr("Classic detector: needs no training; its threshold is chosen automatically per scene.")
        try:
            from ..engine.bundled import bundled_path
            from ..engine.checkpoint import describe_checkpoint

            info = describe_checkpoint(bundled_path(spec) or spec)
        except Exception as exc:
            return tr("Cannot read the model: {}").format(exc)
        metrics = info.get("metrics", {}).get("test") or info.get("metrics", {}).get("validation") or {}
        parts = [
            f"{info['arch']} ({info['kind']})",
            tr("bands {}").format(",".join(map(str, info["bands"])) if info["bands"] else "-"),
            tr("trained at {} m").format(info["pixel_size_m"]) if info.get("pixel_size_m") else "",
            tr("test F1 {:.3f}").format(metrics["f1"]) if "f1" in metrics else "",
        ]
        text = ", ".join(p for p in parts if p)
        return text + (f"\n{info['description']}" if info.get("description") else "")

    def _extent_changed(self) -> None:
        mode = self.extent_combo.currentData()
        self.extent_layer.setEnabled(mode in ("layer_extent", "layer_polygons"))
        if mode == "layer_polygons":
            self.extent_layer.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        else:
            self.extent_layer.setFilters(
                QgsMapLayerProxyModel.VectorLayer | QgsMapLayerProxyModel.RasterLayer
            )

    def refresh_dependencies(self) -> None:
        from .deps import missing

        packages = missing()
        self.deps_box.setVisible(bool(packages))
        self.deps_label.setText(
            tr(
                "MineCD needs these Python packages, which QGIS cannot find: {}. The classic detectors "
                "may work without PyTorch; the networks do not."
            ).format(", ".join(packages))
        )
        self.missing_packages = packages

    def install_dependencies(self) -> None:
        from .deps import packages_dir

        target = packages_dir()
        target.mkdir(parents=True, exist_ok=True)
        self.install_task = InstallTask(self.missing_packages, str(target))
        self.install_task.taskCompleted.connect(self._installed)
        self.install_task.taskTerminated.connect(
            lambda: self.show_error(tr("Installing the packages failed; see the MineCD log."))
        )
        self.install_button.setEnabled(False)
        self.status.setText(tr("Installing {} …").format(", ".join(self.missing_packages)))
        QgsApplication.taskManager().addTask(self.install_task)

    def _installed(self) -> None:
        from .deps import activate

        activate()
        self.install_button.setEnabled(True)
        self.refresh_dependencies()
        self.status.setText(tr("Packages installed."))

    # ---------------------------------------------------------------- running
    def arguments(self) -> dict:
        """The engine arguments the panel describes (raises ValueError with a message)."""
        before, after = self.before_combo.currentLayer(), self.after_combo.currentLayer()
        if before is None or after is None:
            raise ValueError(tr("Choose a before and an after raster."))
        spec, kind = self.current_detector()
        out = self.output_file.filePath().strip()
        if not out:
            out = str(
                Path(tempfile.mkdtemp(prefix="minecd_", dir=QgsProcessingUtils.tempFolder()))
                / "change_mask.tif"
            )
        base = Path(out)
        args = {
            "before": before.source(),
            "after": after.source(),
            "detector": spec,
            "out": out,
            "prob_out": str(base.with_name(base.stem + "_probability.tif"))
            if self.prob_check.isChecked()
            else None,
            "polygons_out": str(base.with_name(base.stem + "_polygons.gpkg"))
            if self.polygons_check.isChecked()
            else None,
            "min_area_m2": self.min_area.value(),
            "device": self.device_combo.currentData(),
            "batch": self.batch_spin.value() or None,
            "tile": self.tile_spin.value() or None,
            "threshold": None if self.threshold_spin.value() < 0 else self.threshold_spin.value(),
        }
        bands = self.bands_edit.text().strip()
        if bands:
            try:
                args["bands"] = [int(b) for b in bands.replace(" ", "").split(",") if b]
            except ValueError:
                raise ValueError(tr("Bands: '{}' is not a list such as 3,2,1.").format(bands)) from None
        args["aoi"] = self._aoi(before)
        options = {}
        if kind == "sar":
            if spec == "logratio":
                try:
                    options["window"] = int(self.window_edit.text().strip() or 5)
                except ValueError:
                    raise ValueError(tr("Log-ratio window: give an odd number of pixels.")) from None
            options["units"] = self.units_combo.currentData()
            coherence = self.coherence_combo.currentLayer()
            if coherence is not None and spec != "logratio":
                args["extra_inputs"] = {"coherence": coherence.source()}
        args["detector_options"] = options
        return args

    def _aoi(self, reference_layer) -> str | None:
        mode = self.extent_combo.currentData()
        if mode == "overlap":
            return None
        if mode == "canvas":
            canvas = self.iface.mapCanvas() if self.iface else None
            if canvas is None:
                return None
            rect = canvas.extent()
            crs = canvas.mapSettings().destinationCrs().authid()
        else:
            layer = self.extent_layer.currentLayer()
            if layer is None:
                raise ValueError(tr("Choose the layer that limits the processing extent."))
            if mode == "layer_polygons":
                return layer.source().split("|")[0]
            rect, crs = layer.extent(), layer.crs().authid()
        return f"{rect.xMinimum()},{rect.yMinimum()},{rect.xMaximum()},{rect.yMaximum()} [{crs}]"

    def run(self) -> DetectionTask | None:
        if self.task is not None:
            return None
        try:
            arguments = self.arguments()
        except ValueError as exc:
            self.show_error(str(exc))
            return None
        self._save_settings()
        before, after = self.before_combo.currentLayer(), self.after_combo.currentLayer()
        detector = self.detector_combo.currentText()
        title = f"MineCD {_dt.datetime.now():%H:%M}: {before.name()} → {after.name()} ({detector})"
        self.task = DetectionTask(title, arguments)
        self.task.message.connect(self.status.setText)
        self.task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        self.task.taskCompleted.connect(self._completed)
        self.task.taskTerminated.connect(self._terminated)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText(tr("Starting…"))
        QgsApplication.taskManager().addTask(self.task)
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.status.setText(tr("Cancelling…"))  # first: a queued task ends inside cancel()
            self.task.cancel()

    def _finish(self) -> DetectionTask:
        task, self.task = self.task, None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        return task

    def _completed(self) -> None:
        task = self._finish()
        summary = self.last_summary = task.summary
        self.last_group = self.add_results(task.description(), summary)
        area = summary["changed_area_ha"]
        amount = f"{area:.1f} ha" if area is not None else tr("{} pixels").format(summary["changed_pixels"])
        text = tr("{} changed in {:.0f} s on {}").format(
            amount, summary["runtime_s"], summary["device"].upper()
        )
        self.progress.setValue(100)
        self.status.setText(text)
        self.push_message(tr("Mine Change Detection"), text, Qgis.Success)
        for note in summary.get("messages", []):
            self.push_message(tr("Mine Change Detection"), note, Qgis.Warning)

    def _terminated(self) -> None:
        task = self._finish()
        self.progress.setValue(0)
        if task.cancelled_by_user or (task.error is None and task.isCanceled()):
            self.status.setText(tr("Cancelled: no output was written."))
            self.push_message(tr("Mine Change Detection"), tr("Cancelled: no output was written."), Qgis.Info)
            return
        self.show_error(task.error or tr("The detection failed."), task.details)

    def add_results(self, title: str, summary: dict) -> QgsLayerTreeGroup:
        """The run's layers, styled, in a group on top of the layer tree."""
        project = QgsProject.instance()
        group = project.layerTreeRoot().insertGroup(0, title)
        layers = []
        if summary.get("polygons"):
            polygons = QgsVectorLayer(summary["polygons"], tr("Change polygons"), "ogr")
            style_polygons(polygons)
            write_sidecar(summary["polygons"], "polygons")
            layers.append(polygons)
        mask = QgsRasterLayer(summary["mask"], tr("Change mask"))
        style_mask(mask)
        write_sidecar(summary["mask"], "mask")
        layers.append(mask)
        if summary.get("probability"):
            prob = QgsRasterLayer(summary["probability"], tr("Change probability"))
            style_probability(prob)
            write_sidecar(summary["probability"], "probability")
            layers.append(prob)
        for layer in layers:
            project.addMapLayer(layer, False)
            group.addLayer(layer)
        return group

    def push_message(self, title: str, text: str, level) -> None:
        if self.iface is not None:
            self.iface.messageBar().pushMessage(title, text, level=level, duration=10)

    def show_error(self, text: str, details: str | None = None) -> None:
        self.status.setText(text)
        QgsMessageLog.logMessage(details or text, LOG_TAG, Qgis.Critical)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(
                tr("Mine Change Detection"), text, showMore=details or text, level=Qgis.Critical, duration=0
            )

    # ---------------------------------------------------------------- settings
    def _save_settings(self) -> None:
        s = QgsSettings()
        s.setValue(SETTINGS + "detector", self.current_detector()[0])
        s.setValue(SETTINGS + "device", self.device_combo.currentData())
        s.setValue(SETTINGS + "batch", self.batch_spin.value())
        s.setValue(SETTINGS + "tile", self.tile_spin.value())
        s.setValue(SETTINGS + "threshold", self.threshold_spin.value())
        s.setValue(SETTINGS + "probability", self.prob_check.isChecked())
        s.setValue(SETTINGS + "polygons", self.polygons_check.isChecked())
        s.setValue(SETTINGS + "min_area", self.min_area.value())
        project = QgsProject.instance()
        for key, combo in (
            ("before", self.before_combo),
            ("after", self.after_combo),
            ("coherence", self.coherence_combo),
        ):
            layer = combo.currentLayer()
            project.writeEntry(PROJECT_SCOPE, key, layer.id() if layer else "")
        project.writeEntry(PROJECT_SCOPE, "bands", self.bands_edit.text())
        project.writeEntry(PROJECT_SCOPE, "extent", self.extent_combo.currentData())
        project.writeEntry(PROJECT_SCOPE, "output", self.output_file.filePath())

    def _load_settings(self) -> None:
        s = QgsSettings()
        self.select_detector(s.value(SETTINGS + "detector", "cva"))
        index = self.device_combo.findData(s.value(SETTINGS + "device", "auto"))
        if index >= 0 and self.device_combo.model().item(index).isEnabled():
            self.device_combo.setCurrentIndex(index)
        self.batch_spin.setValue(int(s.value(SETTINGS + "batch", 0)))
        self.tile_spin.setValue(int(s.value(SETTINGS + "tile", 0)))
        self.threshold_spin.setValue(float(s.value(SETTINGS + "threshold", -0.01)))
        self.prob_check.setChecked(s.value(SETTINGS + "probability", False, type=bool))
        self.polygons_check.setChecked(s.value(SETTINGS + "polygons", False, type=bool))
        self.min_area.setValue(float(s.value(SETTINGS + "min_area", 0.0)))
        self._load_project()

    def _load_project(self) -> None:
        project = QgsProject.instance()
        for key, combo in (
            ("before", self.before_combo),
            ("after", self.after_combo),
            ("coherence", self.coherence_combo),
        ):
            layer_id, ok = project.readEntry(PROJECT_SCOPE, key, "")
            if ok and layer_id and project.mapLayer(layer_id):
                combo.setLayer(project.mapLayer(layer_id))
        bands, _ = project.readEntry(PROJECT_SCOPE, "bands", "")
        self.bands_edit.setText(bands)
        extent, ok = project.readEntry(PROJECT_SCOPE, "extent", "overlap")
        index = self.extent_combo.findData(extent)
        self.extent_combo.setCurrentIndex(max(index, 0))
        output, _ = project.readEntry(PROJECT_SCOPE, "output", "")
        self.output_file.setFilePath(output)

    def unload(self) -> None:
        try:
            QgsProject.instance().readProject.disconnect(self._load_project)
        except TypeError:
            pass
        if self.task is not None and self.task.status() not in (QgsTask.Complete, QgsTask.Terminated):
            self.task.cancel()
