"""One scene over many Dask workers, with the same pixels as a run in one process.

The client plans the scene exactly as a single-process run does (blocks, overlap, strips) and fits
the detector's scene statistics once. The tiles, in the order one process would visit them, are cut
into parts of whole batches; each part is a task: a worker opens the rasters itself, predicts its
tiles as one process would (same batches), and saves the probabilities beside the output. The
client feeds the parts, in order, through the same assembly (blending, threshold, AOI) as a run in
one process, so the mask is identical, and writes one COG.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..errors import MineCDError
from ..raster import InputStack, gdal_env
from ..streaming import batches, prefetch
from ..tiling import TileGrid, TileReader, tile_order
from .cluster import worker_name
from .records import RunFolder, digest, file_identity, save_arrays_atomic

PART_PIXELS = 8 * 2**20  # output pixels per task (about 4 s of INSINet on two cores)


@dataclass
class SceneJob:
    """What a worker needs to predict tiles of one scene: plain data only."""

    paths: dict[str, str]
    requested: dict
    aoi: str | None
    detector: str
    options: dict
    device: str
    tile: int
    halo: int
    batch: int
    strip_tiles: int
    extent: tuple[int, int, int, int]
    state: dict = field(default_factory=dict)


def plan_parts(order: list[tuple[int, int]], tile: int, batch: int, tiles_per_task: int | None = None):
    """Consecutive runs of ``order``, each a whole number of batches."""
    per = tiles_per_task or max(1, PART_PIXELS // (tile * tile))
    per = max(batch, per // batch * batch)
    return [order[i : i + per] for i in range(0, len(order), per)]


# ------------------------------------------------------------------------------------- worker side
_LOADED: dict[str, object] = {}  # run key -> detector: one loaded model per worker process


def detect_part(run_key: str, job: dict, tiles: list, target: str) -> dict:
    """Task: predict ``tiles`` of the scene and save them to ``target``. Errors in the input come
    back as {"error": ...} (plain data: the client may not share this worker's package name)."""
    host = worker_name(socket.gethostname())
    try:
        if Path(target).exists():  # an earlier attempt finished it
            return {"part": target, "tiles": len(tiles), "seconds": 0.0, "host": host, "messages": []}
        return _detect_part(run_key, SceneJob(**job), tiles, Path(target), host)
    except MineCDError as exc:
        return {"error": f"{host}: {exc}"}
    except Exception as exc:  # builtins only: any client can unpickle them
        raise RuntimeError(f"{host}: {type(exc).__name__}: {exc}") from None


def _detector(run_key: str, job: SceneJob, messages: list):
    from ..detectors import load_detector

    if run_key not in _LOADED:
        _LOADED.clear()
        options = dict(job.options)
        if "runtime" in options:  # networks report runtime fallbacks here
            options["log"] = messages.append
        _LOADED[run_key] = load_detector(job.detector, device=job.device, **options)
    det = _LOADED[run_key]
    if hasattr(det, "log"):
        det.log = messages.append
    return det


def _detect_part(run_key: str, job: SceneJob, tiles: list, target: Path, host: str) -> dict:
    started = time.perf_counter()
    messages: list[str] = []
    det = _detector(run_key, job, messages)
    order, probs, valids = [], [], []
    with gdal_env(), InputStack(job.paths, job.requested, job.aoi, det.band_count()) as stack:
        det.check(stack)
        det.restore_scene_state(job.state)
        extent = stack.extent
        if (extent.col, extent.row, extent.width, extent.height) != tuple(job.extent):
            raise MineCDError(
                f"the rasters read here cover another extent ({extent}) than on the client: "
                "do client and workers see the same files?"
            )
        grid = TileGrid(extent, job.tile)
        reader = TileReader(
            stack,
            grid,
            context=det.needs_context,
            halo=job.halo,
            tiles=[tuple(t) for t in tiles],
            strip_tiles=job.strip_tiles,
            context_margin=getattr(det, "context_margin", None),
        )
        prepared = ((batch, det.prepare(batch)) for batch in batches(reader, job.batch))
        for batch, inputs in prefetch(prepared):  # reading overlaps inference, as in one process
            prob = det.infer(inputs)
            for i, tile in enumerate(batch.tiles):
                order.append((tile.row, tile.col))
                probs.append(prob[i])
                valids.append(batch.valid[i])
    save_arrays_atomic(target, tiles=np.array(order), prob=np.stack(probs), valid=np.stack(valids))
    seconds = time.perf_counter() - started
    return {"part": str(target), "tiles": len(order), "seconds": seconds, "host": host, "messages": messages}


# ------------------------------------------------------------------------------------- client side
def run_folder_for(out: str | os.PathLike, work_dir: str | os.PathLike | None) -> Path:
    out = Path(out)
    base = Path(work_dir) if work_dir else out.parent
    return base.resolve() / f".{out.name}.minecd-run"  # whole paths: workers may have another cwd


def fingerprint(job: SceneJob, detector_file: str | None, parts: list) -> dict:
    described = asdict(job)
    described["paths"] = {role: file_identity(p) for role, p in job.paths.items()}
    described["state"] = digest(job.state)
    described["detector_file"] = file_identity(detector_file) if detector_file else None
    described["parts"] = digest([[list(t) for t in part] for part in parts])
    return described


def run_distributed(
    job: SceneJob,
    grid: TileGrid,
    assembler,
    report,
    run_folder: Path,
    scheduler: str | None = None,
    workers: int | None = None,
    tiles_per_task: int | None = None,
    detector_file: str | None = None,
) -> dict:
    """Predict the scene on Dask and feed the parts, in order, to ``assembler``."""
    from .cluster import connect

    parts = plan_parts(tile_order(grid, job.strip_tiles), job.tile, job.batch, tiles_per_task)
    started = time.perf_counter()
    with connect(scheduler, workers, log=report.info) as cluster:  # first: a bad cluster leaves no folder
        folder = RunFolder(run_folder, fingerprint(job, detector_file, parts))
        ready = {i for i in range(len(parts)) if folder.part(i).exists()}
        if folder.resumed and ready:
            report.info(f"resuming: {len(ready)} of {len(parts)} parts were done by an earlier run")
        info = {
            "scheduler": cluster.where,
            "dashboard": cluster.client.dashboard_link,
            "workers": cluster.workers,
            "parts": len(parts),
            "parts_resumed": len(ready),
        }
        _compute(cluster, job, grid, parts, folder, ready, assembler, report, info)
    info["seconds"] = round(time.perf_counter() - started, 3)
    info["run_folder"] = folder  # removed by the caller once the outputs are committed
    return info


def _compute(
    cluster, job: SceneJob, grid: TileGrid, parts, folder: RunFolder, ready: set, assembler, report, info
) -> None:
    from .cluster import completed

    client = cluster.client
    task = cluster.remote("scale.parts.detect_part")
    payload = asdict(job)
    futures = {}
    for i, tiles in enumerate(parts):
        if i not in ready:
            key = f"minecd-part-{folder.key[:12]}-{i}"
            futures[client.submit(task, folder.key, payload, tiles, str(folder.part(i)), key=key)] = i
    total = sum(len(p) for p in parts)
    done_tiles, next_part, hosts, seen, task_seconds = 0, 0, {}, set(), []
    report.stage(0.05, 0.95, "detecting")

    assembly = [0.0]  # seconds the client spent assembling (its share of the run)

    def assemble_ready() -> None:
        nonlocal next_part, done_tiles
        started = time.perf_counter()
        while next_part in ready:
            with np.load(folder.part(next_part)) as arrays:
                for (r, c), prob, valid in zip(arrays["tiles"], arrays["prob"], arrays["valid"]):
                    assembler.add(grid.tile_at(int(r), int(c)), prob, valid)
            done_tiles += len(parts[next_part])
            next_part += 1
            report.update(done_tiles / total, f"tile {done_tiles}/{total}")
        assembly[0] += time.perf_counter() - started

    try:
        assemble_ready()
        for future in completed(list(futures), report.cancel):
            result = _result(future, futures[future])
            for message in result.get("messages", []):
                if message not in seen:
                    seen.add(message)
                    report.info(message)
            hosts[result["host"]] = hosts.get(result["host"], 0) + result["tiles"]
            task_seconds.append(result["seconds"])
            ready.add(futures[future])
            assemble_ready()
    except BaseException as exc:
        client.cancel(list(futures), force=True)
        if isinstance(exc, KeyboardInterrupt | MineCDError):
            kept = len(list(folder.folder.glob("part-*.npz")))
            report.info(f"{kept} of {len(parts)} parts are kept in {folder.folder}: the same command resumes")
        raise
    info["tiles_per_worker"] = hosts
    info["assembly_s"] = round(assembly[0], 3)
    info["task_seconds"] = [round(t, 3) for t in task_seconds]  # first ones include loading the model


def _result(future, index: int) -> dict:
    from distributed.scheduler import KilledWorker

    try:
        result = future.result()
    except KilledWorker:
        raise MineCDError(f"part {index}: Dask lost every worker that ran it (out of memory?)") from None
    except RuntimeError as exc:
        raise MineCDError(f"part {index} failed on {exc}") from None
    if "error" in result:
        raise MineCDError(result["error"])
    return result
