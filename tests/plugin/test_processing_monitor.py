"""minecd:monitor in QGIS (loaded and styled) and headless (styles stored with the record)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.usefixtures("qgis_processing")


@pytest.fixture(scope="module")
def series(tmp_path_factory, minecd):
    from minecd.engine.lab.synthetic.series import generate_series

    root = tmp_path_factory.mktemp("series")
    generate_series(root, size=1024, dates=3, seed=3, pixel_size=2.0)
    return root


def _images(series):
    return sorted(str(p) for p in (series / "images").glob("*.tif"))


def test_monitor_loads_the_record_styled_in_qgis(provider, series, tmp_path):
    import processing
    from qgis.core import QgsCategorizedSymbolRenderer, QgsPalettedRasterRenderer, QgsProject

    before = set(QgsProject.instance().mapLayers())
    result = processing.runAndLoadResults(
        "minecd:monitor",
        {
            "IMAGES": _images(series),
            "LICENCES": str(series / "licences.gpkg"),
            "MODEL": "insinet-demo",
            "MIN_AREA": 200,
            "OUTPUT_FOLDER": str(tmp_path / "record"),
        },
    )
    assert result["FLAGGED"] == "ML-2000" and result["CHANGES_OUTSIDE"] >= 2
    loaded = [QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before]
    renderers = {
        layer.source().split("layername=")[-1]: layer.renderer() for layer in loaded if layer.type() == 0
    }
    assert isinstance(renderers["changes"], QgsCategorizedSymbolRenderer)
    assert {c.value() for c in renderers["changes"].categories()} == {
        "inside_licence",
        "crosses_boundary",
        "outside_licence",
    }
    dates = [layer for layer in loaded if layer.source().endswith("change_date.tif")]
    assert len(dates) == 1 and isinstance(dates[0].renderer(), QgsPalettedRasterRenderer)
    labels = [c.label for c in dates[0].renderer().classes()]
    assert "2019-07-01 → 2020-07-01" in labels and "2020-07-01 → 2021-07-01" in labels
    assert (tmp_path / "record" / "report.html").exists()
    layout = QgsProject.instance().layoutManager().layoutByName("MineCD monitoring record")
    assert layout is not None and len(layout.items()) >= 6  # page, title, map, legend, scale bar, notes
    assert "<Layout" in (tmp_path / "record" / "monitor_layout.qpt").read_text(encoding="utf-8")


def test_monitor_runs_headless_and_its_record_opens_styled(qgis_process, series, tmp_path):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsVectorLayer

    args = ["run", "minecd:monitor", "--"] + [f"IMAGES={p}" for p in _images(series)]
    args += [f"LICENCES={series / 'licences.gpkg'}", "MODEL=insinet-demo", "MIN_AREA=200"]
    args += [f"OUTPUT_FOLDER={tmp_path / 'o'}"]
    results = qgis_process(args, json_out=True).json["results"]
    summary = json.loads(results["SUMMARY"])
    assert [p["period"] for p in summary["periods"]] == [1, 2]
    layer = QgsVectorLayer(f"{tmp_path / 'o' / 'monitor.gpkg'}|layername=changes", "changes", "ogr")
    assert layer.isValid() and isinstance(
        layer.renderer(), QgsCategorizedSymbolRenderer
    )  # default style in the GPKG
    assert (tmp_path / "o" / "change_date.qml").exists()
    assert (
        results["LAYOUT"].endswith("monitor_layout.qpt") and (tmp_path / "o" / "monitor_layout.qpt").exists()
    )


def test_the_dock_opens_monitoring_prefilled_with_the_dated_rasters_and_the_licences(
    provider, series, qgis_iface, qgis_new_project, monkeypatch
):
    from minecd.plugin.dock import MineCDDock
    from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer
    from qgis.gui import QgsBrowserGuiModel

    browser = QgsBrowserGuiModel()  # the dialog asks the interface for it; pytest-qgis's has none
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)
    project = QgsProject.instance()
    for path in reversed(_images(series)):  # added latest first: the dialog still lists them by date
        project.addMapLayer(QgsRasterLayer(path, path.rsplit("/", 1)[-1]))
    licences = QgsVectorLayer(str(series / "licences.gpkg"), "mining licences", "ogr")
    project.addMapLayer(licences)
    panel = MineCDDock(qgis_iface.mainWindow(), qgis_iface)
    parameters = panel.monitoring_parameters()
    assert parameters["IMAGES"] == _images(series)
    assert parameters["LICENCES"] == licences.id() and parameters["MODEL"] == panel.current_detector()[0]
    dialog = panel.open_monitoring()
    assert dialog is not None and dialog.algorithm().id() == "minecd:monitor" and dialog.isVisible()
    dialog.close()
    assert panel.monitor_button.toolTip()
    panel.unload()
