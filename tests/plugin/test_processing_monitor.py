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
