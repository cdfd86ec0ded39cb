"""Scale-out on Dask distributed: a LocalCluster of 2 worker processes started by the tests.

The mask of a distributed run must be the single-process mask, pixel for pixel, whatever the
detector, after a worker is killed, and after a run is killed and run again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import rasterio

from engine.detect import detect_changes
from engine.errors import MineCDError
from engine.lab.synthetic import generate

pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 worker processes, as `--workers 2` starts one; yields (address, client)."""
    from distributed import Client

    from engine.scale.cluster import _local_cluster

    local = _local_cluster(2)
    client = Client(local)
    yield local.scheduler_address, client
    client.close()
    local.close()


@pytest.fixture(scope="module")
def scenes(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    generate("optical", root / "optical", size=1024, seed=11)
    generate("sar", root / "sar", size=1024, seed=12)
    return root


def _pair(scenes, kind):
    return scenes / kind / "before.tif", scenes / kind / "after.tif"


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1)


def _single(scenes, tmp_path, detector, kind, **options):
    before, after = _pair(scenes, kind)
    out = tmp_path / f"{detector}_single.tif"
    detect_changes(before, after, detector, out, prob_out=tmp_path / f"{detector}_single_p.tif", **options)
    return out


@pytest.mark.parametrize(
    "detector,kind,options",
    [
        ("cva", "optical", {"aoi": (30, 45, 990, 1000)}),  # a cut extent: edge tiles partly outside
        ("logratio", "sar", {}),
        ("insinet-demo", "optical", {"batch": 1}),  # 2x2 blocks of 512 px, one per task
        ("sarunet-demo", "sar", {"batch": 1}),
    ],
)
def test_a_distributed_run_writes_the_single_process_mask(cluster, scenes, tmp_path, detector, kind, options):
    address, _ = cluster
    before, after = _pair(scenes, kind)
    if "aoi" in options:  # pixel offsets -> a bounding box in the scene's coordinates
        with rasterio.open(before) as ds:
            (x0, y0), (x1, y1) = ds.xy(*options["aoi"][:2]), ds.xy(*options["aoi"][2:])
        options = {**options, "aoi": f"{min(x0, x1)},{min(y0, y1)},{max(x0, x1)},{max(y0, y1)}"}
    single = _single(scenes, tmp_path, detector, kind, **options)
    out, prob = tmp_path / f"{detector}_dask.tif", tmp_path / f"{detector}_dask_p.tif"
    summary = detect_changes(
        before, after, detector, out, prob_out=prob, scheduler=address, tiles_per_task=1, **options
    )
    np.testing.assert_array_equal(_read(out), _read(single))
    np.testing.assert_allclose(_read(prob), _read(tmp_path / f"{detector}_single_p.tif"), atol=1e-6)
    dask = summary["dask"]
    assert dask["parts"] > 1 and dask["workers"] == 2
    assert sum(dask["tiles_per_worker"].values()) == summary["tiles"]
    with rasterio.open(out) as ds:  # one COG with overviews, tiled and compressed
        assert ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert ds.profile["tiled"] and ds.compression is not None
    assert not list(tmp_path.glob(".*minecd-run")), "the parts are removed once the outputs are in place"


SMALL_BLOCKS = {"tile": 256, "batch": 1}  # 16 blocks, one task each: runs long enough to be killed


def test_a_killed_worker_is_replaced_and_the_mask_is_unchanged(cluster, scenes, tmp_path):
    address, client = cluster
    single = _single(scenes, tmp_path, "insinet-demo", "optical", **SMALL_BLOCKS)
    before, after = _pair(scenes, "optical")
    out = tmp_path / "killed.tif"
    pids = client.run(os.getpid)
    result = {}

    def run():
        try:
            result["summary"] = detect_changes(
                before, after, "insinet-demo", out, scheduler=address, tiles_per_task=1, **SMALL_BLOCKS
            )
        except BaseException as exc:  # handed to the test thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    folder = tmp_path / ".killed.tif.minecd-run"
    deadline = time.time() + 120
    while not list(folder.glob("part-*.npz")) and time.time() < deadline and thread.is_alive():
        time.sleep(0.05)
    victim = next(iter(pids.values()))
    os.kill(victim, signal.SIGKILL)  # mid-run: its task is lost and must be computed again
    thread.join(300)
    assert "error" not in result, result.get("error")
    assert victim not in client.run(os.getpid).values()
    np.testing.assert_array_equal(_read(out), _read(single))


def _cli(*args, **popen):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "engine", *map(str, args)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def _wait_for_parts(folder: Path, count: int, process, timeout=180):
    deadline = time.time() + timeout
    while len(list(folder.glob("part-*.npz"))) < count:
        assert process.poll() is None, process.communicate()
        assert time.time() < deadline, "no parts written"
        time.sleep(0.05)


def test_a_killed_run_resumes_and_skips_the_parts_it_finished(scenes, tmp_path):
    before, after = _pair(scenes, "optical")
    out = tmp_path / "resumed.tif"
    args = ["detect", "--before", before, "--after", after, "--detector", "insinet-demo", "--out", out]
    args += ["--workers", 2, "--tiles-per-task", 1, "--tile", 256, "--batch", 1, "--quiet"]
    first = _cli(*args, start_new_session=True)
    folder = tmp_path / ".resumed.tif.minecd-run"
    _wait_for_parts(folder, 2, first)
    os.killpg(first.pid, signal.SIGKILL)  # the client and its workers die at once
    first.wait(30)
    kept = len(list(folder.glob("part-*.npz")))
    assert not out.exists() and kept >= 2
    summary = detect_changes(before, after, "insinet-demo", out, workers=2, tiles_per_task=1, **SMALL_BLOCKS)
    dask = summary["dask"]
    assert dask["parts_resumed"] == kept  # these were not computed again
    assert sum(dask["tiles_per_worker"].values()) == summary["tiles"] - kept
    assert any("resuming" in m for m in summary["messages"])
    single = _single(scenes, tmp_path, "insinet-demo", "optical", **SMALL_BLOCKS)
    np.testing.assert_array_equal(_read(out), _read(single))


def test_sigterm_leaves_no_half_written_output(scenes, tmp_path):
    before, after = _pair(scenes, "optical")
    out = tmp_path / "stopped.tif"
    args = ["detect", "--before", before, "--after", after, "--detector", "insinet-demo", "--out", out]
    args += ["--prob", tmp_path / "stopped_p.tif", "--tile", 256, "--batch", 1]
    run = _cli(*args, "--workers", 2, "--tiles-per-task", 1, "--quiet")
    _wait_for_parts(tmp_path / ".stopped.tif.minecd-run", 1, run)
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stderr
    assert "error: interrupted" in stderr and "the same command resumes" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".stopped.tif.minecd-run"]


def _jobs(tmp_path, scenes, rows):
    table = tmp_path / "jobs.csv"
    lines = ["name,before,after,detector,min_area,licence"] + rows
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return table


def test_a_batch_runs_every_job_reports_the_failed_one_and_resumes(cluster, scenes, tmp_path):
    from engine.batch import run_batch
    from engine.cli import main

    address, _ = cluster
    opt, sar = scenes / "optical", scenes / "sar"
    table = _jobs(
        tmp_path,
        scenes,
        [
            f"pit-a,{opt}/before.tif,{opt}/after.tif,cva,100,L-1",
            f"pit-b,{sar}/before.tif,{sar}/after.tif,logratio,,L-2",
            f"broken,{tmp_path}/missing.tif,{opt}/after.tif,cva,,L-3",
        ],
    )
    out = tmp_path / "batch"
    result = run_batch(table, out, scheduler=address)
    rows = {r["name"]: r for r in result["results"]}
    assert (result["ok"], result["failed"]) == (2, 1)
    assert rows["broken"]["status"] == "failed" and "missing.tif" in rows["broken"]["error"]
    assert rows["pit-a"]["licence"] == "L-1" and rows["pit-a"]["worker"].startswith("tcp://")
    single = tmp_path / "single.tif"
    detect_changes(opt / "before.tif", opt / "after.tif", "cva", single)
    np.testing.assert_array_equal(_read(out / "pit-a" / "mask.tif"), _read(single))
    assert (out / "pit-a" / "changes.gpkg").exists() and (out / "pit-b" / "summary.json").exists()
    csv_header = (out / "batch.csv").read_text().splitlines()[0].split(",")
    assert {"name", "status", "changed_area_ha", "error", "licence"} <= set(csv_header)
    mask_time = (out / "pit-a" / "mask.tif").stat().st_mtime_ns
    assert main(["batch", str(table), "--out", str(out), "--quiet"]) == 1  # some failed
    again = {r["name"]: r for r in json.loads((out / "batch.json").read_text())["results"]}
    assert again["pit-a"]["resumed"] and again["pit-b"]["resumed"] and not again["broken"]["resumed"]
    assert (out / "pit-a" / "mask.tif").stat().st_mtime_ns == mask_time  # untouched


@pytest.mark.parametrize(
    "rows,message",
    [
        (["a,x.tif,y.tif,cva,,", "a,x.tif,y.tif,cva,,"], "appears twice"),
        (["../up,x.tif,y.tif,cva,,"], "job name"),
    ],
)
def test_a_bad_jobs_table_is_one_clear_error(tmp_path, scenes, rows, message, capsys):
    from engine.cli import main

    table = _jobs(tmp_path, scenes, rows)
    assert main(["batch", str(table), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and message in err[0]


def test_a_jobs_table_without_a_required_column_is_refused(tmp_path, capsys):
    from engine.cli import main

    table = tmp_path / "jobs.csv"
    table.write_text("name,before,detector\na,x.tif,cva\n", encoding="utf-8")
    assert main(["batch", str(table), "--out", str(tmp_path / "o")]) == 2
    assert "lacks the column(s) after" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_one_clear_error(scenes, tmp_path, capsys):
    from engine.cli import main

    before, after = _pair(scenes, "optical")
    code = main(
        ["detect", "--before", str(before), "--after", str(after), "--detector", "cva"]
        + ["--out", str(tmp_path / "m.tif"), "--scheduler", "tcp://127.0.0.1:9", "--quiet"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert not (tmp_path / "m.tif").exists()


def test_scheduler_texts():
    from engine.scale.cluster import parse_scheduler

    assert parse_scheduler("tcp://h:8786", None) == ("tcp://h:8786", None)
    assert parse_scheduler("local:3", None) == (None, 3)
    assert parse_scheduler(None, 2) == (None, 2)
    with pytest.raises(MineCDError, match="local:N"):
        parse_scheduler("local:x", None)
    with pytest.raises(MineCDError, match="not both"):
        parse_scheduler("tcp://h:1", 2)


def test_a_scheduler_without_minecd_is_named_in_one_clear_error(scenes, tmp_path):
    """Dask's scheduler unpickles tasks: one started where MineCD cannot be imported is refused."""
    port = _free_port()
    bare = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--port", str(port), "--no-dashboard"],
        cwd=tmp_path,  # neither the checkout nor an installed MineCD can be imported here
        env=bare,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1"],
        cwd=REPO,
        env={**bare, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        before, after = _pair(scenes, "optical")
        with pytest.raises(MineCDError, match="scheduler .* cannot import MineCD's engine: install it there"):
            detect_changes(before, after, "cva", tmp_path / "m.tif", scheduler=f"tcp://127.0.0.1:{port}")
        assert sorted(tmp_path.iterdir()) == []  # no output, no run folder
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_script_without_the_main_guard_is_told_what_to_write(scenes, tmp_path):
    """Worker processes import the user's script: without `if __name__ == "__main__"` it says so."""
    before, after = _pair(scenes, "optical")
    script = tmp_path / "monitor.py"
    script.write_text(
        "from engine.detect import detect_changes\n"
        f"detect_changes({str(before)!r}, {str(after)!r}, 'cva', {str(tmp_path / 'm.tif')!r}, workers=1)\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "MineCDError" in run.stderr and 'if __name__ == "__main__":' in run.stderr
    assert not (tmp_path / "m.tif").exists()


def test_a_geopackage_jobs_table_runs_here_and_a_batch_where_nothing_ran_exits_2(scenes, tmp_path, capsys):
    from osgeo import ogr

    from engine.cli import main

    opt = scenes / "optical"
    table = tmp_path / "mines.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(table))
    layer = ds.CreateLayer("jobs", geom_type=ogr.wkbNone)
    for name in ("name", "before", "after", "detector", "licence"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for values in (("pit", f"{opt}/before.tif", f"{opt}/after.tif", "cva", "L-9"),):
        feature = ogr.Feature(layer.GetLayerDefn())
        for field, value in zip(("name", "before", "after", "detector", "licence"), values):
            feature.SetField(field, value)
        layer.CreateFeature(feature)
    ds = None
    assert main(["batch", f"{table}|layername=jobs", "--out", str(tmp_path / "o"), "--quiet"]) == 0
    rows = json.loads((tmp_path / "o" / "batch.json").read_text())["results"]
    assert rows[0]["status"] == "ok" and rows[0]["licence"] == "L-9" and rows[0]["worker"] == "local"
    broken = _jobs(tmp_path, scenes, [f"gone,{tmp_path}/none.tif,{opt}/after.tif,cva,,L-1"])
    assert main(["batch", str(broken), "--out", str(tmp_path / "b"), "--quiet"]) == 2
    assert "none.tif: file not found" in capsys.readouterr().err
