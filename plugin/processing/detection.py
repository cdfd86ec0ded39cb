"""Shared parameters and run of the detection algorithms (optical and SAR)."""

from __future__ import annotations

import json

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExtent,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)

from ...engine.request import DetectionRequest, parse_bands, summary_line
from ..i18n import tr
from ..styling import write_sidecar
from .base import MineCDAlgorithm, engine_errors, extent_text, layer_path, run_engine
from .postprocess import style_when_loaded


def _advanced(parameter):
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


def detector_names(kind: str) -> list[str]:
    """What MODEL accepts by name for ``kind``: the classic detectors and bundled models of that kind."""
    from ...engine.bundled import manifest
    from ...engine.request import OPTICAL_CLASSIC

    classic = list(OPTICAL_CLASSIC) if kind == "optical" else ["logratio"]
    return classic + sorted(n for n, m in manifest().items() if m.get("kind") == kind)


def offer_detectors(parameter, names: list[str]) -> None:
    """Show ``parameter`` (a string) in the dialogs as an editable list of ``names``."""
    parameter.setMetadata(
        {"widget_wrapper": {"class": f"{__package__}.model_widget.ModelWidgetWrapper", "names": names}}
    )


def min_area_parameter():
    return QgsProcessingParameterNumber(
        "MIN_AREA", tr("Minimum polygon area (m²)"), QgsProcessingParameterNumber.Type.Double, 0.0, False, 0.0
    )


def scheduler_parameter():
    return QgsProcessingParameterString(
        "SCHEDULER",
        tr("Dask scheduler (tcp://host:8786 or local:N)"),
        optional=True,
    )


class DetectionAlgorithm(MineCDAlgorithm):
    GROUP = "detection"
    DEFAULT_MODEL = "cva"
    KIND = "optical"  # which bundled models MODEL lists

    def add_inputs(self) -> None:
        """Subclasses add BEFORE and AFTER (and their own extras)."""

    def detector_names(self) -> list[str]:
        return detector_names(self.KIND)

    def shortHelpString(self):  # noqa: N802
        accepted = tr("MODEL accepts here: {} or a checkpoint file (.pt).").format(
            ", ".join(self.detector_names())
        )
        dask = tr(
            "SCHEDULER (advanced) runs the detection on Dask distributed: the address of a cluster "
            "(tcp://host:8786) or local:N for N worker processes on this machine; empty: in QGIS. "
            "The mask is the same pixel for pixel."
        )
        return f"{super().shortHelpString()}\n\n{accepted}\n\n{dask}"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer("BEFORE", tr("Before raster")))
        self.addParameter(QgsProcessingParameterRasterLayer("AFTER", tr("After raster")))
        self.add_inputs()
        names = self.detector_names()
        model = QgsProcessingParameterString(
            "MODEL", tr("Detector (from the list, or a checkpoint file)"), self.DEFAULT_MODEL
        )
        offer_detectors(model, names)
        self.addParameter(model)
        self.addParameter(QgsProcessingParameterExtent("EXTENT", tr("Processing extent"), optional=True))
        self.addParameter(
            QgsProcessingParameterVectorLayer("AOI", tr("Area of interest (polygons)"), optional=True)
        )
        self.addParameter(
            _advanced(QgsProcessingParameterString("DEVICE", tr("Device (auto, cpu, cuda, cuda:N)"), "auto"))
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    "THRESHOLD",
                    tr("Probability threshold (empty: the detector's)"),
                    QgsProcessingParameterNumber.Type.Double,
                    None,
                    True,
                    0.0,
                    1.0,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    "TILE",
                    tr("Tile size in pixels (empty: blocks sized to the scene for networks, 256 otherwise)"),
                    QgsProcessingParameterNumber.Type.Integer,
                    None,
                    True,
                    16,
                    4096,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    "OVERLAP",
                    tr("Block overlap in pixels (empty: 48 for networks, blended: seam-free; 0: fastest)"),
                    QgsProcessingParameterNumber.Type.Integer,
                    None,
                    True,
                    0,
                    1024,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterString(
                    "RUNTIME", tr("Network runtime (auto, openvino, onnxruntime, torch)"), "auto"
                )
            )
        )
        self.addParameter(
            _advanced(QgsProcessingParameterString("FLIPS", tr("Flip averaging (auto, on, off)"), "auto"))
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    "BATCH",
                    tr("Tiles per batch (0 = automatic: 8 on the CPU, 32 on a GPU)"),
                    QgsProcessingParameterNumber.Type.Integer,
                    0,
                    False,
                    0,
                    1024,
                )
            )
        )
        self.addParameter(_advanced(min_area_parameter()))
        self.addParameter(_advanced(scheduler_parameter()))
        self.addParameter(QgsProcessingParameterRasterDestination("OUTPUT", tr("Change mask")))
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                "OUTPUT_PROB", tr("Change probability"), optional=True, createByDefault=False
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                "OUTPUT_POLYGONS", tr("Change polygons"), optional=True, createByDefault=False
            )
        )
        for name, text in (
            ("CHANGED_AREA_HA", tr("Changed area (ha)")),
            ("CHANGED_AREA_M2", tr("Changed area (m²)")),
            ("CHANGED_PIXELS", tr("Changed pixels")),
            ("RUNTIME_S", tr("Run time (s)")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, text))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Run summary (JSON)")))

    def request_options(self, parameters, context) -> dict:
        """Subclasses add their own fields of the DetectionRequest (SAR: coherence, window, units)."""
        return {}

    def detection_request(self, parameters, context) -> DetectionRequest:
        """The run the parameters describe (a QgsProcessingException for a bad text)."""
        threshold = parameters.get("THRESHOLD")
        tile, overlap = parameters.get("TILE"), parameters.get("OVERLAP")
        with engine_errors():
            return DetectionRequest(
                before=layer_path(self, parameters, "BEFORE", context),
                after=layer_path(self, parameters, "AFTER", context),
                detector=self.parameterAsString(parameters, "MODEL", context).strip() or self.DEFAULT_MODEL,
                out=self.parameterAsOutputLayer(parameters, "OUTPUT", context),
                prob_out=self.parameterAsOutputLayer(parameters, "OUTPUT_PROB", context) or None,
                polygons_out=self.parameterAsOutputLayer(parameters, "OUTPUT_POLYGONS", context) or None,
                min_area_m2=self.parameterAsDouble(parameters, "MIN_AREA", context),
                bands=parse_bands(self.parameterAsString(parameters, "BANDS", context))
                if "BANDS" in parameters
                else None,
                aoi=layer_path(self, parameters, "AOI", context, optional=True)
                or extent_text(self, parameters, context),
                device=self.parameterAsString(parameters, "DEVICE", context) or "auto",
                tile=int(tile) if tile not in (None, "") else None,
                overlap=int(overlap) if overlap not in (None, "") else None,
                runtime=self.parameterAsString(parameters, "RUNTIME", context).strip().lower() or "auto",
                flips=self.parameterAsString(parameters, "FLIPS", context).strip().lower() or "auto",
                batch=self.parameterAsInt(parameters, "BATCH", context) or None,
                threshold=float(threshold) if threshold not in (None, "") else None,
                scheduler=self.parameterAsString(parameters, "SCHEDULER", context).strip() or None,
                **self.request_options(parameters, context),
            )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...engine.detect import run_request

        request = self.detection_request(parameters, context)
        summary = run_engine(feedback, run_request, request, log=feedback.pushInfo)
        out, prob, polygons = request.out, request.prob_out, request.polygons_out
        threshold = summary.get("threshold")
        for path, kind in ((out, "mask"), (prob, "probability"), (polygons, "polygons")):
            if path:
                write_sidecar(path, kind, threshold=threshold)
                style_when_loaded(context, path, kind, threshold)
        feedback.pushInfo(
            summary_line(summary, tr("{amount} changed in {seconds:.1f} s on {device}"), tr("pixels"))
        )
        return {
            "OUTPUT": out,
            "OUTPUT_PROB": prob,
            "OUTPUT_POLYGONS": polygons,
            "CHANGED_AREA_HA": summary["changed_area_ha"],
            "CHANGED_AREA_M2": summary["changed_area_m2"],
            "CHANGED_PIXELS": summary["changed_pixels"],
            "RUNTIME_S": summary["runtime_s"],
            "SUMMARY": json.dumps(summary),
        }
