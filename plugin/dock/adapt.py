"""The dock's *Adapt a model to this pair*: few-shot training from polygons drawn on the map.

What the panel hands to the engine's ``train``: the pair, the change polygons and the labelled
area (layers that are not files, e.g. scratch layers, are written to a GeoPackage first), the
model to start from and the time budget. The checkpoint goes beside the project (or to the
temporary folder) and is offered in the detector list when the task ends.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
from pathlib import Path

from qgis.core import (
    QgsCoordinateTransformContext,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from ..layers import layer_file

MODELS_FOLDER = "minecd_models"


def vector_file(layer, label: str) -> str:
    """The file behind a polygon layer; a layer that is not one is written to a GeoPackage."""
    path = layer_file(layer)
    if path is not None and not layer.isEditable():
        return path
    folder = tempfile.mkdtemp(prefix="minecd_labels_", dir=QgsProcessingUtils.tempFolder())
    target = str(Path(folder) / f"{label}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error, message, *_ = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, target, QgsCoordinateTransformContext(), options
    )
    if error != QgsVectorFileWriter.WriterError.NoError:
        raise ValueError(tr("{}: cannot write layer '{}' ({})").format(label, layer.name(), message))
    return target


def models_folder() -> Path:
    home = QgsProject.instance().homePath()
    folder = Path(home) / MODELS_FOLDER if home else Path(QgsProcessingUtils.tempFolder()) / MODELS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def training_job(dock, before_file: str, after_file: str) -> tuple:
    """(arch, scenes, checkpoint path, Options) for the panel's adapt box (ValueError: a message)."""
    from ...engine.request import parse_bands
    from ...engine.train.dataset import Scene
    from ...engine.train.run import Options

    labels = dock.adapt_labels.currentLayer()
    if labels is None:
        raise ValueError(tr("Choose (or draw) the change polygons to learn from."))
    area = dock.adapt_area.currentLayer()
    spec, kind = dock.current_detector()
    choice = dock.adapt_init.currentData()
    init = {"auto": "auto", "none": "none"}.get(choice)
    if init is None:  # the chosen detector, when it is a model
        from ...engine.request import CLASSIC_DETECTORS

        init = "auto" if spec in CLASSIC_DETECTORS else spec
    before_layer = dock.before_combo.currentLayer()
    scene = Scene(
        Path(before_file),
        Path(after_file),
        Path(vector_file(labels, "changes")),
        "pair",
        label_area=Path(vector_file(area, "labelled_area")) if area is not None else None,
    )
    stamp = _dt.datetime.now().strftime("%Y%m%d_%H%M%S")
    out = models_folder() / f"adapted_{_safe(before_layer.name())}_{stamp}.pt"
    options = Options(
        init=init,
        minutes=dock.adapt_minutes.value(),
        pseudo=dock.adapt_pseudo.isChecked(),
        bands=parse_bands(dock.bands_edit.text()),
        device=dock.device_combo.currentData(),
        name=out.stem,
        description=tr("Adapted in the MineCD dock to {}").format(before_layer.name()),
    )
    return ("sarunet" if kind == "sar" else "insinet"), [scene], str(out), options


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)[:40] or "pair"


def scratch_layers(crs) -> tuple[QgsVectorLayer, QgsVectorLayer]:
    """Two empty polygon layers in memory, to draw the changes and the labelled area in."""
    layers = []
    for name in (tr("MineCD change polygons"), tr("MineCD labelled area")):
        uri = f"{QgsWkbTypes.displayString(QgsWkbTypes.Type.Polygon)}?crs={crs.authid()}"
        layer = QgsVectorLayer(uri, name, "memory")
        QgsProject.instance().addMapLayer(layer)
        layers.append(layer)
    return layers[0], layers[1]


CLASSIC_NAMES = {
    "cva": QT_TRANSLATE_NOOP("@default", "change-vector analysis"),
    "irmad": QT_TRANSLATE_NOOP("@default", "IR-MAD"),
    "logratio": QT_TRANSLATE_NOOP("@default", "the SAR log-ratio"),
}


def finished_text(result: dict, messages: list[str]) -> str:
    validation = result["metrics"].get("validation", {}).get("f1")
    if validation is None:
        text = tr("Model adapted (no independent validation: too few labels to hold some out).")
    else:
        text = tr("Model adapted: validation F1 {:.3f} on labelled blocks it did not train on.").format(
            validation
        )
    cue = result.get("classic_cue") or {}
    if cue.get("kept"):
        text += " " + tr("It also weighs {} (F1 {:.3f} -> {:.3f} on the labelled pixels).").format(
            tr(CLASSIC_NAMES.get(cue["classic"], cue["classic"])), cue["f1"]["network"], cue["f1"]["blend"]
        )
    pseudo = result.get("pseudo_labelling")
    if pseudo is not None:
        text += " " + tr("{} patches of the unlabelled rest were pseudo-labelled.").format(pseudo["kept"])
    return text
