"""Processing on Dask: SCHEDULER on the detection algorithms, and minecd:batch (in QGIS and headless)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio

pytestmark = pytest.mark.usefixtures("qgis_processing")
pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scene(tmp_path_factory, minecd):
    from minecd.engine.lab.synthetic import generate

    root = tmp_path_factory.mktemp("scale_scene")
    generate("optical", root / "optical", size=768, seed=41)
    return root / "optical"


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1)


def _jobs(folder, scene):
    table = folder / "mines.csv"
    table.write_text(
        "name,before,after,detector,min_area,licence\n"
        f"north pit,{scene}/before.tif,{scene}/after.tif,cva,100,L-7\n"
        f"south pit,{scene}/missing.tif,{scene}/after.tif,cva,,L-8\n",
        encoding="utf-8",
    )
    return table


def test_the_scheduler_parameter_and_the_batch_algorithm_are_offered(provider):
    detect = provider.algorithm("detectoptical")
    parameter = detect.parameterDefinition("SCHEDULER")
    assert parameter is not None and parameter.flags() & parameter.FlagOptional
    assert parameter.flags() & parameter.FlagAdvanced
    batch = provider.algorithm("batch")
    names = [p.name() for p in batch.parameterDefinitions()]
    assert names == ["JOBS", "WORKERS", "SCHEDULER", "OUTPUT_FOLDER"]
    assert {o.name() for o in batch.outputDefinitions()} >= {"SUMMARY_CSV", "JOBS_OK", "JOBS_FAILED"}


def test_the_batch_algorithm_runs_in_qgis_and_reports_the_failed_job(provider, scene, tmp_path):
    import processing

    result = processing.run(
        "minecd:batch",
        {"JOBS": str(_jobs(tmp_path, scene)), "WORKERS": 0, "OUTPUT_FOLDER": str(tmp_path / "out")},
    )
    assert (result["JOBS_OK"], result["JOBS_FAILED"]) == (1, 1)
    rows = json.loads((tmp_path / "out" / "batch.json").read_text())["results"]
    assert rows[0]["licence"] == "L-7" and rows[1]["status"] == "failed"
    assert (tmp_path / "out" / "north pit" / "changes.gpkg").exists()
    assert result["SUMMARY_CSV"] == str(tmp_path / "out" / "batch.csv")


def test_detection_on_a_local_dask_cluster_headless_writes_the_same_mask(qgis_process, scene, tmp_path):
    pair = [
        f"BEFORE={scene}/before.tif",
        f"AFTER={scene}/after.tif",
        "MODEL=insinet-demo",
        "TILE=384",
        "BATCH=1",
    ]
    qgis_process(["run", "minecd:detectoptical", "--", *pair, f"OUTPUT={tmp_path}/here.tif"])
    run = qgis_process(
        ["run", "minecd:detectoptical", "--", *pair, "SCHEDULER=local:2", f"OUTPUT={tmp_path}/dask.tif"],
        json_out=True,
    )
    summary = json.loads(run.json["results"]["SUMMARY"])
    assert summary["dask"]["workers"] == 2 and summary["tiles"] == 4  # many parts: tests/engine
    np.testing.assert_array_equal(_read(tmp_path / "dask.tif"), _read(tmp_path / "here.tif"))
    assert (tmp_path / "dask.qml").exists()


def test_the_batch_algorithm_runs_headless_on_dask(qgis_process, scene, tmp_path):
    run = qgis_process(
        [
            "run",
            "minecd:batch",
            "--",
            f"JOBS={_jobs(tmp_path, scene)}",
            "WORKERS=2",
            f"OUTPUT_FOLDER={tmp_path}/o",
        ],
        json_out=True,
    )
    results = run.json["results"]
    assert (float(results["JOBS_OK"]), float(results["JOBS_FAILED"])) == (1, 1)
    rows = json.loads((tmp_path / "o" / "batch.json").read_text())["results"]
    assert rows[0]["worker"].startswith("tcp://")
