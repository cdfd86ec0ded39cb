"""The inference driver every front door calls: rasters + detector -> change mask (+ probability).

Tiles are read in a background thread (I/O overlaps compute), batched, passed to the detector
and written window by window; memory does not depend on the scene size.
"""

from __future__ import annotations

import time
from pathlib import Path

from . import __version__
from .assembly import Assembler
from .detectors import CLASSIC, Detector, load_detector, plan_tiles
from .errors import MineCDError
from .progress import CancelToken, Progress, ProgressCallback
from .raster import InputStack, gdal_env, is_virtual
from .request import DetectionRequest
from .streaming import Outputs, batches, stream
from .tiling import TileGrid, TileReader, context_workers
from .writer import MASK_NODATA, PROB_NODATA, RasterWriter, check_writable


def _crs_name(grid) -> str | None:
    if grid.crs is None:
        return None
    return grid.crs.to_string()


def detect_changes(
    before: str | Path,
    after: str | Path,
    detector: str | Detector,
    out: str | Path,
    prob_out: str | Path | None = None,
    polygons_out: str | Path | None = None,
    min_area_m2: float = 0.0,
    bands: list[int] | None = None,
    aoi: str | None = None,
    device: str = "auto",
    tile: int | None = None,
    batch: int | None = None,
    threshold: float | None = None,
    overlap: int | None = None,
    runtime: str = "auto",
    context: str = "shared",
    precision: str = "auto",
    flips: str = "auto",
    extra_inputs: dict[str, str | Path] | None = None,
    detector_options: dict | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    tiles_per_task: int | None = None,
    work_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    log=None,
) -> dict:
    """Detect changes between ``before`` and ``after`` and write a uint8 mask to ``out``.

    Mask values: 0 no change, 1 change, 255 nodata. ``prob_out``: float32 probability (nodata -1).
    ``threshold``: probability threshold (default: the detector's, 0.5 unless a checkpoint says).
    ``tile``: networks run on blocks as large as memory allows, cut to fit the extent; classic
    detectors on 256 px tiles; a model with per-tile context (``context="tile"``) on its trained
    tile. ``batch``: tiles per batch; default 8 on the CPU, 32 on a CUDA GPU (halved on
    out-of-memory), as many pixels in blocks. ``overlap``: pixels read around each tile or block and cropped
    after prediction (default: the detector's, 48 for networks: seam-free blocks; 0 is fastest).
    ``runtime``: auto (OpenVINO or ONNX Runtime on the CPU when installed), openvino,
    onnxruntime or torch; ``precision``: auto (bfloat16 where the CPU has it), f32, bf16. ``context``:
    INSINet's neighbourhood scheme, shared (default) or tile (the paper's). ``flips``: networks
    average over the input and its 3 flips: auto (the model's choice), on, off. ``extra_inputs``:
    further aligned rasters by role (e.g. ``{"coherence": path}``). ``scheduler`` (a Dask address,
    or ``local:N``) or ``workers`` (N local worker processes): run on Dask distributed, the same mask
    written as a COG; ``tiles_per_task`` and ``work_dir`` (where parts are kept until the run
    succeeds; default beside ``out``) tune it. Returns a JSON-serialisable summary.
    """
    from .scale.cluster import parse_scheduler, wanted

    distributed = wanted(scheduler, workers)
    if distributed:
        parse_scheduler(scheduler, workers)  # a bad address or count fails before any work
        if isinstance(detector, Detector):
            raise MineCDError("a distributed run takes a detector by name or file, not a Python object")
    started = time.perf_counter()
    report = Progress(progress, cancel, log)
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise MineCDError(f"threshold must be between 0 and 1, not {threshold}")
    if batch is not None and batch < 1:
        raise MineCDError(f"batch size must be at least 1, not {batch}")
    for path in (out, prob_out, polygons_out):
        if path:
            check_writable(path)
    options = dict(detector_options or {})
    if not isinstance(detector, Detector) and str(detector).strip().lower() not in CLASSIC:
        options.setdefault("log", report.info)  # networks report CUDA and runtime fallbacks here
        options.setdefault("runtime", runtime)
        options.setdefault("context", context)
        options.setdefault("precision", precision)
        options.setdefault("flips", flips)
    det = load_detector(detector, device=device, **options)
    if tile is not None and tile < 16:
        raise MineCDError(f"tile size {tile}: must be at least 16 (a multiple of 16 for this detector)")
    if overlap is not None and overlap < 0:
        raise MineCDError(f"overlap {overlap}: must be 0 or more pixels")
    threshold = threshold if threshold is not None else det.probability_threshold

    report.stage(0.0, 0.05, "opening rasters")
    paths = {"before": before, "after": after, **(extra_inputs or {})}
    bands = bands or getattr(det, "default_bands", None)  # a third-party model's sidecar names them
    requested = {"before": bands, "after": bands}
    with gdal_env(), InputStack(paths, requested, aoi, det.band_count()) as stack:
        det.check(stack)
        if not stack.grid.georeferenced:
            report.info("pixel grid only: no georeferencing, so areas are in pixels")
        plan = plan_tiles(det, tile, overlap, stack.extent)
        for note in plan.notes:
            report.info(note)
        tile, halo = plan.tile, plan.halo
        if batch is None:
            on_gpu = str(getattr(det, "device", "cpu")).startswith("cuda")
            batch = max(1, (32 if on_gpu else 8) * 256 * 256 // (tile * tile))  # about as many pixels
        grid = TileGrid(stack.extent, tile)
        report.stage(0.0, 0.05, "sampling the scene")
        det.fit(stack, grid, report)
        sampling_read = stack.pixels_read

        dask_info = None
        with Outputs() as outputs:
            mask = RasterWriter(out, stack.grid, stack.extent, "uint8", MASK_NODATA, tile, distributed)
            writers = [outputs.add(mask, "nearest")]
            if prob_out:
                prob = RasterWriter(
                    prob_out, stack.grid, stack.extent, "float32", PROB_NODATA, tile, distributed
                )
                writers.append(outputs.add(prob, "average"))
            if distributed:
                run = {"scheduler": scheduler, "workers": workers, "tiles_per_task": tiles_per_task}
                job = _scene_job(
                    paths, requested, aoi, detector, options, device, det, stack, grid, halo, batch
                )
                counts, dask_info = _run_on_dask(
                    job, stack, grid, det, threshold, writers, report, run, out, work_dir
                )
            else:
                counts = _run_tiles(stack, grid, det, halo, batch, threshold, writers, report)
            report.stage(0.95, 0.97, "writing overviews")
            outputs.commit()
        if dask_info is not None:
            dask_info.pop("run_folder").remove()  # the outputs are in place: the parts can go
        tile_read = stack.pixels_read - sampling_read
        resampled = [role for role, s in stack.sources.items() if s.resampled]
        extent_bounds = stack.grid.bounds(stack.extent)
        pixel_area = stack.grid.pixel_area_m2()
        crs = _crs_name(stack.grid)

    polygons = None
    if polygons_out:
        from .polygonize import polygonize

        report.stage(0.97, 1.0, "change polygons")
        polygons = polygonize(out, polygons_out, min_area_m2, lambda f, m: report.update(f, m))
    runtime = time.perf_counter() - started
    output_pixels = stack.extent.size
    changed, valid = counts
    area_m2 = changed * pixel_area if pixel_area is not None else None
    report.done()
    return {
        **det.describe(),
        "device": det.device,
        "minecd_version": __version__,
        "before": str(before),
        "after": str(after),
        "mask": str(out),
        "probability": str(prob_out) if prob_out else None,
        "polygons": str(polygons_out) if polygons_out else None,
        "polygon_count": polygons["polygons"] if polygons else None,
        "changed_pixels": int(changed),
        "valid_pixels": int(valid),
        "changed_fraction": changed / valid if valid else 0.0,
        "pixel_area_m2": pixel_area,
        "changed_area_m2": area_m2,
        "changed_area_ha": area_m2 / 10_000 if area_m2 is not None else None,
        "width": stack.extent.width,
        "height": stack.extent.height,
        "extent": list(extent_bounds),
        "crs": crs,
        "tile": tile,
        "batch": batch,
        "overlap": halo,
        "tiles": len(grid),
        "threshold": threshold,
        "runtime_s": round(runtime, 3),
        "mpix_per_s": round(output_pixels / runtime / 1e6, 4) if runtime > 0 else None,
        # source pixels read per output pixel and input raster: the tile pass, and the sampling pass
        "pixels_read_per_output_pixel": None  # the workers read the tiles
        if dask_info is not None
        else round(tile_read / (output_pixels * len(paths)), 4),
        "sampling_pixels_read_per_output_pixel": round(sampling_read / (output_pixels * len(paths)), 4),
        "resampled_inputs": resampled,
        "messages": report.messages,
        **({"dask": dask_info} if dask_info is not None else {}),
    }


def run_request(
    request: DetectionRequest,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    log=None,
) -> dict:
    """Run the detection a front door described; returns the summary of :func:`detect_changes`."""
    return detect_changes(**request.arguments(), progress=progress, cancel=cancel, log=log)


def _absolute(path) -> str:
    text = str(path)
    return text if is_virtual(text) else str(Path(text).resolve())


def _scene_job(paths, requested, aoi, detector, options, device, det, stack, grid, halo, batch):
    from .scale.parts import SceneJob

    aoi_file = aoi is not None and Path(str(aoi)).exists()
    extent = stack.extent
    return SceneJob(
        paths={role: _absolute(p) for role, p in paths.items()},
        requested=requested,
        aoi=_absolute(aoi) if aoi_file else aoi,
        detector=_absolute(detector) if Path(str(detector)).exists() else str(detector).strip(),
        options={k: v for k, v in options.items() if k != "log"},
        device=device,
        tile=grid.tile,
        halo=halo,
        batch=batch,
        strip_tiles=_reader(stack, grid, det, halo).strip_tiles,
        extent=(extent.col, extent.row, extent.width, extent.height),
        state=det.scene_state(),
    )


def _run_on_dask(job, stack, grid, det, threshold, writers, report, run, out, work_dir):
    from .scale.parts import run_distributed, run_folder_for

    assembler = Assembler(stack, grid, job.halo, det.blends, job.strip_tiles, threshold, writers)
    info = run_distributed(
        job,
        grid,
        assembler,
        report,
        run_folder_for(out, work_dir),
        run["scheduler"],
        run["workers"],
        run["tiles_per_task"],
        detector_file=str(det.path) if getattr(det, "path", None) else None,
    )
    return assembler.finish(), info


def _reader(stack, grid, det: Detector, halo: int, **options) -> TileReader:
    return TileReader(
        stack,
        grid,
        context=det.needs_context,
        halo=halo,
        context_margin=getattr(det, "context_margin", None),
        **options,
    )


def _run_tiles(stack, grid, det: Detector, halo, batch_size, threshold, writers, report) -> tuple[int, int]:
    report.stage(0.05, 0.95, "detecting")
    on_gpu = str(getattr(det, "device", "cpu")).startswith("cuda")  # then tile assembly is the limit
    reader = _reader(stack, grid, det, halo, workers=context_workers() if on_gpu else 1)
    assembler = Assembler(stack, grid, halo, det.blends, reader.strip_tiles, threshold, writers)
    prepared = ((batch, det.prepare(batch)) for batch in batches(reader, batch_size))  # reader thread
    for batch, inputs in stream(prepared, len(grid), report, count=lambda item: len(item[0])):
        prob = det.infer(inputs)
        for i, tile in enumerate(batch.tiles):
            assembler.add(tile, prob[i], batch.valid[i])
    return assembler.finish()
