"""The inference driver every front door calls: rasters + detector -> change mask (+ probability).

Tiles are read in a background thread (I/O overlaps compute), batched, passed to the detector
and written window by window; memory does not depend on the scene size.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import __version__
from .blending import Blender
from .detectors import CLASSIC, Detector, load_detector, plan_tiles
from .errors import MineCDError
from .progress import CancelToken, Progress, ProgressCallback
from .raster import InputStack, gdal_env
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
    extra_inputs: dict[str, str | Path] | None = None,
    detector_options: dict | None = None,
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
    INSINet's neighbourhood scheme, shared (default) or tile (the paper's). ``extra_inputs``:
    further aligned rasters by role (e.g. ``{"coherence": path}``). Returns a JSON-serialisable summary.
    """
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

        with Outputs() as outputs:
            mask = RasterWriter(out, stack.grid, stack.extent, "uint8", MASK_NODATA, tile)
            writers = [outputs.add(mask, "nearest")]
            if prob_out:
                prob = RasterWriter(prob_out, stack.grid, stack.extent, "float32", PROB_NODATA, tile)
                writers.append(outputs.add(prob, "average"))
            counts = _run_tiles(stack, grid, det, halo, batch, threshold, writers, report)
            report.stage(0.95, 0.97, "writing overviews")
            outputs.commit()
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
        "pixels_read_per_output_pixel": round(tile_read / (output_pixels * len(paths)), 4),
        "sampling_pixels_read_per_output_pixel": round(sampling_read / (output_pixels * len(paths)), 4),
        "resampled_inputs": resampled,
        "messages": report.messages,
    }


def run_request(
    request: DetectionRequest,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    log=None,
) -> dict:
    """Run the detection a front door described; returns the summary of :func:`detect_changes`."""
    return detect_changes(**request.arguments(), progress=progress, cancel=cancel, log=log)


def _run_tiles(stack, grid, det: Detector, halo, batch_size, threshold, writers, report) -> tuple[int, int]:
    report.stage(0.05, 0.95, "detecting")
    on_gpu = str(getattr(det, "device", "cpu")).startswith("cuda")  # then tile assembly is the limit
    workers = context_workers() if on_gpu else 1
    reader = TileReader(
        stack,
        grid,
        context=det.needs_context,
        halo=halo,
        workers=workers,
        context_margin=getattr(det, "context_margin", None),
    )
    counts = [0, 0]  # changed, valid

    def write(window, prob, valid) -> None:
        aoi = stack.aoi_mask(window)
        ok = valid if aoi is None else valid & aoi.astype(bool)
        mask = np.where(ok, prob >= threshold, MASK_NODATA).astype(np.uint8)
        inside = window.intersection(stack.extent)
        if inside is None:
            return
        part = mask[inside.slices(window)]
        counts[0] += int(np.count_nonzero(part == 1))
        counts[1] += int(np.count_nonzero(part != MASK_NODATA))
        writers[0].write(window, mask)
        if len(writers) > 1:
            writers[1].write(window, np.where(ok, prob, PROB_NODATA).astype(np.float32))

    # networks: overlapping blocks are blended across the whole overlap; others crop it
    blender = Blender(grid, halo, reader.strip_tiles, write) if halo and det.blends else None
    prepared = ((batch, det.prepare(batch)) for batch in batches(reader, batch_size))  # reader thread
    for batch, inputs in stream(prepared, len(grid), report, count=lambda item: len(item[0])):
        prob = det.infer(inputs)
        for i, tile in enumerate(batch.tiles):
            if blender is not None:
                blender.add(tile, prob[i], batch.valid[i])
            elif halo:
                write(tile.window, prob[i, halo:-halo, halo:-halo], batch.valid[i, halo:-halo, halo:-halo])
            else:
                write(tile.window, prob[i], batch.valid[i])
    if blender is not None:
        blender.finish()
    return counts[0], counts[1]
