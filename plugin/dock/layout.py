"""The dock's widgets, one small builder per group box; the panel (panel.py) wires their reactions.

Each builder sets the widgets the panel and the tests use as attributes of the dock
(``dock.before_combo``, ``dock.run_button``, …) and returns its group box.
"""

from __future__ import annotations

from qgis.core import QgsMapLayerProxyModel, QgsMessageLog
from qgis.gui import QgsCollapsibleGroupBox, QgsDoubleSpinBox, QgsFileWidget, QgsMapLayerComboBox, QgsSpinBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from ...engine.sar.channels import UNITS as SAR_UNITS
from ..i18n import tr
from ..task import LOG_TAG

EXTENT_MODES = ("overlap", "canvas", "layer_extent", "layer_polygons")
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # the detector's kind (optical, sar) beside its spec


def build(dock) -> None:
    """Fill ``dock`` with its widgets, in a scroll area."""
    body = QWidget(dock)
    outer = QVBoxLayout(body)
    for box in (deps_box, images_box, detector_box, extent_box, output_box, advanced_box):
        outer.addWidget(box(dock, body))
    outer.addLayout(run_row(dock, body))
    dock.monitor_button = QPushButton(tr("Monitoring…"), body)  # short: the dock fits 300 px
    outer.addWidget(dock.monitor_button)
    outer.addWidget(adapt_box(dock, body))
    dock.progress = QProgressBar(body)
    dock.progress.setRange(0, 100)
    dock.status = QLabel(tr("Ready."), body)
    dock.status.setWordWrap(True)
    outer.addWidget(dock.progress)
    outer.addWidget(dock.status)
    outer.addStretch(1)

    explain(dock)
    for form in body.findChildren(QFormLayout):  # narrow dock: a label goes above its field
        wrap_all = form.objectName() == "output_form"
        form.setRowWrapPolicy(
            QFormLayout.RowWrapPolicy.WrapAllRows if wrap_all else QFormLayout.RowWrapPolicy.WrapLongRows
        )
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    for combo in body.findChildren(QComboBox):  # long item texts must not widen the panel
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        if not combo.toolTip():  # an elided choice can still be read whole
            combo.currentIndexChanged.connect(lambda _, c=combo: c.setToolTip(c.currentText()))
            combo.setToolTip(combo.currentText())
        else:  # its explanation, then the whole current choice
            tip = combo.toolTip()
            combo.currentIndexChanged.connect(
                lambda _, c=combo, t=tip: c.setToolTip(f"{t}\n{c.currentText()}")
            )
    scroll = QScrollArea(dock)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(body)
    dock.setWidget(scroll)


def deps_box(dock, parent) -> QGroupBox:
    box = dock.deps_box = QGroupBox(tr("Missing Python packages"), parent)
    layout = QVBoxLayout(box)
    dock.deps_label = QLabel(box)
    dock.deps_label.setWordWrap(True)
    dock.install_button = QPushButton(tr("Install with pip"), box)
    dock.skip_optional_button = QPushButton(tr("Not now"), box)
    dock.skip_optional_button.setToolTip(tr("Hide this offer; MineCD runs the networks with PyTorch"))
    cuda = WrappedCheckBox(tr("PyTorch for the NVIDIA GPU (CUDA; a large download)"), box)
    cuda.setToolTip(tr("Unchecked: the CPU build of PyTorch"))
    dock.install_cuda, dock.install_cuda_row = cuda.box, cuda
    layout.addWidget(dock.deps_label)
    layout.addWidget(cuda)
    buttons = QHBoxLayout()
    buttons.addWidget(dock.install_button)
    buttons.addWidget(dock.skip_optional_button)
    layout.addLayout(buttons)
    return box


def images_box(dock, parent) -> QGroupBox:
    box = QGroupBox(tr("Images"), parent)
    form = QFormLayout(box)
    dock.before_combo = raster_combo(box)
    dock.after_combo = raster_combo(box)
    row, dock.before_browse = with_browse(dock.before_combo, box)
    form.addRow(tr("Before"), row)
    row, dock.after_browse = with_browse(dock.after_combo, box)
    form.addRow(tr("After"), row)
    dock.bands_edit = QLineEdit(box)
    dock.bands_edit.setPlaceholderText(tr("default, or e.g. 3,2,1"))
    form.addRow(tr("Bands"), dock.bands_edit)
    return box


def detector_box(dock, parent) -> QGroupBox:
    box = QGroupBox(tr("Detector"), parent)
    form = QFormLayout(box)
    dock.detector_combo = QComboBox(box)
    fill_detectors(dock.detector_combo)
    form.addRow(tr("Model"), dock.detector_combo)
    dock.model_info = QLabel(box)
    dock.model_info.setWordWrap(True)
    form.addRow(dock.model_info)
    form.addRow(sar_box(dock, box))
    return box


def sar_box(dock, parent) -> QGroupBox:
    """Shown for SAR detectors only."""
    box = dock.sar_box = QGroupBox(tr("SAR"), parent)
    form = QFormLayout(box)
    dock.coherence_combo = raster_combo(box, optional=True)
    form.addRow(tr("Coherence (optional)"), dock.coherence_combo)
    dock.window_edit = QLineEdit("5", box)
    form.addRow(tr("Log-ratio window"), dock.window_edit)
    dock.units_combo = QComboBox(box)
    texts = {"amplitude": tr("Amplitude (linear)"), "intensity": tr("Intensity (linear)"), "db": tr("dB")}
    for key in SAR_UNITS:
        dock.units_combo.addItem(texts.get(key, key), key)
    form.addRow(tr("Units of real rasters"), dock.units_combo)
    return box


def extent_box(dock, parent) -> QGroupBox:
    box = QGroupBox(tr("Processing extent"), parent)
    form = QFormLayout(box)
    dock.extent_combo = QComboBox(box)
    texts = (
        tr("Full overlap of the images"),
        tr("Map canvas extent"),
        tr("Extent of a layer"),
        tr("Polygons of a layer"),
    )
    for key, text in zip(EXTENT_MODES, texts):
        dock.extent_combo.addItem(text, key)
    dock.extent_layer = QgsMapLayerComboBox(box)
    dock.extent_layer.setFilters(
        QgsMapLayerProxyModel.Filter.VectorLayer | QgsMapLayerProxyModel.Filter.RasterLayer
    )
    form.addRow(tr("Area"), dock.extent_combo)
    form.addRow(tr("Layer"), dock.extent_layer)
    return box


def output_box(dock, parent) -> QGroupBox:
    box = QGroupBox(tr("Output"), parent)
    form = QFormLayout(box)
    form.setObjectName("output_form")  # its path field needs the whole width: labels above
    dock.output_file = QgsFileWidget(box)
    dock.output_file.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
    dock.output_file.setFilter(tr("GeoTIFF (*.tif *.tiff)"))
    dock.output_file.lineEdit().setPlaceholderText(tr("[temporary file]"))
    form.addRow(tr("Change mask"), dock.output_file)
    prob = WrappedCheckBox(tr("Also add the change probability"), box)
    polygons = WrappedCheckBox(tr("Also add change polygons"), box)
    dock.prob_check, dock.polygons_check = prob.box, polygons.box
    dock.min_area = QgsDoubleSpinBox(box)
    dock.min_area.setRange(0, 1e9)
    dock.min_area.setSuffix(" m²")
    dock.min_area.setEnabled(False)  # until polygons are asked for
    dock.polygons_check.toggled.connect(dock.min_area.setEnabled)
    form.addRow(prob)
    form.addRow(polygons)
    form.addRow(tr("Minimum polygon area"), dock.min_area)
    return box


def advanced_box(dock, parent) -> QgsCollapsibleGroupBox:
    box = QgsCollapsibleGroupBox(tr("Advanced"), parent)
    box.setCollapsed(True)
    form = QFormLayout(box)
    dock.device_combo = QComboBox(box)
    fill_devices(dock.device_combo)
    form.addRow(tr("Device"), dock.device_combo)
    dock.threshold_spin = QgsDoubleSpinBox(box)
    dock.threshold_spin.setRange(-0.01, 1.0)
    dock.threshold_spin.setSingleStep(0.05)
    dock.threshold_spin.setSpecialValueText(tr("default"))  # the detector's own: see the tooltip
    dock.threshold_spin.setClearValue(-0.01)
    dock.threshold_spin.setValue(-0.01)
    form.addRow(tr("Threshold"), dock.threshold_spin)
    dock.tile_spin = QgsSpinBox(box)
    dock.tile_spin.setRange(0, 4096)
    dock.tile_spin.setSingleStep(16)
    dock.tile_spin.setSpecialValueText(tr("default"))
    form.addRow(tr("Tile size"), dock.tile_spin)
    dock.overlap_combo = QComboBox(box)
    dock.overlap_combo.addItem(tr("Seam-free"), None)
    dock.overlap_combo.addItem(tr("Fastest (seams)"), 0)
    form.addRow(tr("Block joins"), dock.overlap_combo)
    dock.batch_spin = QgsSpinBox(box)
    dock.batch_spin.setRange(0, 512)
    dock.batch_spin.setSpecialValueText(tr("automatic"))  # 8 on the CPU, 32 on a GPU
    dock.batch_spin.setValue(0)
    dock.batch_spin.setClearValue(0)
    form.addRow(tr("Batch size"), dock.batch_spin)
    return box


def run_row(dock, parent) -> QHBoxLayout:
    row = QHBoxLayout()
    dock.run_button = QPushButton(tr("Run"), parent)
    dock.run_button.setObjectName("MineCDRun")
    dock.cancel_button = QPushButton(tr("Cancel"), parent)
    dock.cancel_button.setEnabled(False)
    row.addWidget(dock.run_button)
    row.addWidget(dock.cancel_button)
    return row


INIT_CHOICES = ("auto", "detector", "none")


def adapt_box(dock, parent) -> QgsCollapsibleGroupBox:
    """Few-shot training on the chosen pair: a few change polygons, the area they cover, minutes."""
    box = dock.adapt_box = QgsCollapsibleGroupBox(tr("Adapt a model to this pair"), parent)
    box.setCollapsed(True)
    form = QFormLayout(box)
    hint = QLabel(
        tr(
            "Digitise change polygons on part of the pair and the area you checked (outside it "
            "nothing is known), then train a model for this sensor and this mine."
        ),
        box,
    )
    hint.setWordWrap(True)
    form.addRow(hint)
    dock.adapt_labels = QgsMapLayerComboBox(box)
    dock.adapt_labels.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
    dock.adapt_labels.setAllowEmptyLayer(True)
    dock.adapt_labels.setLayer(None)
    form.addRow(tr("Change polygons"), dock.adapt_labels)
    dock.adapt_area = QgsMapLayerComboBox(box)
    dock.adapt_area.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
    dock.adapt_area.setAllowEmptyLayer(True)
    dock.adapt_area.setLayer(None)
    dock.adapt_area.setToolTip(tr("Empty: the polygons are the only changes in the whole pair"))
    form.addRow(tr("Labelled area"), dock.adapt_area)
    dock.adapt_scratch = QPushButton(tr("New layers to draw in"), box)
    dock.adapt_scratch.setToolTip(
        tr("Two empty scratch layers: draw the changes in one and the area you checked in the other")
    )
    form.addRow(dock.adapt_scratch)
    dock.adapt_init = QComboBox(box)
    for key, text in zip(INIT_CHOICES, (tr("Automatic"), tr("The chosen detector"), tr("From scratch"))):
        dock.adapt_init.addItem(text, key)
    form.addRow(tr("Start from"), dock.adapt_init)
    dock.adapt_minutes = QgsDoubleSpinBox(box)
    dock.adapt_minutes.setRange(0.5, 600)
    dock.adapt_minutes.setValue(5)
    dock.adapt_minutes.setClearValue(5)
    dock.adapt_minutes.setSuffix(tr(" min"))
    form.addRow(tr("Time budget"), dock.adapt_minutes)
    pseudo = WrappedCheckBox(tr("Also learn from the unlabelled rest of the pair"), box)
    pseudo.setToolTip(
        tr("A first model labels what it is sure of outside your labels; a second one learns from both")
    )
    dock.adapt_pseudo = pseudo.box
    form.addRow(pseudo)
    dock.adapt_button = QPushButton(tr("Adapt"), box)
    form.addRow(dock.adapt_button)
    return box


def explain(dock) -> None:
    """A tooltip on every control (the combos without one show their whole current choice)."""
    tips = {
        "before_combo": tr("The earlier image (any raster layer; optical bands or SAR)"),
        "after_combo": tr("The later image, co-registered with the before image"),
        "before_browse": tr("Open a raster file as the before image"),
        "after_browse": tr("Open a raster file as the after image"),
        "bands_edit": tr("Bands to use, e.g. 3,2,1; empty: all but alpha, or the model's own"),
        "detector_combo": tr("A classic detector (no training), a bundled model or a checkpoint file"),
        "coherence_combo": tr("Optional interferometric coherence of the pair, for SAR models that use it"),
        "window_edit": tr("Pixels of the log-ratio's smoothing window (e.g. 5 or 5x7)"),
        "units_combo": tr("What the SAR rasters hold: linear amplitude, linear intensity or dB"),
        "extent_combo": tr(
            "Where to detect: the images' overlap, the map view, or a layer's extent or polygons"
        ),
        "extent_layer": tr("The layer whose extent or polygons limit the detection"),
        "output_file": tr("Where the change mask is written; empty: a temporary file"),
        "prob_check": tr("Also write and show the change probability (0–1)"),
        "polygons_check": tr("Also write change polygons with their areas (GeoPackage)"),
        "min_area": tr("Polygons smaller than this are dropped"),
        "device_combo": tr("Where the networks run: a CUDA GPU when there is one, else the CPU"),
        "threshold_spin": tr("Probability above which a pixel is change; default: the detector's own"),
        "tile_spin": tr("Tile size in pixels; default: networks run on blocks sized to the scene"),
        "overlap_combo": tr(
            "Networks read 48 px around each block and blend neighbouring blocks there, so results "
            "join without seams; without the overlap a run is about 15 % faster but shows steps at "
            "block borders"
        ),
        "batch_spin": tr("Tiles per batch; automatic: 8 on a CPU, 32 on a GPU"),
        "run_button": tr("Detect changes in the background (QGIS stays usable)"),
        "cancel_button": tr("Stop the run: nothing is written"),
        "monitor_button": tr(
            "Monitor a series against mining licences: opens the tool with the project's dated "
            "rasters, its licence layer and this detector"
        ),
        "adapt_labels": tr("Polygons of the changes you digitised"),
        "adapt_area": tr("Polygons of the area you checked: outside them nothing is known"),
        "adapt_init": tr(
            "The model training starts from: automatic picks the bundled one that suits the data"
        ),
        "adapt_minutes": tr("Training stops after this time with the best model so far"),
        "adapt_button": tr("Train in the background; the new model joins the detector list"),
        "install_button": tr(
            "Installs the pinned versions into a folder of your QGIS profile; numpy and GDAL stay QGIS's"
        ),
    }
    for name, text in tips.items():
        widget = getattr(dock, name, None)
        if widget is not None and not widget.toolTip():
            widget.setToolTip(text)


class WrappedCheckBox(QWidget):
    """A check box whose text wraps in a narrow dock (a QCheckBox's never does)."""

    def __init__(self, text: str, parent):
        super().__init__(parent)
        self.box = QCheckBox(self)
        self.box.setAccessibleName(text)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        self.label.mousePressEvent = lambda event: self.box.toggle()  # the text toggles, as usual
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box)
        row.addWidget(self.label, 1)

    def setToolTip(self, text: str) -> None:  # noqa: N802
        super().setToolTip(text)
        self.box.setToolTip(text)
        self.label.setToolTip(text)


def raster_combo(parent, optional: bool = False) -> QgsMapLayerComboBox:
    combo = QgsMapLayerComboBox(parent)
    combo.setFilters(QgsMapLayerProxyModel.Filter.RasterLayer)
    combo.setAllowEmptyLayer(optional)
    if optional:
        combo.setLayer(None)
    return combo


def with_browse(combo: QgsMapLayerComboBox, parent) -> tuple[QWidget, QToolButton]:
    """The combo with a "…" button beside it (the panel connects the button)."""
    holder = QWidget(parent)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(combo, 1)
    browse = QToolButton(holder)
    browse.setText("…")
    browse.setToolTip(tr("Open a raster file"))
    row.addWidget(browse)
    return holder, browse


def fill_detectors(combo: QComboBox) -> None:
    add_detector(combo, tr("Change-vector analysis (optical, no training)"), "cva", "optical")
    add_detector(combo, tr("IR-MAD (multispectral, no training)"), "irmad", "optical")
    add_detector(combo, tr("Log-ratio (SAR, no training)"), "logratio", "sar")
    try:
        from ...engine.bundled import manifest

        for name, entry in manifest().items():
            add_detector(combo, entry.get("title", name), name, entry.get("kind", "optical"))
    except Exception as exc:  # a broken manifest must not break the panel
        QgsMessageLog.logMessage(f"bundled models: {exc}", LOG_TAG)
    add_detector(combo, tr("Checkpoint file…"), "browse", "")


def add_detector(combo: QComboBox, text: str, spec: str, kind: str, index: int | None = None) -> int:
    index = combo.count() if index is None else index
    combo.insertItem(index, text, spec)
    combo.setItemData(index, kind, KIND_ROLE)
    return index


def fill_devices(combo: QComboBox) -> None:
    combo.addItem(tr("Auto"), "auto")
    combo.addItem(tr("CPU"), "cpu")
    try:
        from ...engine.environment import cuda_devices

        gpus = cuda_devices()
    except Exception:
        gpus = []
    for i, name in enumerate(gpus):
        combo.addItem(f"CUDA {i}: {name}", f"cuda:{i}")
    if not gpus:
        combo.addItem(tr("CUDA (no GPU found)"), "cuda")
        combo.model().item(combo.count() - 1).setEnabled(False)
