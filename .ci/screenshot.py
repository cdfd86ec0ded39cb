"""Screenshots for the README (``make screenshot``): the dock after a run, and the result on the map.

Runs QGIS headless (offscreen platform), generates a synthetic scene, runs a detection through
the dock exactly as a user would, then writes resources/docs/dock.png and resources/docs/map.png;
then the Processing toolbox dialog and a Processing result loaded (and styled) as QGIS loads it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "build" / "screenshot"


def main(detector: str = "cva") -> int:
    from qgis.core import (
        QgsApplication,
        QgsProject,
        QgsRasterLayer,
    )
    from qgis.gui import QgsMapCanvas
    from qgis.PyQt.QtCore import QCoreApplication
    from qgis.PyQt.QtWidgets import QMainWindow

    app = QgsApplication([], True)
    app.initQgis()
    (WORK / "plugins").mkdir(parents=True, exist_ok=True)
    link = WORK / "plugins" / "minecd"
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(WORK / "plugins"))
    from minecd.engine.lab.synthetic import generate
    from minecd.plugin.dock import MineCDDock

    scene = WORK / "scene"
    if not (scene / "scene.json").exists():
        generate("optical", scene, size=1536, seed=1)

    class Iface:  # the little of QgisInterface the dock uses
        def __init__(self, canvas):
            self.canvas = canvas

        def mapCanvas(self):  # noqa: N802
            return self.canvas

        def messageBar(self):  # noqa: N802
            return self

        def pushMessage(self, *args, **kwargs):  # noqa: N802
            print("message:", args[1] if len(args) > 1 else args)

    from qgis.core import QgsSettings

    QgsSettings().remove("minecd/dock")  # the picture shows the defaults, not a previous session's
    window = QMainWindow()
    canvas = QgsMapCanvas(window)
    dock = MineCDDock(window, Iface(canvas))
    dock.resize(420, 1040)
    project = QgsProject.instance()
    layers = {}
    for name in ("before", "after"):
        layer = QgsRasterLayer(str(scene / f"{name}.tif"), f"{name} (synthetic)")
        project.addMapLayer(layer)
        layers[name] = layer
    dock.before_combo.setLayer(layers["before"])
    dock.after_combo.setLayer(layers["after"])
    dock.select_detector(detector)
    dock.polygons_check.setChecked(True)
    dock.min_area.setValue(200)
    dock.output_file.setFilePath(str(WORK / "change_mask.tif"))
    outcome = []
    task = dock.run()
    task.taskCompleted.connect(lambda: outcome.append("done"))
    task.taskTerminated.connect(lambda: outcome.append("failed"))
    while not outcome:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    for _ in range(50):
        QCoreApplication.processEvents()
    docs = REPO / "resources" / "docs"
    dock.widget().widget().adjustSize()
    dock.grab().save(str(docs / "dock.png"))

    # the default dock width (about 300 px) with a SAR detector: every option must stay reachable
    dock.select_detector("sarunet-demo")
    dock.resize(300, 1000)
    for _ in range(20):
        QCoreApplication.processEvents()
    dock.grab().save(str(docs / "dock_sar_narrow.png"))

    group = dock.last_group
    result_layers = [node.layer() for node in group.findLayers()]
    render(result_layers, layers["after"], 900, docs / "map.png")
    processing_pictures(docs, scene, layers["after"])
    report_picture(docs)
    print("wrote", docs / "dock.png", docs / "dock_sar_narrow.png", "and", docs / "map.png", "-", outcome[0])
    dock.unload()
    app.exitQgis()
    return 0 if outcome[0] == "done" else 1


def render(layers, background, size: int, path: Path) -> None:
    """``layers`` over ``background``, on its extent, as a ``size``² PNG."""
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    settings = QgsMapSettings()
    settings.setLayers(list(layers) + [background])
    settings.setDestinationCrs(background.crs())
    settings.setExtent(background.extent())
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(str(path))


def processing_pictures(docs: Path, scene: Path, background) -> None:
    """The toolbox dialog (MODEL as a list) and a Processing result as QGIS loads it (styled)."""
    sys.path.append("/usr/share/qgis/python/plugins")  # QGIS ships Processing as a core plugin
    import minecd
    import processing
    from processing.core.Processing import Processing
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from processing.tools import dataobjects
    from qgis.core import QgsApplication, QgsProject
    from qgis.PyQt.QtCore import QCoreApplication

    Processing.initialize()
    plugin = minecd.classFactory(None)
    plugin.initProcessing()
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("minecd:detectoptical")
    dialog = AlgorithmDialog(algorithm)
    dialog.resize(900, 620)
    dialog.show()
    wrappers = dialog.mainWidget().wrappers
    context = dataobjects.createContext()
    for name in ("before", "after"):
        layer = QgsProject.instance().mapLayersByName(f"{name} (synthetic)")[0]
        wrappers[name.upper()].setParameterValue(layer.id(), context)
    model = wrappers["MODEL"].widget
    model.set_text("insinet-demo")
    for _ in range(30):
        QCoreApplication.processEvents()
    dialog.grab().save(str(docs / "processing_dialog.png"))
    dialog.close()
    batch_dialog(docs, scene, context)

    out = WORK / "processing"
    out.mkdir(exist_ok=True)
    before = len(QgsProject.instance().mapLayers())
    processing.runAndLoadResults(
        "minecd:detectoptical",
        {
            "BEFORE": str(scene / "before.tif"),
            "AFTER": str(scene / "after.tif"),
            "MODEL": "cva",
            "BANDS": "3,2,1",
            "OUTPUT": str(out / "mask.tif"),
            "OUTPUT_PROB": str(out / "probability.tif"),
            "OUTPUT_POLYGONS": str(out / "changes.gpkg"),
            "MIN_AREA": 200,
        },
    )
    loaded = list(QgsProject.instance().mapLayers().values())[before:]
    order = {"changes": 0, "mask": 1, "probability": 2}
    loaded.sort(key=lambda layer: order.get(Path(layer.source().split("|")[0]).stem, 9))
    render([layer for layer in loaded if "probability" not in layer.source()], background, 700,
           docs / "processing_result.png")  # fmt: skip
    plugin.unload()


def batch_dialog(docs: Path, scene: Path, context) -> None:
    """The minecd:batch dialog with a jobs table of three mines filled in."""
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QCoreApplication

    table = WORK / "mines.csv"
    mines = (("north pit", "L-2041"), ("south pit", "L-2042"), ("quarry 7", "L-2107"))
    rows = [
        f"{name},{scene}/before.tif,{scene}/after.tif,insinet-demo,500,{licence}" for name, licence in mines
    ]
    table.write_text(
        "name,before,after,detector,min_area,licence\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("minecd:batch")
    dialog = AlgorithmDialog(algorithm)
    dialog.resize(900, 560)
    dialog.show()
    wrappers = dialog.mainWidget().wrappers
    wrappers["JOBS"].setParameterValue(str(table), context)
    wrappers["WORKERS"].setParameterValue(2, context)
    wrappers["OUTPUT_FOLDER"].setParameterValue(str(WORK / "mines"), context)
    for _ in range(30):
        QCoreApplication.processEvents()
    dialog.grab().save(str(docs / "processing_batch.png"))
    dialog.close()


def report_picture(docs: Path) -> None:
    """The monitoring report of a synthetic series, as headless Chromium shows it."""
    import shutil
    import subprocess

    from minecd.engine.lab.synthetic.series import generate_series
    from minecd.engine.monitor.run import monitor

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found: resources/docs/monitor_report.png not refreshed")
        return
    series = WORK / "series"
    if not (series / "series.json").exists():
        generate_series(series, size=2048, dates=4, seed=2026)
    images = sorted(str(p) for p in (series / "images").glob("*.tif"))
    out = WORK / "monitoring"
    monitor(images, str(series / "licences.gpkg"), "insinet-demo", out, min_area_m2=200)
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={WORK / 'chromium'}", f"--screenshot={docs / 'monitor_report.png'}",
         "--window-size=1100,1750", (out / "report.html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
