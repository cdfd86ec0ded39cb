"""minecd:monitor - a series of images against mining licences: changes per period, flags, report."""

from __future__ import annotations

import json
from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingOutputFile,
    QgsProcessingOutputHtml,
    QgsProcessingOutputNumber,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputString,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from ..layers import layer_file
from ..styling import style_layer
from .base import MineCDAlgorithm, layer_path, run_engine
from .detection import _advanced, detector_names, offer_detectors, scheduler_parameter
from .postprocess import StylePostProcessor


def _monitor(images, licences, detector, out, progress=None, cancel=None, log=None, **options):
    from ...engine.monitor.run import monitor

    return monitor(images, licences, detector, out, progress=progress, cancel=cancel, log=log, **options)


def save_styles(result: dict) -> None:
    """MineCD's styles stored in the GeoPackage (QGIS loads them as the layers' defaults) and a
    .qml beside the change-date raster: the record opens styled anywhere, also after qgis_process."""
    gpkg = result["geopackage"]
    for name, kind in (("changes", "monitor_changes"), ("licences", "licences")):
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        if layer.isValid():
            style_layer(layer, kind)
            layer.saveStyleToDatabase(f"MineCD {name}", "", True, "")
    raster = QgsRasterLayer(result["change_date_raster"], "change_date")
    if raster.isValid():
        style_layer(raster, "change_date")
        raster.saveNamedStyle(str(Path(result["change_date_raster"]).with_suffix(".qml")))


class MonitorAlgorithm(MineCDAlgorithm):
    NAME = "monitor"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Monitor mines against their licences (time series)")
    GROUP = "detection"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Detects changes on each consecutive pair of a series of images of one area (earliest first; "
        "dates from DATES, from a date in each file name such as 2021-07-01.tif, or from the files' "
        "metadata) and sets them against mining-licence polygons: each change is inside a licence, "
        "outside every licence, or crosses a licence boundary. OUTPUT_FOLDER receives monitor.gpkg "
        "(layers changes, licences with the changed area per period inside and within BUFFER metres "
        "outside, and a periods table), change_date.tif (the first period in which each pixel "
        "changed) and report.html with a map per period and the tables."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                "IMAGES", tr("Images of the area, earliest first"), QgsProcessing.SourceType.TypeRaster
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "LICENCES", tr("Mining licences (polygons)"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "LICENCE_FIELD",
                tr("Licence id field (empty: the first text field)"),
                None,
                "LICENCES",
                optional=True,
            )
        )
        model = QgsProcessingParameterString(
            "MODEL", tr("Detector (from the list, or a checkpoint file)"), "cva"
        )
        offer_detectors(model, detector_names("optical") + detector_names("sar"))
        self.addParameter(model)
        self.addParameter(
            QgsProcessingParameterString(
                "DATES", tr("Dates, e.g. 2019-07-01,2020-07-01 (empty: from the files)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "BUFFER",
                tr("Zone watched around each licence (m)"),
                QgsProcessingParameterNumber.Type.Double,
                100.0,
                False,
                0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "MIN_AREA",
                tr("Minimum polygon area (m²)"),
                QgsProcessingParameterNumber.Type.Double,
                0.0,
                False,
                0.0,
            )
        )
        self.addParameter(_advanced(scheduler_parameter()))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")))
        self.addOutput(QgsProcessingOutputVectorLayer("CHANGES", tr("Changes by licence")))
        self.addOutput(QgsProcessingOutputVectorLayer("LICENCES_OUT", tr("Licences with changed areas")))
        self.addOutput(QgsProcessingOutputRasterLayer("CHANGE_DATE", tr("First period of change")))
        self.addOutput(QgsProcessingOutputHtml("REPORT", tr("Monitoring report")))
        self.addOutput(QgsProcessingOutputFile("GEOPACKAGE", tr("Monitoring record (GeoPackage)")))
        self.addOutput(QgsProcessingOutputString("FLAGGED", tr("Licences flagged")))
        self.addOutput(QgsProcessingOutputNumber("CHANGES_OUTSIDE", tr("Changes outside every licence")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Monitoring summary (JSON)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from qgis.core import QgsProcessingException

        layers = self.parameterAsLayerList(parameters, "IMAGES", context)
        images = [layer_file(layer) for layer in layers]
        if any(path is None for path in images):
            raise QgsProcessingException(tr("IMAGES: every layer must be a raster file"))
        dates = self.parameterAsString(parameters, "DATES", context).strip()
        field = self.parameterAsFields(parameters, "LICENCE_FIELD", context)
        out = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        result = run_engine(
            feedback,
            _monitor,
            images,
            layer_path(self, parameters, "LICENCES", context),
            self.parameterAsString(parameters, "MODEL", context).strip() or "cva",
            out,
            dates=[d for d in dates.split(",") if d.strip()] or None,
            licence_field=field[0] if field else None,
            buffer_m=self.parameterAsDouble(parameters, "BUFFER", context),
            min_area_m2=self.parameterAsDouble(parameters, "MIN_AREA", context),
            scheduler=self.parameterAsString(parameters, "SCHEDULER", context).strip() or None,
            log=feedback.pushInfo,
        )
        save_styles(result)
        gpkg = result["geopackage"]
        changes, licences = f"{gpkg}|layername=changes", f"{gpkg}|layername=licences"
        for source, name, kind in (
            (result["change_date_raster"], tr("First period of change"), "change_date"),
            (licences, tr("Licences"), "licences"),
            (changes, tr("Changes by licence"), "monitor_changes"),
        ):
            details = QgsProcessingContext.LayerDetails(name, context.project(), name)
            details.setPostProcessor(StylePostProcessor.create(kind))
            context.addLayerToLoadOnCompletion(source, details)
        flagged = ", ".join(r["licence_id"] for r in result["licences_table"] if r["flags"])
        feedback.pushInfo(tr("Licences flagged: {}").format(flagged or tr("none")))
        feedback.pushInfo(tr("Report: {}").format(result["report"]))
        return {
            "CHANGES": changes,
            "LICENCES_OUT": licences,
            "CHANGE_DATE": result["change_date_raster"],
            "REPORT": result["report"],
            "GEOPACKAGE": gpkg,
            "FLAGGED": flagged,
            "CHANGES_OUTSIDE": len(result["changes_outside_licences"]),
            "SUMMARY": json.dumps(result, default=str),
            "OUTPUT_FOLDER": out,
        }
