"""The MineCD dock panel: pick two rasters and a detector, run in the background, get styled layers.

The widgets are built in layout.py and remembered by settings.py; this file holds the reactions
and the run: the panel describes a :class:`DetectionRequest`, a :class:`DetectionTask` runs it.
"""

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
    QgsTask,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtWidgets import QDockWidget, QFileDialog

from ...engine.errors import MineCDError
from ...engine.request import DetectionRequest, parse_bands, summary_line
from ..i18n import tr
from ..layers import layer_file, rect_aoi_text
from ..styling import style_layer, write_sidecar
from ..task import LOG_TAG, DetectionTask, EngineTask, InstallTask, TrainingTask
from . import adapt, layout, settings
from .layout import KIND_ROLE

DOCK_OBJECT_NAME = "MineCDDock"


class MineCDDock(QDockWidget):
    def __init__(self, parent=None, iface=None):
        super().__init__(tr("Mine Change Detection"), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.iface = iface
        self.task: EngineTask | None = None
        self.install_task: InstallTask | None = None
        self.last_summary: dict | None = None
        self.last_group: QgsLayerTreeGroup | None = None
        self.missing_packages: list[str] = []
        self.previous_detector = "cva"  # what a cancelled "Checkpoint file…" dialog goes back to
        layout.build(self)
        self._connect()
        self._detector_changed()
        self._extent_changed()
        self._load_settings()
        self.refresh_dependencies()
        QgsProject.instance().readProject.connect(self._load_project)

    def _connect(self) -> None:
        self.install_button.clicked.connect(self.install_dependencies)
        self.skip_optional_button.clicked.connect(self.skip_optional)
        self.before_browse.clicked.connect(lambda: self._browse_raster(self.before_combo))
        self.after_browse.clicked.connect(lambda: self._browse_raster(self.after_combo))
        self.before_combo.layerChanged.connect(self._pick_other_after)
        QgsProject.instance().layersAdded.connect(self._pick_other_after)
        self.detector_combo.currentIndexChanged.connect(self._detector_changed)
        self.extent_combo.currentIndexChanged.connect(self._extent_changed)
        self.run_button.clicked.connect(self.run)
        self.monitor_button.clicked.connect(self.open_monitoring)
        self.cancel_button.clicked.connect(self.cancel)
        self.adapt_button.clicked.connect(self.adapt)
        self.adapt_scratch.clicked.connect(self.new_scratch_layers)

    # ---------------------------------------------------------------- reactions
    def _browse_raster(self, combo) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open a raster"), "", tr("Rasters (*.tif *.tiff *.jp2 *.vrt *.img *.png);;All files (*)")
        )
        if path:
            self.select_file(combo, path)

    def _pick_other_after(self, *_) -> None:
        """After must not default to Before: take another raster, one with as many bands first."""
        before, after = self.before_combo.currentLayer(), self.after_combo.currentLayer()
        if before is None or (after is not None and after.id() != before.id()):
            return
        others = [
            layer
            for layer in QgsProject.instance().mapLayers().values()
            if isinstance(layer, QgsRasterLayer) and layer.id() != before.id()
        ]
        others.sort(key=lambda layer: (layer.bandCount() != before.bandCount(), layer.name()))
        if others:
            self.after_combo.setLayer(others[0])

    def select_file(self, combo, path: str) -> QgsRasterLayer | None:
        layer = QgsRasterLayer(path, Path(path).stem)
        if not layer.isValid():
            self.show_error(tr("{}: cannot read this file as a raster").format(path))
            return None
        QgsProject.instance().addMapLayer(layer)
        combo.setLayer(layer)
        return layer

    def current_detector(self) -> tuple[str, str]:
        """(spec, kind): spec is cva, logratio, a bundled model's name or a checkpoint path."""
        index = self.detector_combo.currentIndex()
        spec = self.detector_combo.itemData(index) or "cva"
        return spec, self.detector_combo.itemData(index, KIND_ROLE) or "optical"

    def select_detector(self, spec: str) -> bool:
        index = self.detector_combo.findData(spec)
        if index >= 0:
            self.detector_combo.setCurrentIndex(index)
        return index >= 0

    def _detector_changed(self) -> None:
        spec, kind = self.current_detector()
        if spec == "browse":
            path, _ = QFileDialog.getOpenFileName(
                self, tr("MineCD checkpoint"), "", tr("Models (*.pt *.pth *.onnx)")
            )
            if not path or not self.add_checkpoint(path):
                self.select_detector(self.previous_detector)  # cancelled or refused: the choice before
            return
        self.previous_detector = spec
        self.sar_box.setVisible(kind == "sar")
        self.model_info.setText(describe_detector(spec))

    def add_checkpoint(self, path: str) -> bool:
        """Offer a checkpoint file in the detector list and select it (False: not a model)."""
        try:
            from ...engine.checkpoint import describe_checkpoint

            kind = describe_checkpoint(path)["kind"]
        except Exception as exc:
            self.show_error(str(exc))
            return False
        if not self.select_detector(path):
            combo = self.detector_combo
            index = layout.add_detector(combo, Path(path).name, path, kind, combo.count() - 1)
            combo.setCurrentIndex(index)
        return True

    def _extent_changed(self) -> None:
        mode = self.extent_combo.currentData()
        self.extent_layer.setEnabled(mode in ("layer_extent", "layer_polygons"))
        if mode == "layer_polygons":
            self.extent_layer.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        else:
            self.extent_layer.setFilters(
                QgsMapLayerProxyModel.Filter.VectorLayer | QgsMapLayerProxyModel.Filter.RasterLayer
            )

    def refresh_dependencies(self) -> None:
        """Offer what is missing: required packages, else (once, optional) the fast CPU runtime."""
        from ..deps import missing, missing_optional
        from ..install import has_nvidia_gpu

        required = missing()
        optional = [] if settings.optional_offer_hidden() else missing_optional()
        packages = required + optional
        self.deps_box.setVisible(bool(packages))
        self.install_cuda_row.setVisible("torch" in required and has_nvidia_gpu())
        self.skip_optional_button.setVisible(not required and bool(optional))
        if "openvino" in optional:
            speed = tr("Optional: {} run the networks 2–4× faster on a CPU than PyTorch alone.")
        else:
            speed = tr("Optional: {} reads and writes ONNX model files.")
        speed = speed.format(", ".join(optional))
        if required:
            self.deps_box.setTitle(tr("Missing Python packages"))
            text = tr(
                "MineCD needs these Python packages, which QGIS cannot find: {}. The classic detectors "
                "may work without PyTorch; the networks do not."
            ).format(", ".join(required))
            self.deps_label.setText(text + (" " + speed if optional else ""))
        elif optional:
            self.deps_box.setTitle(tr("Faster networks (optional)"))
            self.deps_label.setText(speed + " " + tr("MineCD works without them."))
        self.missing_packages = packages

    def skip_optional(self) -> None:
        settings.hide_optional_offer()
        self.refresh_dependencies()

    def install_dependencies(self) -> None:
        from ..deps import packages_dir

        target = packages_dir()
        target.mkdir(parents=True, exist_ok=True)
        cuda = self.install_cuda.isVisible() and self.install_cuda.isChecked()
        self.install_task = InstallTask(self.missing_packages, str(target), cuda=cuda)
        self.install_task.taskCompleted.connect(self._installed)
        self.install_task.taskTerminated.connect(
            lambda: self.show_error(tr("Installing the packages failed; see the MineCD log."))
        )
        self.install_button.setEnabled(False)
        self.status.setText(tr("Installing {} …").format(", ".join(self.missing_packages)))
        QgsApplication.taskManager().addTask(self.install_task)

    def _installed(self) -> None:
        from ..deps import activate

        activate()
        self.install_button.setEnabled(True)
        self.refresh_dependencies()
        self.status.setText(tr("Packages installed."))

    # ---------------------------------------------------------------- running
    def request(self) -> DetectionRequest:
        """The run the panel describes (ValueError or MineCDError with a message)."""
        before, after = self.before_combo.currentLayer(), self.after_combo.currentLayer()
        if before is None or after is None:
            raise ValueError(tr("Choose a before and an after raster."))
        spec, kind = self.current_detector()
        inputs = {"before": _file(before, tr("Before")), "after": _file(after, tr("After"))}
        if Path(inputs["before"]).resolve() == Path(inputs["after"]).resolve():
            raise ValueError(
                tr("Before and After are the same raster ({}): choose the other date as After.").format(
                    before.name()
                )
            )
        bands, aoi = parse_bands(self.bands_edit.text()), self._aoi()
        sar = self._sar_options() if kind == "sar" else {}
        out = self.output_file.filePath().strip() or _temporary_mask()
        base = Path(out)
        return DetectionRequest(
            **inputs,
            detector=spec,
            out=out,
            prob_out=str(base.with_name(base.stem + "_probability.tif"))
            if self.prob_check.isChecked()
            else None,
            polygons_out=str(base.with_name(base.stem + "_polygons.gpkg"))
            if self.polygons_check.isChecked()
            else None,
            min_area_m2=self.min_area.value(),
            bands=bands,
            aoi=aoi,
            device=self.device_combo.currentData(),
            tile=self.tile_spin.value() or None,
            overlap=self.overlap_combo.currentData(),
            batch=self.batch_spin.value() or None,
            threshold=None if self.threshold_spin.value() < 0 else self.threshold_spin.value(),
            **sar,
        )

    def _sar_options(self) -> dict:
        """The SAR box's fields; the request gives each to the detectors that take it."""
        coherence = self.coherence_combo.currentLayer()
        return {
            "coherence": _file(coherence, tr("Coherence")) if coherence is not None else None,
            "window": self.window_edit.text(),
            "units": self.units_combo.currentData(),
        }

    def _aoi(self) -> str | None:
        mode = self.extent_combo.currentData()
        if mode == "overlap":
            return None
        if mode == "canvas":
            canvas = self.iface.mapCanvas() if self.iface else None
            if canvas is None:
                return None
            extent = canvas.extent()
            if extent.isNull() or extent.isEmpty() or not canvas.mapSettings().destinationCrs().isValid():
                raise ValueError(
                    tr("The map canvas has no extent yet: zoom to the images, or choose another area.")
                )
            return rect_aoi_text(extent, canvas.mapSettings().destinationCrs())
        layer = self.extent_layer.currentLayer()
        if layer is None:
            raise ValueError(tr("Choose the layer that limits the processing extent."))
        if mode == "layer_polygons":
            return _file(layer, tr("Layer"))
        return rect_aoi_text(layer.extent(), layer.crs())

    def run(self) -> DetectionTask | None:
        if self.task is not None:
            return None
        try:
            request = self.request()
        except (ValueError, MineCDError) as exc:  # what to fix in the panel: a passing warning
            self.show_warning(str(exc))
            return None
        self._save_settings()
        before, after = self.before_combo.currentLayer(), self.after_combo.currentLayer()
        detector = self.detector_combo.currentText()
        title = f"MineCD {_dt.datetime.now():%H:%M:%S}: {before.name()} → {after.name()} ({detector})"
        return self._start(DetectionTask(title, request), self._completed)

    def _start(self, task: EngineTask, completed) -> EngineTask:
        self.task = task
        task.message.connect(self.status.setText)
        task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        task.taskCompleted.connect(completed)
        task.taskTerminated.connect(self._terminated)
        self.run_button.setEnabled(False)
        self.adapt_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText(tr("Starting…"))
        QgsApplication.taskManager().addTask(task)
        return task

    def monitoring_parameters(self) -> dict:
        """minecd:monitor prefilled: the project's rasters with a date in their file name (by date;
        else the chosen pair), the first polygon layer that looks like licences, this detector."""
        from ...engine.monitor.inputs import date_in_name

        project = QgsProject.instance()
        dated = []
        for layer in project.mapLayers().values():
            path = layer_file(layer) if isinstance(layer, QgsRasterLayer) else None
            date = date_in_name(path) if path else None
            if date is not None:
                dated.append((date, path))
        images = [path for _, path in sorted(dated)]
        if len(images) < 2:
            images = [
                p
                for p in (
                    layer_file(self.before_combo.currentLayer()),
                    layer_file(self.after_combo.currentLayer()),
                )
                if p
            ]
        polygons = [
            layer
            for layer in project.mapLayers().values()
            if isinstance(layer, QgsVectorLayer)
            and layer.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry
        ]
        named = [layer for layer in polygons if "licen" in layer.name().lower()]
        licences = (named or polygons or [None])[0]
        parameters = {"IMAGES": images, "MODEL": self.current_detector()[0]}
        if licences is not None:
            parameters["LICENCES"] = licences.id()
        return parameters

    def open_monitoring(self):
        """The minecd:monitor dialog, prefilled (it runs in the background like any Processing tool)."""
        import processing

        dialog = processing.createAlgorithmDialog("minecd:monitor", self.monitoring_parameters())
        if dialog is not None:
            dialog.show()
        return dialog

    def adapt(self) -> TrainingTask | None:
        """Train a model on the pair from the change polygons (few-shot), in the background."""
        if self.task is not None:
            return None
        before, after = self.before_combo.currentLayer(), self.after_combo.currentLayer()
        try:
            if before is None or after is None:
                raise ValueError(tr("Choose a before and an after raster."))
            job = adapt.training_job(self, _file(before, tr("Before")), _file(after, tr("After")))
        except (ValueError, MineCDError) as exc:
            self.show_warning(str(exc))
            return None
        self._save_settings()
        title = tr("MineCD: adapting a model to {}").format(before.name())
        return self._start(TrainingTask(title, *job), self._adapted)

    def _adapted(self) -> None:
        if self.task is not None and self.task.cancelled_by_user:
            return self._terminated()
        task = self._finish()
        self.progress.setValue(100)
        self.add_checkpoint(task.out)
        settings.remember_model(task.out)
        text = adapt.finished_text(task.result, task.messages)
        self.status.setText(text)
        self.push_message(tr("Mine Change Detection"), text, Qgis.MessageLevel.Success)

    def new_scratch_layers(self) -> None:
        layer = self.before_combo.currentLayer()
        crs = layer.crs() if layer is not None else QgsProject.instance().crs()
        changes, area = adapt.scratch_layers(crs)
        self.adapt_labels.setLayer(changes)
        self.adapt_area.setLayer(area)
        changes.startEditing()
        if self.iface is not None:
            self.iface.setActiveLayer(changes)

    def cancel(self) -> None:
        if self.task is not None:
            self.status.setText(tr("Cancelling…"))  # first: a queued task ends inside cancel()
            self.cancel_button.setEnabled(False)  # once is enough
            self.task.cancel()

    def _finish(self) -> EngineTask:
        task, self.task = self.task, None
        self.run_button.setEnabled(True)
        self.adapt_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        return task

    def _completed(self) -> None:
        if self.task is not None and self.task.cancelled_by_user:
            return self._terminated()
        task = self._finish()
        summary = self.last_summary = task.summary
        self.last_group = self.add_results(task.description(), summary)
        text = summary_line(summary, tr("{amount} changed in {seconds:.1f} s on {device}"), tr("pixels"))
        self.progress.setValue(100)
        self.status.setText(text)
        self.push_message(tr("Mine Change Detection"), text, Qgis.MessageLevel.Success)
        for note in summary.get("messages", []):
            self.push_message(tr("Mine Change Detection"), note, Qgis.MessageLevel.Warning)

    def _terminated(self) -> None:
        task = self._finish()
        self.progress.setValue(0)
        if task.cancelled_by_user or (task.error is None and task.isCanceled()):
            self.status.setText(tr("Cancelled: no output was written."))
            self.push_message(
                tr("Mine Change Detection"), tr("Cancelled: no output was written."), Qgis.MessageLevel.Info
            )
            return
        failed = tr("The training failed.") if isinstance(task, TrainingTask) else tr("The detection failed.")
        self.show_error(self._with_layer_names(task.error) if task.error else failed, task.details)

    def _with_layer_names(self, text: str) -> str:
        """The engine names files; the panel shows the layers the user chose."""
        combos = (self.before_combo, self.after_combo, self.coherence_combo, self.extent_layer)
        for combo in combos:
            layer = combo.currentLayer()
            path = layer_file(layer) if layer is not None else None
            if path and path in text:
                text = text.replace(path, f"'{layer.name()}'")
        return text

    def add_results(self, title: str, summary: dict) -> QgsLayerTreeGroup:
        """The run's layers, styled (and their .qml sidecars), in a group on top of the layer tree."""
        project = QgsProject.instance()
        group = project.layerTreeRoot().insertGroup(0, title)
        for kind, name in (
            ("polygons", tr("Change polygons")),
            ("mask", tr("Change mask")),
            ("probability", tr("Change probability")),
        ):
            path = summary.get(kind)
            if not path:
                continue
            layer = QgsVectorLayer(path, name, "ogr") if kind == "polygons" else QgsRasterLayer(path, name)
            style_layer(layer, kind, summary.get("threshold"))
            write_sidecar(path, kind, layer)
            project.addMapLayer(layer, False)
            group.addLayer(layer)
        return group

    def push_message(self, title: str, text: str, level) -> None:
        if self.iface is not None:
            self.iface.messageBar().pushMessage(title, text, level=level, duration=10)

    def show_warning(self, text: str) -> None:
        self.status.setText(text)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(
                tr("Mine Change Detection"), text, level=Qgis.MessageLevel.Warning, duration=8
            )

    def show_error(self, text: str, details: str | None = None) -> None:
        self.status.setText(text)
        QgsMessageLog.logMessage(details or text, LOG_TAG, Qgis.MessageLevel.Critical)
        if self.iface is not None:
            bar, title, level = (
                self.iface.messageBar(),
                tr("Mine Change Detection"),
                Qgis.MessageLevel.Critical,
            )
            if details and details != text:  # "Show more" only when there is more
                bar.pushMessage(title, text, showMore=details, level=level, duration=0)
            else:
                bar.pushMessage(title, text, level=level, duration=0)

    # ---------------------------------------------------------------- settings
    def _save_settings(self) -> None:
        settings.save(self)

    def _load_settings(self) -> None:
        settings.load(self)

    def _load_project(self) -> None:
        settings.load_project(self)

    def unload(self) -> None:
        project = QgsProject.instance()
        for signal, slot in (
            (project.readProject, self._load_project),
            (project.layersAdded, self._pick_other_after),
        ):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
        if self.task is not None and self.task.status() not in (
            QgsTask.TaskStatus.Complete,
            QgsTask.TaskStatus.Terminated,
        ):
            self.task.cancel()


def describe_detector(spec: str) -> str:
    """One or two lines about a detector: a classic one, or a model's architecture, bands and scores."""
    from ...engine.request import CLASSIC_DETECTORS

    if spec in CLASSIC_DETECTORS:
        return tr("Classic detector: needs no training; its threshold is chosen automatically per scene.")
    try:
        from ...engine.bundled import bundled_path
        from ...engine.checkpoint import describe_checkpoint

        info = describe_checkpoint(bundled_path(spec) or spec)
    except Exception as exc:
        return tr("Cannot read the model: {}").format(exc)
    scores = info.get("metrics", {})
    metrics = scores.get("test") or scores.get("validation") or {}
    if "f1" in scores.get("reference", {}):  # bundled models: the held-out benchmark the README reports
        score = tr("reference F1 {:.3f}").format(scores["reference"]["f1"])
    else:
        label = tr("test F1 {:.3f}") if scores.get("test") else tr("validation F1 {:.3f}")
        score = label.format(metrics["f1"]) if "f1" in metrics else ""
    if info.get("bands"):
        inputs = tr("bands {}").format(",".join(map(str, info["bands"])))
    elif info.get("channels"):
        inputs = tr("coherence and amplitudes") if "coherence" in info["channels"] else tr("amplitudes")
    else:
        inputs = ""
    cue = info.get("classic_cue")
    blended = tr("blended with {}").format(tr(adapt.CLASSIC_NAMES.get(cue, cue))) if cue else ""
    parts = [
        f"{info['arch']} ({info['kind']})",
        inputs,
        tr("trained at {} m").format(round(info["pixel_size_m"], 2)) if info.get("pixel_size_m") else "",
        score,
        blended,
    ]
    text = ", ".join(p for p in parts if p)
    return text + (f"\n{info['description']}" if info.get("description") else "")


def _file(layer, label: str) -> str:
    """The file behind a layer the panel hands to the engine; a message when it is not a file."""
    path = layer_file(layer)
    if path is None:
        raise ValueError(tr("{}: layer '{}' is not a file that MineCD can read").format(label, layer.name()))
    return path


def _temporary_mask() -> str:
    folder = tempfile.mkdtemp(prefix="minecd_", dir=QgsProcessingUtils.tempFolder())
    return str(Path(folder) / "change_mask.tif")
