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
    QgsProcessingParameterBoolean,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from ..layers import layer_file
from ..styling import style_layer
from .base import MineCDAlgorithm, layer_path, run_engine
from .detection import _advanced, detector_names, min_area_parameter, offer_detectors, scheduler_parameter
from .postprocess import StylePostProcessor


def _monitor(images, licences, detector, out, progress=None, cancel=None, log=None, **options):
    from ...engine.monitor.run import monitor

    return monitor(images, licences, detector, out, progress=progress, cancel=cancel, log=log, **options)


def save_styles(result: dict) -> None:
    """MineCD's styles stored in the GeoPackage (QGIS opens its layers with them) and a .qml beside
    the change-date raster: the record opens styled anywhere, also after qgis_process. The styles are
    made on memory layers and written with OGR: no QGIS connection to the file stays open."""
    from qgis.PyQt.QtXml import QDomDocument

    from ...engine.monitor.store import store_styles

    styles = {}
    for name, kind in (("changes", "monitor_changes"), ("licences", "licences")):
        layer = QgsVectorLayer("MultiPolygon?field=status:string&field=licence_id:string", name, "memory")
        style_layer(layer, kind)
        document = QDomDocument()
        layer.exportNamedStyle(document)
        styles[name] = document.toString()
    store_styles(result["geopackage"], styles)
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
        "changed), report.html with a map per period and the tables, and monitor_layout.qpt, a print "
        "layout (also added to the project) for a PDF of the record."
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
        self.addParameter(min_area_parameter())
        self.addParameter(
            QgsProcessingParameterBoolean(
                "FIRST_LAST", tr("Also the whole span, first image to last (period 0)"), False
            )
        )
        self.addParameter(_advanced(scheduler_parameter()))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")))
        self.addOutput(QgsProcessingOutputVectorLayer("CHANGES", tr("Changes by licence")))
        self.addOutput(QgsProcessingOutputVectorLayer("LICENCES_OUT", tr("Licences with changed areas")))
        self.addOutput(QgsProcessingOutputRasterLayer("CHANGE_DATE", tr("First period of change")))
        self.addOutput(QgsProcessingOutputHtml("REPORT", tr("Monitoring report")))
        self.addOutput(QgsProcessingOutputFile("GEOPACKAGE", tr("Monitoring record (GeoPackage)")))
        self.addOutput(QgsProcessingOutputFile("LAYOUT", tr("Print layout template (.qpt)")))
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
            first_last=self.parameterAsBool(parameters, "FIRST_LAST", context),
            log=feedback.pushInfo,
        )
        save_styles(result)
        layout_path = str(Path(out) / "monitor_layout.qpt")
        print_layout(context.project() or QgsProject.instance(), result, layout_path)
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
            "LAYOUT": layout_path,
            "FLAGGED": flagged,
            "CHANGES_OUTSIDE": len(result["changes_outside_licences"]),
            "SUMMARY": json.dumps(result, default=str),
            "OUTPUT_FOLDER": out,
        }


def print_layout(project, result: dict, path: str):
    """An A4 landscape layout for the record: title, a map of the record's extent (the project's
    visible layers), its legend, a scale bar and the flags; added to ``project``, saved as .qpt."""
    from qgis.core import (
        QgsLayoutItemLabel,
        QgsLayoutItemLegend,
        QgsLayoutItemMap,
        QgsLayoutItemScaleBar,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsPrintLayout,
        QgsReadWriteContext,
        QgsRectangle,
        QgsUnitTypes,
    )

    mm = QgsUnitTypes.LayoutUnit.LayoutMillimeters
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()  # one A4 landscape page
    name = tr("MineCD monitoring {}").format(Path(result["geopackage"]).parent.name)
    manager = project.layoutManager()
    existing = manager.layoutByName(name)
    if existing is not None:
        manager.removeLayout(existing)
    layout.setName(name)
    title = QgsLayoutItemLabel(layout)
    dates = f"{result['images'][0]['date']} – {result['images'][-1]['date']}"
    title.setText(tr("Mine monitoring {}").format(dates))
    title.attemptMove(QgsLayoutPoint(10, 6, mm))
    title.attemptResize(QgsLayoutSize(200, 12, mm))
    layout.addLayoutItem(title)
    raster = QgsRasterLayer(result["change_date_raster"], "change_date")
    extent = raster.extent() if raster.isValid() else QgsRectangle()
    frame = QgsLayoutItemMap(layout)
    frame.attemptMove(QgsLayoutPoint(10, 20, mm))
    frame.attemptResize(QgsLayoutSize(180, 180, mm))
    if not extent.isEmpty():
        frame.setCrs(raster.crs())
        frame.setExtent(extent)
        frame.zoomToExtent(extent)
    layout.addLayoutItem(frame)
    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(frame)
    legend.attemptMove(QgsLayoutPoint(198, 20, mm))
    layout.addLayoutItem(legend)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setLinkedMap(frame)
    bar.applyDefaultSize()
    bar.attemptMove(QgsLayoutPoint(10, 202, mm))
    layout.addLayoutItem(bar)
    flagged = ", ".join(r["licence_id"] for r in result["licences_table"] if r["flags"]) or tr("none")
    notes = QgsLayoutItemLabel(layout)
    notes.setText(
        tr("Licences flagged: {}. Changes outside every licence: {}. Detector: {}.").format(
            flagged, len(result["changes_outside_licences"]), result["detector"]
        )
    )
    notes.attemptMove(QgsLayoutPoint(198, 150, mm))
    notes.attemptResize(QgsLayoutSize(90, 50, mm))
    layout.addLayoutItem(notes)
    layout.saveAsTemplate(path, QgsReadWriteContext())
    manager.addLayout(layout)
    return layout
