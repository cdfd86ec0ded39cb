"""minecd:evaluate - accuracy of a change mask against reference labels."""

from __future__ import annotations

import csv
import html

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from .base import MineCDAlgorithm, layer_path, run_engine

METRICS = [
    ("precision", "PRECISION"),
    ("recall", "RECALL"),
    ("oa", "OA"),
    ("iou", "IOU"),
    ("f1", "F1"),
    ("kappa", "KAPPA"),
]


def _evaluate(pred, reference, progress=None, cancel=None):
    from ...engine.metrics import evaluate_files

    return evaluate_files(pred, reference)


class EvaluateAlgorithm(MineCDAlgorithm):
    NAME = "evaluate"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Evaluate a change mask")
    GROUP = "training"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Compares a MineCD change mask with reference labels (a raster, non-zero = change, or polygons) "
        "from one confusion matrix over the whole scene: precision, recall, overall accuracy, IoU, F1 "
        "and kappa of the change class. No-data pixels of the mask are not counted."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("PRED", tr("Change mask")))
        self.addParameter(
            QgsProcessingParameterMapLayer("REFERENCE", tr("Reference labels (raster or polygons)"))
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "OUTPUT_HTML",
                tr("Metrics table (HTML)"),
                tr("HTML files (*.html)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "OUTPUT_CSV",
                tr("Metrics table (CSV)"),
                tr("CSV files (*.csv)"),
                optional=True,
                createByDefault=False,
            )
        )
        for _, name in METRICS:
            self.addOutput(QgsProcessingOutputNumber(name, name))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        m = run_engine(
            feedback,
            _evaluate,
            layer_path(self, parameters, "PRED", context),
            layer_path(self, parameters, "REFERENCE", context),
        )
        results = {name: m[key] for key, name in METRICS}
        feedback.pushInfo("  ".join(f"{name} {100 * m[key]:.2f}%" for key, name in METRICS))
        html_path = self.parameterAsFileOutput(parameters, "OUTPUT_HTML", context)
        if html_path:
            rows = "".join(
                f"<tr><td>{html.escape(name)}</td><td>{100 * m[key]:.2f} %</td></tr>" for key, name in METRICS
            )
            counts = f"TP {m['tp']}, FP {m['fp']}, FN {m['fn']}, TN {m['tn']}"
            with open(html_path, "w", encoding="utf-8") as f:
                f.write(
                    f"<html><body><h2>{html.escape(tr('Change detection accuracy'))}</h2>"
                    f"<table border='1'>{rows}</table><p>{counts}</p></body></html>"
                )
            results["OUTPUT_HTML"] = html_path
        csv_path = self.parameterAsFileOutput(parameters, "OUTPUT_CSV", context)
        if csv_path:
            with open(csv_path, "w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(["metric", "value"])
                writer.writerows(
                    [(name, m[key]) for key, name in METRICS]
                    + [(k.upper(), m[k]) for k in ("tp", "fp", "fn", "tn")]
                )
            results["OUTPUT_CSV"] = csv_path
        return results
