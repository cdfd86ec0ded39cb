"""The inference driver every front door calls: rasters + detector -> change mask (+ probability).

Tiles are read in a background thread (I/O overlaps compute), batched, passed to the detector
and written window by window; memory does not depend on the scene size.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import __version__
from .detectors import CLASSIC, Detector, check_tile, load_detector
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
    overlap: int = 0,
    extra_inputs: dict[str, str | Path] | None = None,
    detector_options: dict | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    log=None,
) -> dict:
    """Detect changes between ``before`` and ``after`` and write a uint8 mask to ``out``.

    Mask values: 0 no change, 1 change, 255 nodata. ``prob_out``: float32 probability (nodata -1).
    ``threshold``: probability threshold (default: the detector's, 0.5 unless a checkpoint says).
    ``tile``: default 256, or the tile size a context model was trained with.
    ``batch``: tiles per batch; default 8 on the CPU, 32 on a CUDA GPU (halved on out-of-memory).
    ``overlap``: extra pixels read around each tile and cropped after prediction (only for
    detectors without neighbourhood context). ``extra_inputs``: further aligned rasters by role
    (e.g. ``{"coherence": path}``). Returns a JSON-serialisable summary.
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
        options.setdefault("log", report.info)  # networks report CUDA fallbacks here
    det = load_detector(detector, device=device, **options)
    tile = check_tile(det, tile)
    if batch is None:
        batch = 32 if str(getattr(det, "device", "cpu")).startswith("cuda") else 8
    if tile < 16 or (det.needs_context and tile % 16):
        raise MineCDError(f"tile size {tile}: must be at least 16 (a multiple of 16 for this detector)")
    threshold = threshold if threshold is not None else det.probability_threshold
    if not det.needs_context and int(overlap or 0) > tile:
        raise MineCDError(f"overlap {overlap} is larger than the tile size {tile}")

    report.stage(0.0, 0.05, "opening rasters")
    paths = {"before": before, "after": after, **(extra_inputs or {})}
    requested = {"before": bands, "after": bands}
    with gdal_env(), InputStack(paths, requested, aoi, det.band_count()) as stack:
        det.check(stack)
        if not stack.grid.georeferenced:
            report.info("pixel grid only: no georeferencing, so areas are in pixels")
        halo = 0 if det.needs_context else max(det.halo, int(overlap or 0))
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
    reader = TileReader(stack, grid, context=det.needs_context, halo=halo, workers=workers)
    changed, valid_count = 0, 0
    for batch in stream(batches(reader, batch_size), len(grid), report, count=len):
        prob = det.predict(batch)
        valid = batch.valid
        if halo:
            prob = prob[:, halo:-halo, halo:-halo]
            valid = valid[:, halo:-halo, halo:-halo]
        for i, tile in enumerate(batch.tiles):
            ok = valid[i]
            aoi = stack.aoi_mask(tile.window)
            if aoi is not None:
                ok = ok & aoi
            mask = np.where(ok, prob[i] >= threshold, MASK_NODATA).astype(np.uint8)
            inside = tile.window.intersection(stack.extent)
            part = mask[inside.slices(tile.window)]
            changed += int(np.count_nonzero(part == 1))
            valid_count += int(np.count_nonzero(part != MASK_NODATA))
            writers[0].write(tile.window, mask)
            if len(writers) > 1:
                writers[1].write(tile.window, np.where(ok, prob[i], PROB_NODATA).astype(np.float32))
    return changed, valid_count
