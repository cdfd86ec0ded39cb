"""Processing algorithms: in QGIS (processing.run) and headless (qgis_process.bin)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rasterio

pytestmark = pytest.mark.usefixtures("qgis_processing")


@pytest.fixture(scope="module")
def scenes(tmp_path_factory, minecd):
    from minecd.engine.lab.synthetic import generate, generate_dataset

    root = tmp_path_factory.mktemp("scenes")
    generate("optical", root / "optical", size=512, seed=31)
    generate("sar", root / "sar", size=256, seed=32)
    generate_dataset("optical", root / "train", sites=3, size=256, seed=33)
    return root


def _run(algorithm, parameters):
    import processing

    return processing.run(algorithm, parameters)


def test_detectoptical_writes_a_georeferenced_styled_mask_and_polygons(provider, scenes, tmp_path):
    out, polygons = tmp_path / "mask.tif", tmp_path / "changes.gpkg"
    result = _run(
        "minecd:detectoptical",
        {
            "BEFORE": str(scenes / "optical" / "before.tif"),
            "AFTER": str(scenes / "optical" / "after.tif"),
            "MODEL": "cva",
            "BANDS": "3,2,1",
            "OUTPUT": str(out),
            "OUTPUT_POLYGONS": str(polygons),
            "MIN_AREA": 100,
        },
    )
    with rasterio.open(out) as ds, rasterio.open(scenes / "optical" / "before.tif") as ref:
        assert ds.crs == ref.crs and ds.transform == ref.transform
    assert out.with_suffix(".qml").exists() and polygons.with_suffix(".qml").exists()
    assert result["CHANGED_PIXELS"] > 0
    assert result["CHANGED_AREA_HA"] == pytest.approx(result["CHANGED_PIXELS"] / 1e4)
    assert json.loads(result["SUMMARY"])["detector"] == "cva"
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(polygons), "p", "ogr")
    assert layer.featureCount() > 0 and {"area_m2", "area_ha"} <= set(layer.fields().names())


def test_sar_algorithms_and_tools_in_qgis(provider, scenes, tmp_path):
    sar = scenes / "sar"
    coherence = tmp_path / "coh.tif"
    _run(
        "minecd:coherence",
        {
            "BEFORE": str(sar / "before.tif"),
            "AFTER": str(sar / "after.tif"),
            "WINDOW": "5x5",
            "OUTPUT": str(coherence),
        },
    )
    with rasterio.open(coherence) as ds:
        values = ds.read(1)
        assert ds.dtypes[0] == "float32" and 0 <= values[values >= 0].mean() <= 1
    mask = tmp_path / "sar_mask.tif"
    result = _run(
        "minecd:detectsar",
        {
            "BEFORE": str(sar / "before.tif"),
            "AFTER": str(sar / "after.tif"),
            "MODEL": "logratio",
            "WINDOW": "7",
            "OUTPUT": str(mask),
        },
    )
    assert result["CHANGED_PIXELS"] > 0 and json.loads(result["SUMMARY"])["window"] == 7
    polygons = _run(
        "minecd:polygonize", {"INPUT": str(mask), "MIN_AREA": 0, "OUTPUT": str(tmp_path / "p.gpkg")}
    )
    assert polygons["POLYGONS"] >= 1
    html, csv_path = tmp_path / "metrics.html", tmp_path / "metrics.csv"
    metrics = _run(
        "minecd:evaluate",
        {
            "PRED": str(mask),
            "REFERENCE": str(sar / "labels.gpkg"),
            "OUTPUT_HTML": str(html),
            "OUTPUT_CSV": str(csv_path),
        },
    )
    assert 0 < metrics["F1"] < 1 and 0 <= metrics["KAPPA"] <= 1
    assert "F1" in html.read_text() and csv_path.read_text().startswith("metric,value")


def test_detection_reports_one_summary_line_and_the_engines_text_errors(provider, scenes, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):  # noqa: N802
            self.lines.append(info)
            super().pushInfo(info)

    pair = {"BEFORE": str(scenes / "optical" / "before.tif"), "AFTER": str(scenes / "optical" / "after.tif")}
    feedback = Feedback()
    parameters = {**pair, "DEVICE": "cpu", "OUTPUT": str(tmp_path / "m.tif")}
    processing.run("minecd:detectoptical", parameters, feedback=feedback)
    assert [line for line in feedback.lines if " ha changed in " in line and line.endswith(" s on CPU")]
    for bands in ("x", "0,1"):
        with pytest.raises(QgsProcessingException, match="is not a list of band numbers"):
            _run("minecd:detectoptical", {**pair, "BANDS": bands, "OUTPUT": str(tmp_path / "b.tif")})
    sar = {"BEFORE": str(scenes / "sar" / "before.tif"), "AFTER": str(scenes / "sar" / "after.tif")}
    with pytest.raises(QgsProcessingException, match="is not a number of pixels"):
        _run("minecd:detectsar", {**sar, "WINDOW": "five", "OUTPUT": str(tmp_path / "s.tif")})
    assert not (tmp_path / "b.tif").exists() and not (tmp_path / "s.tif").exists()


def test_results_loaded_by_processing_get_minecd_styles(provider, scenes, tmp_path):
    """What the toolbox dialog and the modeler do: load the outputs, run their post-processors."""
    import processing
    from qgis.core import (
        QgsPalettedRasterRenderer,
        QgsProject,
        QgsSingleBandPseudoColorRenderer,
        QgsSingleSymbolRenderer,
    )

    out, prob, polygons = tmp_path / "m.tif", tmp_path / "p.tif", tmp_path / "c.gpkg"
    processing.runAndLoadResults(
        "minecd:detectsar",
        {
            "BEFORE": str(scenes / "sar" / "before.tif"),
            "AFTER": str(scenes / "sar" / "after.tif"),
            "OUTPUT": str(out),
            "OUTPUT_PROB": str(prob),
            "OUTPUT_POLYGONS": str(polygons),
        },
    )
    loaded = {
        Path(layer.source().split("|")[0]).name: layer for layer in QgsProject.instance().mapLayers().values()
    }
    mask, probability, vector = loaded["m.tif"], loaded["p.tif"], loaded["c.gpkg"]
    assert isinstance(mask.renderer(), QgsPalettedRasterRenderer)
    classes = {c.value: c.color for c in mask.renderer().classes()}
    assert classes[0].alpha() == 0 and classes[1].red() > 200  # no change transparent, change red
    assert isinstance(probability.renderer(), QgsSingleBandPseudoColorRenderer)
    items = probability.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert all(i.color.alpha() == 0 for i in items if i.value <= 0.25)  # the background stays clear
    assert isinstance(vector.renderer(), QgsSingleSymbolRenderer)
    outline = vector.renderer().symbol().symbolLayer(0).strokeColor()
    assert (outline.red(), outline.green(), outline.blue()) == (255, 221, 0)  # MineCD's, not a random colour


def test_train_algorithm_writes_a_checkpoint_with_curves(provider, scenes, tmp_path):
    out = tmp_path / "model.pt"
    folders = ";".join(str(scenes / "train" / f"site_0{i}") for i in (1, 2, 3))
    result = _run(
        "minecd:train",
        {"MORE_DATA": folders, "ARCH": 0, "EPOCHS": 1, "BATCH": 8, "TILE": 64, "OUTPUT": str(out)},
    )
    assert out.exists() and 0 <= result["VAL_F1"] <= 1 and 0 <= result["TEST_F1"] <= 1
    from minecd.engine.checkpoint import load_checkpoint

    meta = load_checkpoint(out).metadata
    assert result["THRESHOLD"] == meta["threshold"]
    assert meta["training"]["classic_cue"]["classic"] == "cva"  # weighed on the validation site
    assert result["CLASSIC_CUE"] == (meta.get("fusion") or {}).get("classic", "")
    assert result["CURVES"].endswith(".png") and (tmp_path / "model.png").exists()
    detected = _run(
        "minecd:detectoptical",
        {
            "BEFORE": str(scenes / "train" / "site_01" / "before.tif"),
            "AFTER": str(scenes / "train" / "site_01" / "after.tif"),
            "MODEL": str(out),
            "OUTPUT": str(tmp_path / "m.tif"),
        },
    )
    assert json.loads(detected["SUMMARY"])["arch"] == "insinet"


def test_pseudolabel_algorithm_reports_the_kept_patches(provider, tmp_path):
    from minecd.engine.lab.synthetic import generate, generate_dataset

    generate_dataset("sar", tmp_path / "labelled", sites=3, size=256, seed=41)
    generate("sar", tmp_path / "unlabelled", size=256, seed=42)
    labelled = ";".join(str(tmp_path / "labelled" / f"site_0{i}") for i in (1, 2, 3))
    out = tmp_path / "pseudo.pt"
    result = _run(
        "minecd:pseudolabel",
        {"LABELLED": labelled, "UNLABELLED": str(tmp_path / "unlabelled"), "EPOCHS": 1, "OUTPUT": str(out)},
    )
    assert out.exists() and 0 <= result["KEPT"] <= 1 and 0 <= result["TEST_F1"] <= 1
    again = _run(
        "minecd:pseudolabel",
        {
            "LABELLED": labelled,
            "UNLABELLED": str(tmp_path / "unlabelled"),
            "EPOCHS": 1,
            "CONFIDENCE": 1.0,  # nothing passes: the student is the given teacher
            "TEACHER": str(out),
            "OUTPUT": str(tmp_path / "again.pt"),
        },
    )
    assert again["KEPT"] == 0 and again["TEST_F1"] == pytest.approx(result["TEST_F1"])


@pytest.mark.parametrize(
    "algorithm, parameters, outputs",
    [
        (
            "minecd:detectoptical",
            {
                "BEFORE": "optical/before.tif",
                "AFTER": "optical/after.tif",
                "MODEL": "cva",
                "OUTPUT": "{tmp}/m.tif",
                "OUTPUT_PROB": "{tmp}/p.tif",
            },
            ["m.tif", "m.qml", "p.tif", "p.qml"],
        ),
        (
            "minecd:detectsar",
            {"BEFORE": "sar/before.tif", "AFTER": "sar/after.tif", "OUTPUT": "{tmp}/s.tif"},
            ["s.tif", "s.qml"],
        ),
        (
            "minecd:coherence",
            {
                "BEFORE": "sar/before.tif",
                "AFTER": "sar/after.tif",
                "REMOVE_RAMP": "true",
                "OUTPUT": "{tmp}/c.tif",
            },
            ["c.tif", "c.qml"],
        ),
        ("minecd:polygonize", {"INPUT": "sar/labels.tif", "OUTPUT": "{tmp}/l.gpkg"}, ["l.gpkg", "l.qml"]),
        ("minecd:evaluate", {"PRED": "sar/labels.tif", "REFERENCE": "sar/labels.gpkg"}, []),
    ],
)
def test_algorithms_run_headless(qgis_process, scenes, tmp_path, algorithm, parameters, outputs):
    args = ["run", algorithm, "--"]
    for key, value in parameters.items():
        value = (
            value.format(tmp=tmp_path)
            if "{tmp}" in value
            else (str(scenes / value) if "/" in value else value)
        )
        args.append(f"{key}={value}")
    results = qgis_process(args, json_out=True).json["results"]
    for name in outputs:
        assert (tmp_path / name).exists(), name
    if algorithm == "minecd:evaluate":
        assert results["F1"] == 1.0  # the labels against their own polygons
    if algorithm == "minecd:detectoptical":
        assert float(results["CHANGED_AREA_HA"]) > 0


def test_training_runs_headless(qgis_process, scenes, tmp_path):
    folders = ";".join(str(scenes / "train" / f"site_0{i}") for i in (1, 2, 3))
    out = tmp_path / "headless.pt"
    args = ["run", "minecd:train", "--", f"MORE_DATA={folders}", "ARCH=0", "EPOCHS=1", "TILE=64"]
    results = qgis_process([*args, "CLASSIC_CUE=1", f"OUTPUT={out}"], json_out=True).json["results"]
    assert out.exists() and (tmp_path / "headless.png").exists()
    assert 0 <= float(results["TEST_F1"]) <= 1
    from minecd.engine.checkpoint import load_checkpoint

    assert "classic_cue" not in load_checkpoint(out).metadata["training"] and not results["CLASSIC_CUE"]


def test_adapting_to_a_partly_labelled_pair_runs_headless(qgis_process, scenes, tmp_path):
    """A pair, change polygons, the area they were digitised in, a time budget: the few-shot path."""
    from minecd.engine.vector import write_polygons

    site = scenes / "train" / "site_01"
    import rasterio

    with rasterio.open(site / "before.tif") as src:
        x0, y0 = src.transform * (0, 0)
        crs = src.crs.to_wkt()
    ring = [[x0, y0], [x0 + 200, y0], [x0 + 200, y0 - 200], [x0, y0 - 200], [x0, y0]]
    area = tmp_path / "area.gpkg"
    write_polygons(area, [({"type": "Polygon", "coordinates": [ring]}, {})], crs, {})
    out = tmp_path / "adapted.pt"
    args = ["run", "minecd:train", "--", f"BEFORE={site / 'before.tif'}", f"AFTER={site / 'after.tif'}",
            f"LABELS={site / 'labels.gpkg'}", f"LABEL_AREA={area}", "INIT=insinet-demo", "MINUTES=0.1",
            "TILE=256", "PSEUDO=true", f"OUTPUT={out}"]  # fmt: skip
    results = qgis_process(args, json_out=True).json["results"]
    from minecd.engine.checkpoint import load_checkpoint

    training = load_checkpoint(out).metadata["training"]
    assert training["init"] == "insinet-demo" and training["pseudo_labelling"]["minutes"] == 0.1
    assert sum(training["labelled_pixels"].values()) == 200 * 200  # the labelled area only
    assert training["pseudo_labelling"]["candidates"] > 0  # the rest of the pair was pseudo-labelled
    assert training["config"]["minutes"] < 0.1  # teacher and student share the budget
    assert results["OUTPUT"] == str(out)


def test_bad_input_fails_with_the_engines_message(qgis_process, scenes, tmp_path, geotiff_far):
    proc = qgis_process(
        [
            "run",
            "minecd:detectoptical",
            "--",
            f"BEFORE={scenes / 'optical' / 'before.tif'}",
            f"AFTER={geotiff_far}",
            f"OUTPUT={tmp_path / 'x.tif'}",
        ],
        check=False,
    )
    assert proc.returncode != 0 and "does not overlap" in proc.stdout + proc.stderr
    proc = qgis_process(
        [
            "run",
            "minecd:detectoptical",
            "--",
            f"BEFORE={scenes / 'optical' / 'before.tif'}",
            f"AFTER={scenes / 'optical' / 'after.tif'}",
            "BANDS=1,2,9",
            f"OUTPUT={tmp_path / 'y.tif'}",
        ],
        check=False,
    )
    assert proc.returncode != 0 and "cannot read band 9" in proc.stdout + proc.stderr
    assert not (tmp_path / "x.tif").exists() and not (tmp_path / "y.tif").exists()


@pytest.fixture
def geotiff_far(tmp_path):
    import numpy as np
    from rasterio.transform import from_origin

    path = tmp_path / "far.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=64,
        height=64,
        count=4,
        dtype="uint8",
        crs="EPSG:32650",
        transform=from_origin(900_000, 1_000_000, 1, 1),
    ) as ds:
        ds.write(np.ones((4, 64, 64), np.uint8))
    return path


def test_the_model_parameter_names_what_it_accepts(provider):
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    optical = registry.algorithmById("minecd:detectoptical").shortHelpString()
    sar = registry.algorithmById("minecd:detectsar").shortHelpString()
    assert "cva, irmad, insinet-demo, insinet-s2" in optical and "sarunet" not in optical
    assert "logratio, sarunet-demo" in sar and "checkpoint" in sar


def test_the_shipped_graphical_model_reads_as_a_finished_tool(provider):
    from qgis.core import QgsApplication

    model = QgsApplication.processingRegistry().algorithmById("minecd:sar_coherence_polygons").create()
    assert model.displayName() == "SAR change polygons from two SLC images"
    assert model.group() == "Workflows" and "graphical modeler" in model.shortHelpString()
    parameters = {p.name(): p for p in model.parameterDefinitions()}
    assert parameters["BEFORE"].description() == "Before SLC" and parameters["MIN_AREA"].minimum() == 0
    outputs = [p.description() for p in model.destinationParameterDefinitions()]
    assert sorted(outputs) == ["Change mask", "Change polygons", "Coherence"]  # every output labelled
    inputs = [p.name() for p in model.parameterDefinitions() if not p.isDestination()]
    assert inputs == ["BEFORE", "AFTER", "MODEL", "MIN_AREA"]  # as drawn, not by name
    offered = parameters["MODEL"].metadata()["widget_wrapper"]["names"]
    assert "logratio" in offered and "sarunet-demo" in offered and "cva" not in offered


def test_the_shipped_graphical_model_runs_headless(qgis_process, scenes, tmp_path):
    sar = scenes / "sar"
    results = qgis_process(
        [
            "run",
            "minecd:sar_coherence_polygons",
            "--",
            f"BEFORE={sar / 'before.tif'}",
            f"AFTER={sar / 'after.tif'}",
            "MODEL=logratio",
            "MIN_AREA=200",
            f"coherence:Coherence={tmp_path / 'coh.tif'}",
            f"detectsar:Change mask={tmp_path / 'mask.tif'}",
            f"polygonize:Change polygons={tmp_path / 'poly.gpkg'}",
        ],
        json_out=True,
    ).json["results"]
    assert {"coherence:Coherence", "detectsar:Change mask", "polygonize:Change polygons"} <= results.keys()
    for name in ("coh.tif", "mask.tif", "poly.gpkg", "mask.qml"):
        assert (tmp_path / name).exists(), name


def test_the_model_parameter_offers_its_detectors_in_the_dialogs(provider, qgis_iface, monkeypatch, tmp_path):
    """The toolbox dialog lists the detectors by name; a typed or browsed checkpoint path still works."""
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from processing.gui.wrappers import WidgetWrapperFactory
    from qgis.core import QgsApplication
    from qgis.gui import QgsBrowserGuiModel

    browser = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)

    algorithm = QgsApplication.processingRegistry().createAlgorithmById("minecd:detectoptical")
    dialog = AlgorithmDialog(algorithm)
    wrapper = WidgetWrapperFactory.create_wrapper(algorithm.parameterDefinition("MODEL"), dialog)
    combo = wrapper.widget.combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[0] == "cva" and "insinet-demo" in names and "sarunet-demo" not in names
    assert wrapper.value() == "cva"
    combo.setCurrentIndex(names.index("insinet-demo"))
    assert wrapper.value() == "insinet-demo"
    checkpoint = str(tmp_path / "my model.pt")
    wrapper.setValue(checkpoint)
    assert wrapper.value() == checkpoint
    sar = QgsApplication.processingRegistry().createAlgorithmById("minecd:detectsar")
    sar_wrapper = WidgetWrapperFactory.create_wrapper(sar.parameterDefinition("MODEL"), AlgorithmDialog(sar))
    assert sar_wrapper.value() == "logratio"
    sar_names = [sar_wrapper.widget.combo.itemText(i) for i in range(sar_wrapper.widget.combo.count())]
    assert "sarunet-demo" in sar_names and "cva" not in sar_names


def test_a_third_party_onnx_model_runs_through_processing(provider, scenes, tmp_path):
    """MODEL takes an ONNX file with its sidecar; OVERLAP and RUNTIME reach the engine."""
    from helpers import TINY_SIDECAR, tiny_onnx_model

    model = tiny_onnx_model(tmp_path, TINY_SIDECAR)
    result = _run(
        "minecd:detectoptical",
        {
            "BEFORE": str(scenes / "optical" / "before.tif"),
            "AFTER": str(scenes / "optical" / "after.tif"),
            "MODEL": str(model),
            "OVERLAP": 8,
            "RUNTIME": "onnxruntime",
            "OUTPUT": str(tmp_path / "m.tif"),
        },
    )
    summary = json.loads(result["SUMMARY"])
    assert summary["detector"] == "tiny" and summary["runtime"].startswith("onnxruntime")
    assert summary["overlap"] == 8 and summary["tile"] == 64 - 16
    assert result["CHANGED_PIXELS"] > 0 and (tmp_path / "m.qml").exists()


def test_flip_averaging_reaches_the_engine_from_processing(provider, scenes, tmp_path):
    inputs = {
        "BEFORE": str(scenes / "optical" / "before.tif"),
        "AFTER": str(scenes / "optical" / "after.tif"),
    }
    inputs["MODEL"] = "insinet-demo"
    default = json.loads(
        _run("minecd:detectoptical", {**inputs, "OUTPUT": str(tmp_path / "a.tif")})["SUMMARY"]
    )
    flipped = _run("minecd:detectoptical", {**inputs, "FLIPS": "on", "OUTPUT": str(tmp_path / "b.tif")})
    assert not default["flips"] and json.loads(flipped["SUMMARY"])["flips"]
    with pytest.raises(Exception, match="flips 'sometimes'"):
        _run("minecd:detectoptical", {**inputs, "FLIPS": "sometimes", "OUTPUT": str(tmp_path / "c.tif")})
