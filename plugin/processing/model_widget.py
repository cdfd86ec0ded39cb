"""MODEL in the Processing dialogs: the detectors by name in a list, a checkpoint typed or browsed.

QGIS 3.22 has no editable-choice widget for a string parameter, so MODEL (a string: a path must
still work in ``qgis_process`` and scripts) gets this Python widget wrapper through its metadata.
Imported by Processing only when a dialog is built, never under ``qgis_process``.
"""

from __future__ import annotations

from processing.gui.wrappers import DIALOG_BATCH, DIALOG_MODELER, WidgetWrapper
from qgis.core import QgsProcessingOutputString, QgsProcessingParameterString
from qgis.PyQt.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QToolButton, QWidget

from ..i18n import tr

FILE_FILTER = "MineCD models (*.pt *.pth *.onnx);;All files (*)"


class ModelChooser(QWidget):
    """An editable list of detector names with a "…" button that browses for a checkpoint."""

    def __init__(self, names, parent=None):
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.addItems(list(names))
        self.combo.setToolTip(tr("A detector by name, or the path of a checkpoint file"))
        self.browse = QToolButton()
        self.browse.setText("…")
        self.browse.setToolTip(tr("Choose a checkpoint file"))
        self.browse.clicked.connect(self.choose_file)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.browse)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Choose a checkpoint file"), "", FILE_FILTER)
        if path:
            self.set_text(path)

    def set_text(self, text: str) -> None:
        index = self.combo.findText(text)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setEditText(text)

    def text(self) -> str:
        return self.combo.currentText().strip()


class ModelWidgetWrapper(WidgetWrapper):
    """MODEL's widget: names to pick (``names`` from the metadata), any text or path accepted."""

    def createWidget(self, names=()):  # noqa: N802
        if self.dialogType == DIALOG_MODELER:
            combo = QComboBox()
            combo.setEditable(True)
            strings = self.dialog.getAvailableValuesOfType(
                QgsProcessingParameterString, QgsProcessingOutputString
            )
            for source in strings:
                combo.addItem(self.dialog.resolveValueDescription(source), source)
            for name in names:
                combo.addItem(name, name)
            return combo
        if self.dialogType == DIALOG_BATCH:
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(list(names))
            return combo
        return ModelChooser(names)

    def setValue(self, value):  # noqa: N802
        text = "" if value is None else str(value)
        if isinstance(self.widget, ModelChooser):
            self.widget.set_text(text)
        elif self.dialogType == DIALOG_MODELER:
            self.setComboValue(value)
        else:
            index = self.widget.findText(text)
            self.widget.setCurrentIndex(index) if index >= 0 else self.widget.setEditText(text)

    def value(self):
        if isinstance(self.widget, ModelChooser):
            return self.widget.text()
        if self.dialogType == DIALOG_MODELER:
            return self.comboValue()
        return self.widget.currentText().strip()
