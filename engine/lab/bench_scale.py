"""Benchmark of the Dask path: identity with one process, scaling over workers, batch, overheads.

``python -m engine bench-scale`` (``make bench-scale``) writes JSON and Markdown. On a 2-core
machine "1 worker" has both cores, "2 workers" one core each: the cores are never oversubscribed.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

PROVINCE = {"area_km2": 2000, "pixel_m": 1.0, "dates": 4, "workers": 32}


def _read(path):
    import rasterio

    with rasterio.open(path) as ds:
        return ds.read(1)


def _timed(before, after, detector, out, **options) -> tuple[float, dict]:
    from ..detect import detect_changes

    started = time.perf_counter()
    summary = detect_changes(before, after, detector, out, **options)
    return time.perf_counter() - started, summary


def identity(workdir: Path, log) -> list[dict]:
    from ..lab.synthetic import generate

    generate("optical", workdir / "optical", size=2048, seed=2024)
    generate("sar", workdir / "sar", size=1024, seed=2025)
    rows = []
    for detector, kind in (
        ("cva", "optical"),
        ("logratio", "sar"),
        ("insinet-demo", "optical"),
        ("sarunet-demo", "sar"),
    ):
        b, a = workdir / kind / "before.tif", workdir / kind / "after.tif"
        one, dask = workdir / f"id_{detector}.tif", workdir / f"id_{detector}_dask.tif"
        _timed(b, a, detector, one, prob_out=one.with_suffix(".p.tif"))
        _, summary = _timed(
            b, a, detector, dask, prob_out=dask.with_suffix(".p.tif"), workers=2, tiles_per_task=1
        )
        m1, m2 = _read(one), _read(dask)
        p1, p2 = _read(one.with_suffix(".p.tif")), _read(dask.with_suffix(".p.tif"))
        rows.append(
            {
                "detector": detector,
                "size": int(m1.shape[0]),
                "parts": summary["dask"]["parts"],
                "mask_identical": bool(np.array_equal(m1, m2)),
                "differing_pixels": int(np.count_nonzero(m1 != m2)),
                "probability_max_abs_diff": float(np.abs(p1 - p2).max()),
            }
        )
        log(f"identity {rows[-1]}")
    return rows


RUNS = (("in-process", {}), ("dask, 1 worker", {"workers": 1}), ("dask, 2 workers", {"workers": 2}))


def scaling(workdir: Path, size: int, detector: str, log, rounds: int = 3) -> list[dict]:
    """Each configuration ``rounds`` times, interleaved (this VM's speed drifts by ±20 %)."""
    from .bench import write_bench_scene

    b, a = workdir / f"scale_{size}_before.tif", workdir / f"scale_{size}_after.tif"
    if not b.exists():
        write_bench_scene(b, size, "uint8", 1, False)
        write_bench_scene(a, size, "uint8", 2, True)
    times: dict[str, list] = {label: [] for label, _ in RUNS}
    details: dict[str, dict] = {}
    reference = None
    for _ in range(rounds):
        for label, options in RUNS:
            out = workdir / f"scale_{options.get('workers', 0)}.tif"
            seconds, summary = _timed(b, a, detector, out, **options)
            mask = _read(out)
            reference = mask if reference is None else reference
            times[label].append(round(seconds, 2))
            dask = summary.get("dask") or {}
            details[label] = {
                "parts": dask.get("parts"),
                "client_assembly_s": dask.get("assembly_s"),
                "task_seconds_sum": round(sum(dask.get("task_seconds", [])), 2) if dask else None,
                "identical_to_in_process": bool(np.array_equal(mask, reference))
                and details.get(label, {}).get("identical_to_in_process", True),
            }
            log(f"scaling {label}: {seconds:.1f} s")
    rows = []
    for label, _ in RUNS:
        median = float(np.median(times[label]))
        rows.append(
            {
                "run": label,
                "size": size,
                "detector": detector,
                "seconds": round(median, 2),
                "seconds_all": times[label],
                "mpix_per_s": round(size * size / median / 1e6, 3),
                **details[label],
            }
        )
    return rows


def batch(workdir: Path, jobs: int, size: int, detector: str, log) -> list[dict]:
    from ..batch import run_batch
    from ..lab.synthetic import generate

    lines = ["name,before,after,detector,min_area"]
    for i in range(jobs):
        folder = (workdir / f"mine_{i:02d}").resolve()
        if not (folder / "after.tif").exists():
            generate("optical", folder, size=size, seed=300 + i)
        lines.append(f"mine_{i:02d},{folder}/before.tif,{folder}/after.tif,{detector},100")
    table = workdir / "mines.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = []
    for label, workers in (("in-process", None), ("dask, 1 worker", 1), ("dask, 2 workers", 2)):
        out = workdir / f"batch_{workers or 0}"
        if out.exists():
            import shutil

            shutil.rmtree(out)
        started = time.perf_counter()
        result = run_batch(table, out, workers=workers)
        seconds = time.perf_counter() - started
        if result["ok"] != jobs:
            raise RuntimeError(f"batch benchmark: {result['failed']} jobs failed: {result['results']}")
        rows.append(
            {
                "run": label,
                "jobs": jobs,
                "job_size": size,
                "detector": detector,
                "seconds": round(seconds, 2),
                "jobs_per_minute": round(60 * jobs / seconds, 2),
                "ok": result["ok"],
            }
        )
        log(f"batch {rows[-1]}")
    return rows


def task_overhead(tasks: int = 400) -> dict:
    """Round-trip cost of a trivial task on a local cluster of 2 workers (milliseconds per task)."""
    from ..scale.cluster import connect

    with connect(workers=2) as cluster:
        client = cluster.client
        client.gather(client.map(abs, range(20), pure=False))  # warm up
        started = time.perf_counter()
        client.gather(client.map(abs, range(tasks), pure=False))
        seconds = time.perf_counter() - started
    return {"tasks": tasks, "ms_per_task": round(1000 * seconds / tasks, 3)}


def projection(scaling_rows: list[dict], overhead: dict) -> dict:
    """A province-scale run on PROVINCE["workers"] workers of this machine's speed, from measurements."""
    from ..scale.parts import PART_PIXELS

    pixels = PROVINCE["area_km2"] * 1e6 / PROVINCE["pixel_m"] ** 2 * PROVINCE["dates"]
    one = next(r for r in scaling_rows if r["run"] == "dask, 1 worker")
    two = next(r for r in scaling_rows if r["run"] == "dask, 2 workers")
    # one worker process with this machine's 2 cores, in steady state (its tasks' own time)
    worker_rate = one["size"] ** 2 / one["task_seconds_sum"]
    tasks = pixels / PART_PIXELS
    compute_s = pixels / (worker_rate * PROVINCE["workers"])
    dispatch_s = tasks * overhead["ms_per_task"] / 1000
    assembly_rate = two["size"] ** 2 / max(two["client_assembly_s"] or 1e-9, 1e-9)
    return {
        **PROVINCE,
        "pixels": pixels,
        "tasks": round(tasks),
        "worker_mpix_per_s": round(worker_rate / 1e6, 3),
        "compute_hours": round(compute_s / 3600, 2),
        "dispatch_hours": round(dispatch_s / 3600, 4),
        "client_assembly_mpix_per_s": round(assembly_rate / 1e6, 1),
        "client_assembly_hours_if_one_scene": round(pixels / assembly_rate / 3600, 2),
        "note": "as a batch of licence-sized jobs each worker assembles its own output (no client limit); "
        "as single huge scenes the client's assembly adds the hours above unless several scenes run at once",
    }


def bench_scale(
    workdir: Path, out: Path, size: int, detector: str, jobs: int, job_size: int, log=print
) -> dict:
    import torch

    torch.set_flush_denormal(True)
    workdir.mkdir(parents=True, exist_ok=True)
    result = {"cpu_count": os.cpu_count()}
    result["identity"] = identity(workdir, log)
    result["scaling"] = scaling(workdir, size, detector, log)
    result["batch"] = batch(workdir, jobs, job_size, detector, log)
    result["task_overhead"] = task_overhead()
    result["projection"] = projection(result["scaling"], result["task_overhead"])
    median = {r["run"]: r["seconds"] for r in result["scaling"]}
    result["overhead_1_worker_vs_in_process"] = round(median["dask, 1 worker"] / median["in-process"] - 1, 4)
    result["speedup_2_vs_1_worker"] = round(median["dask, 1 worker"] / median["dask, 2 workers"], 3)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    return result


def markdown(result: dict) -> str:
    lines = [
        f"# Dask scale-out benchmark ({result['cpu_count']} cores)",
        "",
        "## Identity (2 workers, one tile per task)",
        "",
    ]
    lines += [
        "| detector | size | parts | mask identical | differing pixels | max prob diff |",
        "|---|---|---|---|---|---|",
    ]
    for r in result["identity"]:
        lines.append(
            f"| {r['detector']} | {r['size']}² | {r['parts']} | {r['mask_identical']} "
            f"| {r['differing_pixels']} | {r['probability_max_abs_diff']:.2g} |"
        )
    lines += [
        "",
        "## One scene (median of interleaved runs)",
        "",
        "| run | scene | s (median) | all runs | MPix/s | parts | worker task s | client assembly s "
        "| identical |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["scaling"]:
        lines.append(
            f"| {r['run']} | {r['detector']} {r['size']}² | {r['seconds']} | {r['seconds_all']} "
            f"| {r['mpix_per_s']} | {r['parts'] or '-'} | {r['task_seconds_sum'] or '-'} "
            f"| {r['client_assembly_s'] or '-'} | {r['identical_to_in_process']} |"
        )
    lines += ["", "## Batch", "", "| run | jobs | s | jobs/min |", "|---|---|---|---|"]
    for r in result["batch"]:
        lines.append(
            f"| {r['run']} | {r['jobs']} × {r['detector']} {r['job_size']}² | {r['seconds']} "
            f"| {r['jobs_per_minute']} |"
        )
    o, p = result["task_overhead"], result["projection"]
    lines += [
        "",
        f"Dask path at 1 worker vs in-process: {100 * result['overhead_1_worker_vs_in_process']:+.1f} % "
        f"(medians); 2 workers vs 1: {result['speedup_2_vs_1_worker']}x.",
        f"Trivial task round trip: {o['ms_per_task']} ms per task ({o['tasks']} tasks, 2 workers).",
        "",
        f"Projection: {p['area_km2']} km² at {p['pixel_m']} m, {p['dates']} dates = {p['pixels']:.2g} px, "
        f"{p['tasks']} tasks, on {p['workers']} workers at {p['worker_mpix_per_s']} MPix/s each: "
        f"{p['compute_hours']} h of compute, {p['dispatch_hours']} h of dispatch; client assembly at "
        f"{p['client_assembly_mpix_per_s']} MPix/s ({p['client_assembly_hours_if_one_scene']} h if all of it "
        "went through one client as single scenes).",
        "",
    ]
    return "\n".join(lines)
