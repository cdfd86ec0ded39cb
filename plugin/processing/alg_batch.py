"""minecd:batch - many detection jobs from a table, on Dask or one after the other."""

from __future__ import annotations

import json

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from .base import MineCDAlgorithm, run_engine
from .detection import scheduler_parameter


def _run_batch(jobs, out, scheduler, workers, progress=None, cancel=None, log=None):
    from ...engine.batch import run_batch

    return run_batch(jobs, out, scheduler, workers, progress=progress, cancel=cancel, log=log)


class BatchAlgorithm(MineCDAlgorithm):
    NAME = "batch"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Detect changes for many mines (jobs table)")
    GROUP = "detection"
    # pylupdate5 misses a string followed by a trailing comma: keep the formatter away
    # fmt: off
    HELP = QT_TRANSLATE_NOOP(
        "@default",
        "Runs every job of a table (CSV or GeoPackage) with the columns name, before, after and "
        "detector, and optionally bands, aoi, min_area, threshold, overlap, coherence, probability and "
        "polygons (yes/no); "
        "other columns, such as a licence number, are copied into the summary. Each job writes "
        "OUTPUT_FOLDER/name/mask.tif, changes.gpkg and summary.json; batch.csv and batch.json list every "
        "job with its status, changed area and error. A job that fails does not stop the others; running "
        "again skips the jobs already done. WORKERS (N local worker processes) or SCHEDULER (the address of "
        "an existing Dask cluster, tcp://host:8786) runs the jobs on Dask distributed; with neither, the "
        "jobs run one after the other in QGIS."
    )
    # fmt: on

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFile(
                "JOBS", tr("Jobs table (CSV or GeoPackage)"), fileFilter=tr("Jobs tables (*.csv *.gpkg)")
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "WORKERS",
                tr("Local Dask workers (0: none)"),
                QgsProcessingParameterNumber.Type.Integer,
                0,
                False,
                0,
                256,
            )
        )
        self.addParameter(scheduler_parameter())
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")))
        self.addOutput(QgsProcessingOutputFile("SUMMARY_CSV", tr("Batch summary (CSV)")))
        self.addOutput(QgsProcessingOutputNumber("JOBS_OK", tr("Jobs done")))
        self.addOutput(QgsProcessingOutputNumber("JOBS_FAILED", tr("Jobs failed")))
        self.addOutput(QgsProcessingOutputNumber("CHANGED_AREA_HA", tr("Changed area (ha)")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Batch summary (JSON)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from qgis.core import QgsProcessingException

        out = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        scheduler = self.parameterAsString(parameters, "SCHEDULER", context).strip() or None
        workers = self.parameterAsInt(parameters, "WORKERS", context) or None
        if scheduler and workers:
            raise QgsProcessingException(tr("Give either WORKERS or SCHEDULER, not both"))
        jobs = self.parameterAsFile(parameters, "JOBS", context)
        result = run_engine(feedback, _run_batch, jobs, out, scheduler, workers, log=feedback.pushInfo)
        feedback.pushInfo(
            tr("{ok} of {jobs} jobs done, {failed} failed, {area:.2f} ha changed").format(
                ok=result["ok"], jobs=result["jobs"], failed=result["failed"], area=result["changed_area_ha"]
            )
        )
        for row in result["results"]:
            if row["status"] != "ok":
                feedback.reportError(f"{row['name']}: {row['error']}")
        if result["ok"] == 0:
            raise QgsProcessingException(tr("No job could run: see the errors above"))
        return {
            "OUTPUT_FOLDER": out,
            "SUMMARY_CSV": result["csv"],
            "JOBS_OK": result["ok"],
            "JOBS_FAILED": result["failed"],
            "CHANGED_AREA_HA": result["changed_area_ha"],
            "SUMMARY": json.dumps(result),
        }
